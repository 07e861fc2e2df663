#pragma once
// A bar chart's value axis that keeps every bar visible: linear from zero while the bars are of
// one magnitude, logarithmic where the tallest is many times the shortest (the interpreter's
// seconds beside the engine's), where a linear axis would leave the short ones a pixel tall.

#include <qcustomplot.h>

#include <QString>
#include <cmath>
#include <limits>

namespace coreduel::ui {

/// Above this ratio of the tallest bar (or stack) to the shortest, the axis is logarithmic.
constexpr double kLogScaleRatio = 20;

/// Sets `axis` linear (label `label`) or logarithmic (label `label` + " (log)") for bars
/// from `lowest` (> 0) to `highest`, and stands the bars on `axis` on its lower end. On a log
/// axis that end is a hundredth of the lowest decade: QCustomPlot draws a bar from its base to
/// base + value, so every bar stands within 1 % of its own value. Returns whether it is log.
inline bool setBarValueScale(QCustomPlot& plot, QCPAxis* axis, double lowest, double highest,
                             const QString& label) {
    const bool log =
        highest > 0 && lowest > 0 && std::isfinite(lowest) && highest / lowest > kLogScaleRatio;
    axis->setScaleType(log ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
    axis->setLabel(log ? label + QStringLiteral(" (log)") : label);
    if (log) {
        axis->setTicker(QSharedPointer<QCPAxisTickerLog>::create());
        axis->setNumberFormat(QStringLiteral("gb"));
        axis->setRange(std::pow(10.0, std::floor(std::log10(lowest))) / 100, highest * 2);
    } else {
        axis->setTicker(QSharedPointer<QCPAxisTicker>::create());
        axis->setNumberFormat(QStringLiteral("gbd"));
        axis->setRange(0, highest > 0 ? highest * 1.1 : 1);
    }
    for (int i = 0; i < plot.plottableCount(); ++i) {
        auto* bars = qobject_cast<QCPBars*>(plot.plottable(i));
        if (bars != nullptr && bars->valueAxis() == axis)
            bars->setBaseValue(log ? axis->range().lower : 0);
    }
    return log;
}

/// The same for side-by-side bars (none stacked): from the lowest bar on `axis`.
inline bool setBarValueScale(QCustomPlot& plot, QCPAxis* axis, double highest,
                             const QString& label) {
    double lowest = std::numeric_limits<double>::infinity();
    for (int i = 0; i < plot.plottableCount(); ++i) {
        auto* bars = qobject_cast<QCPBars*>(plot.plottable(i));
        if (bars == nullptr || bars->valueAxis() != axis) continue;
        for (const QCPBarsData& d : *bars->data())
            if (d.value > 0) lowest = std::min(lowest, d.value);
    }
    return setBarValueScale(plot, axis, lowest, highest, label);
}

}  // namespace coreduel::ui
