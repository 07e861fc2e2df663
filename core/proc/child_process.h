#pragma once
// Starting, owning and reaping child processes. A ChildProcess owns a pid and its pidfd: the
// pidfd is readable once the process has ended (for poll), signals go through it (never to a
// recycled pid), and when the owner lets go without having seen the end, the child is killed
// and reaped. So no code path, exception or early return leaves a stray worker or a zombie.

#include <sys/types.h>
#include <unistd.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/util/install_paths.h"  // workerExecutable()
#include "core/util/sys.h"

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

/// Waits for children that are not ours: the fork server's workers are its children, so only
/// it can wait4 for them; it reports each end over its socket.
class ChildReaper {
public:
    /// How `pid` ended; nullopt if that was not known within timeoutMs.
    virtual std::optional<ChildExit> waitExit(pid_t pid, int timeoutMs) = 0;

protected:
    ~ChildReaper() = default;
};

class ChildProcess {
public:
    ChildProcess() = default;
    /// Takes our own child (just forked or spawned) and opens its pidfd. If pidfd_open fails
    /// the child is killed and reaped, and std::system_error naming pidfd_open is thrown.
    [[nodiscard]] static ChildProcess adopt(pid_t pid);
    /// Watches a child of another process (the fork server's): the pidfd tells of its death,
    /// `reaper` (which must outlive this) says how it ended. If pidfd_open fails the child is
    /// killed, its end collected through `reaper`, and std::system_error thrown.
    [[nodiscard]] static ChildProcess watch(pid_t pid, ChildReaper& reaper);

    /// Kills and reaps a child that is still owned and whose end has not been seen.
    ~ChildProcess();
    ChildProcess(ChildProcess&& o) noexcept;
    ChildProcess& operator=(ChildProcess&& o) noexcept;
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    [[nodiscard]] bool valid() const { return m_pid > 0; }
    [[nodiscard]] pid_t pid() const { return m_pid; }
    /// Readable (POLLIN) once the process has ended.
    [[nodiscard]] int pidfd() const { return m_pidfd.get(); }
    /// Its end, once seen by wait or killAndWait (the process is then reaped).
    [[nodiscard]] const std::optional<ChildExit>& exit() const { return m_exit; }
    [[nodiscard]] bool reaped() const { return m_exit.has_value(); }

    /// Sends `sig` through the pidfd; nothing once the end was seen. Throws naming the call.
    void signal(int sig);
    /// Waits at most timeoutMs (0: just look) for the end; reaps and returns it.
    std::optional<ChildExit> wait(int timeoutMs);
    /// SIGKILL, then wait: our own child always yields its end; a watched child's end comes
    /// when its reaper reports it (nullopt if not within 5 s).
    std::optional<ChildExit> killAndWait();
    /// Gives up ownership: returns the pid; nothing is killed or reaped by this object.
    pid_t release();

private:
    ChildProcess(pid_t pid, UniqueFd pidfd, ChildReaper* reaper)
        : m_pid(pid), m_pidfd(std::move(pidfd)), m_reaper(reaper) {}
    void destroy() noexcept;

    pid_t m_pid = -1;
    UniqueFd m_pidfd;
    ChildReaper* m_reaper = nullptr;  ///< null: our own child, reaped with wait4
    std::optional<ChildExit> m_exit;
};

struct SpawnOptions {
    /// The child leads a process group of its own, so that it and everything it starts (an
    /// interpreter's pool workers, its fork server) can be signalled together with killpg.
    bool newProcessGroup = false;
};

/// posix_spawn `argv` with the given (source fd -> target fd) mapping; every other fd above 2
/// is closed in the child. Throws std::system_error naming the program (or pidfd_open).
[[nodiscard]] ChildProcess spawnProgram(const std::vector<std::string>& argv,
                                        const std::vector<std::pair<int, int>>& fdMap,
                                        const SpawnOptions& options = {});

/// In a freshly forked child only (async-signal-safe): puts fds[0..n) on fds 3, 4, ... and
/// closes every other fd above 2. Returns false if a call failed.
bool moveToWorkerFds(const int* fds, int n) noexcept;

/// Where a worker finds its channel's descriptors, as coreduel-worker expects them.
inline constexpr int kFirstWorkerFd = 3;
inline constexpr int kMaxWorkerFds = 4;

/// Exit status of a forked child whose body let an exception escape (EX_SOFTWARE).
inline constexpr int kChildEscapedStatus = 70;

/// The end of every forked child: runs `body` (returning the exit status) and _exits with
/// it, or with kChildEscapedStatus if anything escaped. Never returns and never unwinds into
/// the code that forked (which would go on as a second engine or fork server).
template <class Body>
[[noreturn]] void runChildAndExit(Body&& body) noexcept {
    int status = kChildEscapedStatus;
    try {
        status = body();
    } catch (...) {
    }
    ::_exit(status);
}

}  // namespace coreduel
