#pragma once
// Runs grouped by configuration (model, start method, transport, workers, chunksize) for the
// bar charts: each bar is the mean over a configuration's reported, successful repetitions.

#include <QString>
#include <functional>
#include <vector>

#include "core/run/result.h"

namespace coreduel::ui {

struct RunGroup {
    RunConfig config;
    QString label;  ///< two lines: the model label, then "×N" (and the chunksize if it varies)
    std::vector<const RunResult*> runs;  ///< ok, not warm-up
    [[nodiscard]] double mean(const std::function<double(const RunResult&)>& field) const;
};

/// Sequential first, then model by model with rising worker counts, whatever order they ran in.
std::vector<RunGroup> groupRuns(const std::vector<RunResult>& runs);

}  // namespace coreduel::ui
