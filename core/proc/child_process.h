#pragma once
// Starting, watching and reaping child processes: posix_spawn of coreduel-worker, wait4 with a
// deadline, and what a child's end looked like.

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace coreduel {

/// How a child ended, with its resource usage (from wait4, here or in the fork server).
struct ChildExit {
    int status = 0;  ///< as from waitpid
    std::int64_t cpuUserNs = 0;
    std::int64_t cpuSystemNs = 0;
    std::int64_t maxRssKib = 0;
    std::uint64_t voluntarySwitches = 0;
    std::uint64_t involuntarySwitches = 0;
    std::uint64_t minorFaults = 0;
    std::uint64_t majorFaults = 0;
};

/// Path of the coreduel-worker program: $COREDUEL_WORKER, else next to this executable.
std::string workerExecutable();

/// posix_spawn `argv` with the given (source fd -> target fd) mapping; every other fd above 2
/// is closed in the child. Throws std::system_error naming the program.
pid_t spawnProgram(const std::vector<std::string>& argv,
                   const std::vector<std::pair<int, int>>& fdMap);

/// wait4 on our own child, giving up after timeoutMs (0: just look). nullopt if still running.
std::optional<ChildExit> reapChild(pid_t pid, int timeoutMs);
/// SIGKILL then wait4: for a child that must go now. Never leaves a zombie.
ChildExit killAndReap(pid_t pid);

/// In a freshly forked child only (async-signal-safe): puts fds[0..n) on fds 3, 4, ... and
/// closes every other fd above 2. Returns false if a call failed.
bool moveToWorkerFds(const int* fds, int n) noexcept;

/// Where a worker finds its channel's descriptors, as coreduel-worker expects them.
inline constexpr int kFirstWorkerFd = 3;
inline constexpr int kMaxWorkerFds = 4;

}  // namespace coreduel
