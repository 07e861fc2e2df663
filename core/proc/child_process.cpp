#include "core/proc/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <filesystem>

#include "core/util/clock.h"
#include "core/util/sys.h"

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

}  // namespace

std::string workerExecutable() {
    if (const char* env = std::getenv("COREDUEL_WORKER"); env != nullptr && *env != '\0')
        return env;
    std::error_code ec;
    const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        const auto candidate = self.parent_path() / "coreduel-worker";
        if (std::filesystem::exists(candidate, ec)) return candidate.string();
    }
    return "coreduel-worker";  // posix_spawnp below is not used: this fails with a clear error
}

pid_t spawnProgram(const std::vector<std::string>& argv,
                   const std::vector<std::pair<int, int>>& fdMap) {
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
    pid_t pid = -1;
    const int rc = ::posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throwSystemError("posix_spawn " + argv[0], rc);
    return pid;
}

std::optional<ChildExit> reapChild(pid_t pid, int timeoutMs) {
    const auto deadline = monotonicNs() + std::int64_t{timeoutMs} * 1'000'000;
    for (;;) {
        int status = 0;
        rusage ru{};
        const pid_t r = ::wait4(pid, &status, WNOHANG, &ru);
        if (r == pid) return fromRusage(status, ru);
        if (r < 0 && errno != EINTR) throwSystemError("wait4 " + std::to_string(pid));
        if (monotonicNs() >= deadline) return std::nullopt;
        timespec ts{0, 1'000'000};
        ::nanosleep(&ts, nullptr);
    }
}

ChildExit killAndReap(pid_t pid) {
    ::kill(pid, SIGKILL);
    for (;;) {
        int status = 0;
        rusage ru{};
        const pid_t r = ::wait4(pid, &status, 0, &ru);
        if (r == pid) return fromRusage(status, ru);
        if (r < 0 && errno != EINTR) throwSystemError("wait4 " + std::to_string(pid));
    }
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
