#pragma once
// Where the time went: one stacked bar per configuration, the workers' time split into
// start-up, decode, transfer, compute, GIL wait, encode, idle and teardown (seconds summed
// over the workers, mean over repetitions). Compute stays put when the work is the same; what
// grows on top of it is the price of parallelism.

#include "core/run/result.h"
#include "ui/plots/chart.h"

namespace coreduel::ui {

class BreakdownChart : public Chart {
    Q_OBJECT
public:
    explicit BreakdownChart(QWidget* parent = nullptr);

    QString slug() const override { return QStringLiteral("breakdown"); }
    bool hasData() const override { return !m_runs.empty(); }
    void clearData() override;
    void setRuns(const std::vector<RunResult>& runs);
    /// A baseline's total worker time per configuration, as a dashed outline over each bar (empty:
    /// none).
    void setBaselineRuns(const std::vector<RunResult>& runs, const QString& name);
    [[nodiscard]] int barCount() const { return m_bars; }
    [[nodiscard]] int baselineMarks() const { return m_baselineMarks; }

protected:
    void rebuild() override;
    /// The part of the bar under the pointer: configuration, phase, seconds and share.
    [[nodiscard]] QString valueAt(const QPoint& pos) const override;

private:
    std::vector<RunResult> m_runs;
    std::vector<QCPBars*> m_parts;           // bottom to top, as kParts; owned by the plot
    std::vector<QString> m_labels;           // per bar: the configuration in one line
    std::vector<std::size_t> m_repetitions;  // per bar: how many runs the mean is over
    int m_bars = 0;
    std::vector<RunResult> m_baseline;
    QString m_baselineName;
    int m_baselineMarks = 0;
    CategoryAxis* m_categories = nullptr;  // model under worker count
};

}  // namespace coreduel::ui
