#pragma once
// How the window names a model. The native models keep the engine's identifiers; the py:
// models also name the interpreter that ran them ("py:threads (CPython 3.11)"), so a curve,
// bar or row measured in a real CPython never passes for one of the engine's models.

#include <QPen>
#include <QString>
#include <string>
#include <vector>

#include "core/run/result.h"

namespace coreduel::ui {

/// "CPython 3.11" from the engine's "CPython 3.11.2 (/usr/bin/python3), GIL enabled";
/// "CPython 3.13t, no GIL" for a free-threaded build that ran without it ("…, GIL on" with);
/// "CPython" while the interpreter is not known yet (a run in progress, an older file).
QString interpreterTag(const std::string& interpreter);
/// A run's interpreter for its name: the engine's short label ("CPython 3.13t (no GIL)", the
/// GIL as measured in the run) when it has one, else the interpreter's line.
std::string interpreterName(const RunResult& run);
/// Every interpreter of the experiment's axis as a tag, in its order: "CPython 3.11 and CPython
/// 3.13t, no GIL"; interpreterTag(interpreterOf(result)) with one.
QString interpreterTags(const ExperimentResult& result);
/// How many interpreters the py: runs ran under (the experiment's interpreter axis).
unsigned interpreterCount(const std::vector<RunResult>& runs);
/// The interpreter of the py: runs: the environment's, else the first py: run's; "" if none.
std::string interpreterOf(const ExperimentResult& result);
std::string interpreterOf(const std::vector<RunResult>& runs);
/// The interpreter that ran the py: runs of `spec` (RunConfig::python, one interpreter of the
/// experiment's axis); interpreterOf(result) when none of its runs said.
std::string interpreterOfSpec(const ExperimentResult& result, const std::string& spec);
/// True when any run (or the experiment) used a py: model.
bool anyPython(const ExperimentResult& result);
/// "threads"; "py:threads (CPython 3.11)" for a py: model.
QString modelName(Model m, const std::string& interpreter = {});
/// modelLabel(config) ("processes/spawn/pipe"), with the interpreter tag for a py: model.
QString modelRunLabel(const RunConfig& config, const std::string& interpreter = {});
/// The line of a py: model's curve: dashed, so it reads as the interpreter's in grey-scale
/// print and to a reader who cannot tell its colour from a native model's.
void markInterpreterPen(QPen& pen);

}  // namespace coreduel::ui
