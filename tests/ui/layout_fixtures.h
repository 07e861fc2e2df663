#pragma once
// The realistic result and live data the layout tests show the window (4 models × 4 worker
// counts × 3 repetitions, a timeline and the per-core strip; optionally the py: models), and
// where their renders go.

#include <QString>

#include "core/run/result.h"

namespace coreduel::ui {
class MainWindow;
}

namespace coreduel::test {

constexpr unsigned kCores = 8;
constexpr std::size_t kTasks = 256;

/// test-artifacts/ in the build folder, created.
QString artifactDir();
/// `python`: the py: models too, as the window shows them after a run in the interpreter.
ExperimentResult syntheticResult(bool python = false);
/// One processes run with `workers` workers for the timeline (`python`: a py:threads run with
/// its inferred GIL waits), and 5 s of per-core samples over `cores` CPUs.
void feedLiveCharts(ui::MainWindow& w, bool python = false, unsigned cores = kCores,
                    unsigned workers = 4);
/// Lets pending events run, then replots every chart at once.
void replotAll(ui::MainWindow& w);

}  // namespace coreduel::test
