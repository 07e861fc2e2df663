#pragma once
// Running another of our programs (the window, coreduel-cli) as a child and waiting for it:
// its stdout to /dev/null, its stderr kept for when it fails or for what it measured.

#include <string>
#include <vector>

namespace coreduel::app {

struct ProgramRun {
    bool ok = false;  ///< exited with status 0
    std::string how;  ///< "exited with 3", "was killed by signal 9"
    std::string stderrText;
};

/// posix_spawns `argv` (argv[0] a path) with this environment plus `setEnv` ("NAME=VALUE",
/// replacing the same NAME), and waits for it. Throws std::system_error naming the failed call.
ProgramRun runProgram(const std::vector<std::string>& argv,
                      const std::vector<std::string>& setEnv = {});

/// Another program of ours, next to this one (build folder and installed bin/ alike); throws
/// InvalidArgument naming it when it is missing and saying `why` it is needed.
std::string siblingProgram(const std::string& name, const std::string& why);

}  // namespace coreduel::app
