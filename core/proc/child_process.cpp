#include "core/proc/child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <filesystem>

#include "core/util/clock.h"

extern char** environ;

namespace coreduel {

namespace {

ChildExit fromRusage(int status, const rusage& ru) {
    ChildExit e;
    e.status = status;
    e.cpuUserNs = toNs(ru.ru_utime);
    e.cpuSystemNs = toNs(ru.ru_stime);
    e.maxRssKib = ru.ru_maxrss;
    e.voluntarySwitches = static_cast<std::uint64_t>(ru.ru_nvcsw);
    e.involuntarySwitches = static_cast<std::uint64_t>(ru.ru_nivcsw);
    e.minorFaults = static_cast<std::uint64_t>(ru.ru_minflt);
    e.majorFaults = static_cast<std::uint64_t>(ru.ru_majflt);
    return e;
}

int openPidfd(pid_t pid) {
    return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
}

}  // namespace

ChildProcess spawnProgram(const std::vector<std::string>& argv,
                          const std::vector<std::pair<int, int>>& fdMap,
                          const SpawnOptions& options) {
    // Move the sources out of the way first so that no mapping overwrites another's source.
    std::vector<UniqueFd> high;
    for (const auto& [from, to] : fdMap) {
        const int fd = ::fcntl(from, F_DUPFD_CLOEXEC, 10);
        if (fd < 0) throwSystemError("fcntl F_DUPFD_CLOEXEC");
        high.emplace_back(fd);
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    int maxTarget = 2;
    for (std::size_t i = 0; i < fdMap.size(); ++i) {
        posix_spawn_file_actions_adddup2(&actions, high[i].get(), fdMap[i].second);
        maxTarget = std::max(maxTarget, fdMap[i].second);
    }
    // Belt and braces: an fd some library opened without O_CLOEXEC must not keep a worker's
    // pipe open in another worker (its EOF would never come).
    posix_spawn_file_actions_addclosefrom_np(&actions, maxTarget + 1);

    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    if (options.newProcessGroup) {
        posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
        posix_spawnattr_setpgroup(&attr, 0);
    }
    pid_t pid = -1;
    const int rc = ::posix_spawn(&pid, args[0], &actions, &attr, args.data(), environ);
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throwSystemError("posix_spawn " + argv[0], rc);
    return ChildProcess::adopt(pid);
}

// ---- ChildProcess ------------------------------------------------------------------------

ChildProcess ChildProcess::adopt(pid_t pid) {
    UniqueFd fd(openPidfd(pid));
    if (!fd.valid()) {
        const int err = errno;
        // Still our unreaped child, so its pid cannot have been reused: kill by pid is safe.
        ::kill(pid, SIGKILL);
        while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
        }
        throwSystemError("pidfd_open " + std::to_string(pid), err);
    }
    return ChildProcess(pid, std::move(fd), nullptr);
}

ChildProcess ChildProcess::watch(pid_t pid, ChildReaper& reaper) {
    UniqueFd fd(openPidfd(pid));
    if (!fd.valid()) {
        const int err = errno;
        // Unreaped by its parent until the reaper says so, so the pid is still this child's.
        ::kill(pid, SIGKILL);
        try {
            reaper.waitExit(pid, 5000);
        } catch (...) {
        }
        throwSystemError("pidfd_open " + std::to_string(pid), err);
    }
    return ChildProcess(pid, std::move(fd), &reaper);
}

ChildProcess::~ChildProcess() {
    destroy();
}

ChildProcess::ChildProcess(ChildProcess&& o) noexcept
    : m_pid(std::exchange(o.m_pid, -1)),
      m_pidfd(std::move(o.m_pidfd)),
      m_reaper(std::exchange(o.m_reaper, nullptr)),
      m_exit(std::exchange(o.m_exit, std::nullopt)) {}

ChildProcess& ChildProcess::operator=(ChildProcess&& o) noexcept {
    if (this != &o) {
        destroy();
        m_pid = std::exchange(o.m_pid, -1);
        m_pidfd = std::move(o.m_pidfd);
        m_reaper = std::exchange(o.m_reaper, nullptr);
        m_exit = std::exchange(o.m_exit, std::nullopt);
    }
    return *this;
}

void ChildProcess::destroy() noexcept {
    if (m_pid > 0 && !m_exit) {
        try {
            killAndWait();
        } catch (...) {
            // Nothing sensible left to do in a destructor; the child was sent SIGKILL.
        }
    }
    m_pid = -1;
    m_pidfd.reset();
    m_reaper = nullptr;
    m_exit.reset();
}

void ChildProcess::signal(int sig) {
    if (m_pid <= 0 || m_exit) return;
    if (::syscall(SYS_pidfd_send_signal, m_pidfd.get(), sig, nullptr, 0) != 0 && errno != ESRCH)
        throwSystemError("pidfd_send_signal " + std::to_string(m_pid));
}

std::optional<ChildExit> ChildProcess::wait(int timeoutMs) {
    if (m_exit || m_pid <= 0) return m_exit;
    if (m_reaper != nullptr) {
        m_exit = m_reaper->waitExit(m_pid, timeoutMs);
        return m_exit;
    }
    const auto deadline = monotonicNs() + std::int64_t{timeoutMs} * 1'000'000;
    for (;;) {
        int status = 0;
        rusage ru{};
        const pid_t r = ::wait4(m_pid, &status, WNOHANG, &ru);
        if (r == m_pid) {
            m_exit = fromRusage(status, ru);
            return m_exit;
        }
        if (r < 0 && errno != EINTR) throwSystemError("wait4 " + std::to_string(m_pid));
        const auto left = (deadline - monotonicNs()) / 1'000'000;
        if (left <= 0 && r == 0) return std::nullopt;
        // The pidfd becomes readable when the process ends: no polling loop with sleeps.
        pollfd p{m_pidfd.get(), POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(std::max<std::int64_t>(left, 0))) < 0 && errno != EINTR)
            throwSystemError("poll pidfd");
    }
}

std::optional<ChildExit> ChildProcess::killAndWait() {
    if (m_exit || m_pid <= 0) return m_exit;
    signal(SIGKILL);
    if (m_reaper != nullptr) return wait(5000);
    for (;;) {
        int status = 0;
        rusage ru{};
        const pid_t r = ::wait4(m_pid, &status, 0, &ru);
        if (r == m_pid) {
            m_exit = fromRusage(status, ru);
            return m_exit;
        }
        if (r < 0 && errno != EINTR) throwSystemError("wait4 " + std::to_string(m_pid));
    }
}

pid_t ChildProcess::release() {
    m_pidfd.reset();
    m_reaper = nullptr;
    m_exit.reset();
    return std::exchange(m_pid, -1);
}

bool moveToWorkerFds(const int* fds, int n) noexcept {
    // Only fcntl, dup2 and close_range: all async-signal-safe system calls. First out of the
    // way (above every target), then into place, so no move overwrites a later source.
    if (n > kMaxWorkerFds) return false;
    int high[kMaxWorkerFds];
    for (int i = 0; i < n; ++i)
        if ((high[i] = ::fcntl(fds[i], F_DUPFD, 10)) < 0) return false;
    for (int i = 0; i < n; ++i)
        if (::dup2(high[i], kFirstWorkerFd + i) < 0) return false;
    return ::syscall(SYS_close_range, kFirstWorkerFd + n, UINT_MAX, 0) == 0;
}

}  // namespace coreduel
