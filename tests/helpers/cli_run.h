#pragma once
// coreduel-cli as a test runs it: a command line (COREDUEL_CLI_PATH and `args`, through the
// shell), its exit status and everything it printed, stdout and stderr together.

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace coreduel::test {

struct CliOutcome {
    int exitCode = -1;
    std::string out;  ///< stdout and stderr together
};

inline CliOutcome runCli(const std::string& args) {
    const std::string cmd = std::string(COREDUEL_CLI_PATH) + " " + args + " 2>&1";
    CliOutcome o;
    FILE* p = ::popen(cmd.c_str(), "r");
    if (p == nullptr) return o;
    std::array<char, 4096> buf;
    std::size_t n;
    while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) o.out.append(buf.data(), n);
    const int status = ::pclose(p);
    o.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return o;
}

}  // namespace coreduel::test
