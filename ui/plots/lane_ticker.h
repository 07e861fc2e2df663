#pragma once
// Lane labels that thin out like an axis' numbers: every lane is named while the lanes are
// taller than a line of the labels' font, else every 2nd, 4th, 8th, … (lane 0 always), so
// that labels never overlap; the tooltip names the lane under the pointer.

#include <qcustomplot.h>

#include <QFontMetrics>
#include <cmath>

namespace coreduel::ui {

/// The step between labelled lanes: the smallest power of two whose lanes hold a line of
/// `lineHeight` pixels and a pixel between lines, given `pixelsPerLane`.
inline int laneLabelStep(double pixelsPerLane, int lineHeight, int lanes) {
    int step = 1;
    while (step * pixelsPerLane < lineHeight + 1 && step < lanes) step *= 2;
    return step;
}

/// A text ticker over lanes 0, 1, 2, … whose labels are thinned to what the axis' current
/// length holds (the length of the last layout, as QCustomPlot's own tickers use).
class LaneTicker : public QCPAxisTickerText {
public:
    explicit LaneTicker(QCPAxis* axis) : m_axis(axis) {}
    /// The step of the last tick vector made (1: every lane named).
    [[nodiscard]] int step() const { return m_step; }

protected:
    QVector<double> createTickVector(double tickStep, const QCPRange& range) override {
        const QVector<double> all = QCPAxisTickerText::createTickVector(tickStep, range);
        const bool vertical = m_axis->orientation() == Qt::Vertical;
        const QRect rect = m_axis->axisRect()->rect();
        const double pixels = vertical ? rect.height() : rect.width();
        const int lanes = std::max(1, static_cast<int>(all.size()));
        // Pixels per lane from the range (one lane per unit); a rect not laid out yet names all.
        const double perLane = pixels > 0 && range.size() > 0 ? pixels / range.size() : 1e9;
        const int line = QFontMetrics(m_axis->tickLabelFont()).height();
        m_step = laneLabelStep(perLane, vertical ? line : 4 * line, lanes);
        QVector<double> out;
        for (double t : all)
            if (static_cast<long>(std::lround(t)) % m_step == 0) out << t;
        return out;
    }

private:
    QCPAxis* m_axis;
    int m_step = 1;
};

}  // namespace coreduel::ui
