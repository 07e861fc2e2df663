#pragma once
// Speedup vs workers: one curve per model with 95 % confidence bars, the ideal line, a marker
// at this machine's core count, and each model's Amdahl fit, drawn dashed where it predicts
// beyond the measured worker counts. A saved result can be drawn faded behind as a baseline.

#include <map>
#include <optional>
#include <vector>

#include "core/run/result.h"
#include "ui/plots/chart.h"

namespace coreduel::ui {

class SpeedupChart : public Chart {
    Q_OBJECT
public:
    explicit SpeedupChart(QWidget* parent = nullptr);

    QString slug() const override { return QStringLiteral("speedup"); }
    bool hasData() const override { return m_result.has_value(); }
    void clearData() override;

    /// The live (partial) or finished result; its analysis is what is drawn.
    void setResult(const ExperimentResult& result);
    void setBaseline(std::optional<ExperimentResult> baseline);
    [[nodiscard]] bool hasBaseline() const { return m_baseline.has_value(); }
    /// Curves drawn for measured models (tests read it).
    [[nodiscard]] int measuredCurves() const { return m_measuredCurves; }

protected:
    void rebuild() override;
    /// The point under the pointer (speedup, its interval or why there is none), or the note
    /// of a legend entry (why a model has no fit).
    [[nodiscard]] QString valueAt(const QPoint& pos) const override;

private:
    int drawResult(const ExperimentResult& r, bool faded, double& maxX, double& maxY);
    /// The fitted laws of `r` (and one legend entry for the models without one); the highest
    /// speedup a drawn prediction reaches.
    double drawFits(const ExperimentResult& r, bool faded, double& maxX);
    /// One legend entry for the models without a fitted law; `why` is its hover text.
    void addUnfitted(const QString& name, bool faded, const QString& why);

    std::optional<ExperimentResult> m_result;
    std::optional<ExperimentResult> m_baseline;
    int m_measuredCurves = 0;
    int m_intervals = 0;    // interval bars drawn
    int m_capped = 0;       // of them, cut at the ideal (ConfigSummary::intervalCapped)
    int m_fits = 0;         // fitted laws drawn (solid)
    int m_predictions = 0;  // of them, with a dashed prediction beyond the measured counts
    struct Point {
        QPointF at;  // plot coordinates
        QString text;
    };
    std::vector<Point> m_points;                       // measured points, for the hover text
    std::map<QCPAbstractPlottable*, QString> m_notes;  // legend entries' hover text
};

}  // namespace coreduel::ui
