#pragma once
// The one definition of a results row: every column of the per-run tables with its title (unit
// included), how it was measured and how its value is written. The console table, the CSV, the
// Markdown and HTML tables (and the window's table, for titles and "how" texts) all read this
// list, so a column is added, renamed or explained in one place.

#include <string>
#include <vector>

#include "core/run/result.h"

namespace coreduel {

/// Where a column appears (a bit set).
enum RunColumnOutput : unsigned {
    kConsole = 1,   ///< the aligned text table (coreduel-cli, .txt)
    kDocument = 2,  ///< the Markdown and HTML tables of a report
    kCsv = 4,       ///< the CSV, raw values
};

struct RunColumn {
    const char* key;    ///< CSV header and stable id: "wall_seconds"
    const char* title;  ///< with its unit: "wall [s]"
    const char* how;    ///< how it was measured, for tooltips and report notes
    bool left = false;  ///< text-aligned (names) rather than numbers
    unsigned outputs = kConsole | kDocument | kCsv;
    /// The value as shown to a reader ("1.83", "-" when there is none).
    std::string (*text)(const RunResult&, const ExperimentResult&) = nullptr;
    /// The value for machines (full precision, "" when there is none); null: same as text.
    std::string (*raw)(const RunResult&, const ExperimentResult&) = nullptr;
    /// Which workloads' tables have it; null: every workload's.
    bool (*shownFor)(const std::string& workload) = nullptr;
};

const std::vector<RunColumn>& runColumns();

/// The columns of one output, in order.
std::vector<const RunColumn*> runColumnsFor(RunColumnOutput output);
/// The columns of one output for one workload's runs (convoy adds its probe's latency).
std::vector<const RunColumn*> runColumnsFor(RunColumnOutput output, const std::string& workload);

/// The configuration's speedup a run's row shows (the analysis' one value), when the run was
/// verified; the same value, rounded the same way, as the verdict, the charts and the JSON.
const Interval* rowSpeedup(const RunResult& run, const ExperimentResult& result);

/// "ok", "cancelled" or "FAILED: why".
std::string runStatus(const RunResult& run);

}  // namespace coreduel
