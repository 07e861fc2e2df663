#pragma once
// The interpreter axis of an experiment: which Python interpreters run the py: models, each
// with how its GIL is asked for. An experiment's `python` is a comma-separated list of specs,
// so an old file's single interpreter is a list of one:
//   "python3"                          python3 on PATH, as its build decides
//   "python3,/opt/py/bin/python3.13t"  two interpreters: every py: model runs under each
//   "/opt/py/bin/python3.13t:gil=1"    the free-threaded build with the GIL forced back on
//                                      (PYTHON_GIL=1, passed as -X gil=1: the runtime starts
//                                      with -E, which ignores PYTHON_* variables)

#include <optional>
#include <string>
#include <vector>

namespace coreduel {

struct InterpreterSpec {
    std::string python;       ///< a path, or a name looked up on PATH; "" = python3
    std::optional<bool> gil;  ///< PYTHON_GIL: true = 1, false = 0, nullopt = the build's default
};

/// "python3,PATH:gil=1" -> {"python3", "PATH:gil=1"}; "" -> {""} (python3). Each spec is
/// checked (parseInterpreterSpec) and duplicates are dropped. Throws InvalidArgument.
std::vector<std::string> splitInterpreters(const std::string& list);
/// "PATH", "PATH:gil=0", "PATH:gil=1". Throws InvalidArgument naming the bad part.
InterpreterSpec parseInterpreterSpec(const std::string& text);
/// The -X options that carry the spec's GIL choice to the interpreter: {"-X", "gil=1"} or {}.
std::vector<std::string> interpreterOptions(const InterpreterSpec& spec);

/// A short name for tables and charts: "CPython 3.11", "CPython 3.13t (no GIL)",
/// "CPython 3.13t (PYTHON_GIL=1)". `freeThreadedBuild`: Py_GIL_DISABLED.
std::string interpreterLabel(const std::string& implementation, int major, int minor,
                             bool freeThreadedBuild, std::optional<bool> gilOption);

}  // namespace coreduel
