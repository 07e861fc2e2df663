#pragma once
// Wall vs CPU time and memory per configuration: CPU time above wall time means cores worked
// in parallel; CPU far below wall means waiting (I/O, a lock). Memory is the engine process's
// peak RSS (VmHWM) plus every worker process's peak RSS (getrusage): N threads share one
// address space, N processes each bring their own.

#include "core/run/result.h"
#include "ui/plots/chart.h"

namespace coreduel::ui {

class ResourcesChart : public Chart {
    Q_OBJECT
public:
    explicit ResourcesChart(QWidget* parent = nullptr);

    QString slug() const override { return QStringLiteral("resources"); }
    bool hasData() const override { return !m_runs.empty(); }
    void clearData() override;
    void setRuns(const std::vector<RunResult>& runs);
    /// A baseline's wall, CPU and memory per configuration, as dashed outlines over the bars
    /// (empty: none).
    void setBaselineRuns(const std::vector<RunResult>& runs, const QString& name);
    [[nodiscard]] int baselineMarks() const { return m_baselineMarks; }

protected:
    void rebuild() override;
    /// The bar under the pointer: configuration, quantity and value with its unit.
    [[nodiscard]] QString valueAt(const QPoint& pos) const override;

private:
    std::vector<RunResult> m_runs;
    std::vector<RunResult> m_baseline;
    QString m_baselineName;
    int m_baselineMarks = 0;
    // The bars with the unit of their values ("s", "MiB"); owned by the plot.
    std::vector<std::pair<QCPBars*, bool>> m_bars;  // bool: memory (MiB), else seconds
    std::vector<QString> m_labels;                  // per configuration, in one line
    QCPAxisRect* m_memoryRect = nullptr;
    CategoryAxis* m_categories = nullptr;  // under the memory bars, for both rects
};

}  // namespace coreduel::ui
