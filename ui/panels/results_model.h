#pragma once
// The results table: one row per reported run, every number with its unit in the header and
// the way it was measured in the header's tooltip. Qt::DisplayRole is the formatted text,
// Qt::UserRole the raw number (what sorting and copying use).

#include <QAbstractTableModel>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/run/analysis.h"
#include "core/run/compare.h"
#include "core/run/result.h"

namespace coreduel::ui {

class ResultsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    /// The window's column order: what a reader compares first (the configuration, its
    /// speedup and wall time) before the details, so that a 1366 px screen shows the speedup
    /// without scrolling. The console, CSV and report tables keep core's order
    /// (core/report/run_columns.h); titles and "how" texts come from there.
    enum Column {
        ModelCol,
        Workers,
        Speedup,
        Wall,
        /// convoy runs: the latency probe's ping delay p50/p99 (hidden for other workloads)
        PingLatency,
        Efficiency,
        Chunk,
        Repetition,
        CpuUser,
        CpuSystem,
        /// gil-threads and py:threads rows: the model's speedup / the real interpreter's (the
        /// window hides the column while nothing is compared)
        GilModelVsReal,
        WallInterval,
        SpeedupInterval,
        SerialFraction,
        Startup,
        BytesOut,
        BytesIn,
        EngineRss,
        WorkersRss,
        GilSwitches,
        Switches,
        Checksum,
        Status,
        VsBaseline,  ///< this configuration's mean wall / the baseline's, with Welch's p
        ColumnCount
    };
    /// The interpreter that ran a py: row ("CPython 3.11.2 (/usr/bin/python3), GIL enabled",
    /// or "CPython" while unknown); invalid for the engine's own models. Any column.
    static constexpr int InterpreterRole = Qt::UserRole + 1;

    explicit ResultsModel(QObject* parent = nullptr);

    void clear();
    void addRun(const RunResult& run);  ///< warm-up runs are ignored
    void setRuns(const std::vector<RunResult>& runs);
    [[nodiscard]] const std::vector<RunResult>& runs() const { return m_runs; }
    /// The statistics over the repetitions (analyze() of the runs so far, or of the result);
    /// cleared by clear().
    void setAnalysis(const Analysis& analysis);
    /// A baseline to compare each configuration with (std::nullopt: none); kept across
    /// clear(), like the baseline drawn on the charts.
    void setBaseline(std::optional<ExperimentResult> baseline);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    void compareWithBaseline();
    /// The "vs baseline" cell of a run: text, tooltip or raw ratio.
    [[nodiscard]] QVariant baselineCell(const RunResult& run, int role) const;
    /// The configuration summary a run belongs to, or nullptr when the analysis has none.
    [[nodiscard]] const ConfigSummary* summaryOf(const RunResult& run) const;
    /// The configuration's speedup a verified run's row shows, or nullptr.
    [[nodiscard]] const Interval* speedupOf(const RunResult& run) const;
    /// The "model vs real" cell of a gil-threads or py:threads run.
    [[nodiscard]] QVariant modelVsRealCell(const RunResult& run, int role) const;
    /// A statistics cell: its raw value (or invalid), text and tooltip.
    [[nodiscard]] QVariant statistic(const RunResult& run, int column, int role) const;

    std::vector<RunResult> m_runs;
    Analysis m_analysis;
    std::optional<ExperimentResult> m_baseline;
    std::map<std::string, Comparison> m_comparisons;  ///< by configurationLabel()
};

}  // namespace coreduel::ui
