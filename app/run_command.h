#pragma once
// Running an experiment from a terminal: progress on stderr, Ctrl-C cancels cleanly, the
// table (or JSON) on stdout. Returns the process exit code (0 ok, 1 a run failed, 130 Ctrl-C).

#include "core/run/experiment.h"

namespace coreduel::app {

int runExperimentInTerminal(const Experiment& e, bool json, bool quiet);

}  // namespace coreduel::app
