#pragma once
// The Python interpreters this machine has, for `coreduel-cli list` and the interpreter
// axis: python3 and python3.X on PATH, the free-threaded python3.13t / python3.14t, and the
// one scripts/build_free_threaded_python.sh builds into the cache
// ($XDG_CACHE_HOME or ~/.cache)/coreduel/cpython-*/bin/python3.*t. Each is asked (a short
// run of it) for its version, its build (Py_GIL_DISABLED) and sys._is_gil_enabled().

#include <optional>
#include <string>
#include <vector>

namespace coreduel {

struct InterpreterInfo {
    std::string path;            ///< as found (PATH entry or cache path)
    std::string realPath;        ///< symlinks resolved: what tells two names of one apart
    std::string source;          ///< "PATH", "cache" or "COREDUEL_FREE_THREADED_PYTHON"
    std::string implementation;  ///< "cpython"
    std::string version;         ///< "3.13.5"
    int major = 0, minor = 0;
    bool freeThreadedBuild = false;  ///< sysconfig Py_GIL_DISABLED
    std::optional<bool> gilEnabled;  ///< sys._is_gil_enabled() at start-up (True before 3.13)
    std::string label;               ///< "CPython 3.13t (no GIL)"
    std::string error;               ///< why it could not be asked; the rest is then empty
};

/// Asks one interpreter (a path or a name on PATH) what it is; error set when it cannot say.
InterpreterInfo probeInterpreter(const std::string& python);

/// The bootstrap cache's free-threaded interpreters (complete builds only).
std::vector<std::string> cachedFreeThreadedInterpreters();

/// Every interpreter found, each once (by resolved path), in the order: PATH, the cache.
std::vector<InterpreterInfo> findInterpreters();

/// A free-threaded interpreter: $COREDUEL_FREE_THREADED_PYTHON when set, else the first of
/// python3.14t / python3.13t on PATH, else the cache's; "" when there is none.
std::string findFreeThreadedPython();

}  // namespace coreduel
