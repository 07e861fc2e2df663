#pragma once
// Experiments and results as files: a versioned JSON schema shared by the CLI and the GUI.
//   {"schema": "coreduel.experiment/1", "workload": "primes", "params": {"end": "6000000"},
//    "models": ["threads", "processes"], "workers": [1, 2] or "1-8", ...}
// A result file ("coreduel.result/1", see json_report.h) holds its experiment in the same
// shape under "experiment", so a result can be re-run or compared.
// Every error names the place: "exp.json:3:14: ..." for syntax, "exp.json: /workers/1: ..."
// for content.

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "core/run/experiment.h"
#include "core/run/result.h"

namespace coreduel {

inline constexpr const char* kExperimentSchema = "coreduel.experiment/1";

/// A file that is not what it should be; what() names the file and the place in it.
class FileFormatError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

nlohmann::json toJson(const Experiment& e);
/// Reads an experiment object; `where` prefixes error messages (a file name). Fields left out
/// keep their defaults; unknown fields are errors (a typo must not pass silently).
Experiment experimentFromJson(const nlohmann::json& j, const std::string& where);

/// Parses a file as JSON; syntax errors carry line and column.
nlohmann::json readJsonFile(const std::string& path);
/// An experiment file, or the experiment inside a result file.
Experiment loadExperimentFile(const std::string& path);
/// A saved result: its runs, environment and experiment; statistics are recomputed.
ExperimentResult resultFromJson(const nlohmann::json& j, const std::string& where);
ExperimentResult loadResultFile(const std::string& path);
/// One run of a result's "runs" (`ptr` is its JSON pointer there, for messages); a run that
/// names no workload ran `defaultWorkload`. `v1`: from a coreduel.result/1 file.
RunResult runFromJson(const nlohmann::json& o, const std::string& where, const std::string& ptr,
                      const std::string& defaultWorkload, bool v1 = false);

/// Writes `text` to `path` atomically: a temporary file in the same folder, fsync, rename.
/// Nothing half-written is ever left at `path`; throws std::system_error (e.g. ENOSPC).
void writeFileAtomically(const std::string& path, const std::string& text);

}  // namespace coreduel
