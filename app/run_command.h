#pragma once
// Running an experiment from a terminal: progress on stderr, Ctrl-C cancels cleanly, the
// table (or JSON) on stdout. Returns the process exit code (0 ok, 1 a run failed, 130 Ctrl-C).

#include <string>

#include "core/run/experiment.h"
#include "core/run/result.h"

namespace coreduel {
class SessionRecorder;
}

namespace coreduel::app {

enum class Format { Table, Json, Csv, Markdown };

/// `output`, when not empty, receives the result in the format its extension names (.json
/// .csv .md .html .txt), written atomically, also after Ctrl-C. A path that cannot be written
/// is refused before anything runs (InvalidArgument).
void checkOutputPath(const std::string& path);
/// Runs `e` with progress on stderr (unless quiet); Ctrl-C cancels and the result says so.
/// `session`, when not empty, is a session file streamed to while it runs (session.h).
ExperimentResult runWithProgress(const Experiment& e, bool quiet, const std::string& session = "");
/// The same, streaming to `recorder` (a lesson's part of a session), which is closed after.
ExperimentResult runWithProgress(const Experiment& e, bool quiet, SessionRecorder* recorder);
int runExperimentInTerminal(const Experiment& e, Format format, bool quiet,
                            const std::string& output = "", const std::string& session = "");

}  // namespace coreduel::app
