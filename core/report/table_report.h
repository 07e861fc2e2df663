#pragma once
// Human-readable output of an experiment: an aligned table with units and a short verdict.

#include <string>
#include <vector>

#include "core/run/result.h"

namespace coreduel {

/// Where it ran, in one line: CPU, logical CPUs and cores, affinity, kernel, governor, load.
std::string formatMachine(const Environment& env);
/// The per-run table (core/report/run_columns.h) followed by formatMethod().
std::string formatTable(const ExperimentResult& result);
/// What ran, where and how each number was measured (workload, machine, clocks, sampler).
std::string formatMethod(const ExperimentResult& result);
/// Statistics per configuration, scaling fits and warnings (empty parts are left out).
std::string formatAnalysis(const ExperimentResult& result);
/// One line per model at its largest worker count, in words ("threads: 1.96x faster ..."):
/// the analysis' speedups, and a cause only where core/run/evidence.h lets the run claim it
/// (core/report/verdict.cpp).
std::string formatVerdict(const ExperimentResult& result);
/// The verdict's lines without their "- ": what a report prints as sentences.
std::vector<std::string> verdictLines(const ExperimentResult& result);
/// The GIL model against the real interpreter, per worker count where both ran: a small
/// table (empty when there is nothing to compare).
std::string formatModelVsReal(const ExperimentResult& result);
/// "single-thread cost of the free-threaded build: py:sequential on CPython 3.13t (no GIL)
/// took 1.25x the wall time of py:sequential on CPython 3.11 ...", or "" when the experiment
/// did not run both kinds of build (Analysis::freeThreadedCost).
std::string formatFreeThreadedCost(const Analysis& a);
/// One row of the table, for progress output as runs finish.
std::string formatRunLine(const RunResult& r);

}  // namespace coreduel
