#include "core/measure/profiler.h"

#include <dirent.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>

#include "core/measure/cpu_sampler.h"
#include "core/util/clock.h"
#include "core/util/sys.h"

extern char** environ;

namespace coreduel {

namespace {

struct ProcInfo {
    pid_t ppid = 0;
    std::string name;
    double cpuSeconds = 0;
};

bool readProc(pid_t pid, ProcInfo& info, std::int64_t& hwm, unsigned& threads) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(stat, line)) return false;
    const auto open = line.find('(');
    const auto close = line.rfind(')');
    if (open == std::string::npos || close == std::string::npos) return false;
    info.name = line.substr(open + 1, close - open - 1);
    std::istringstream rest(line.substr(close + 2));
    std::string field;
    std::vector<std::string> f;
    while (rest >> field) f.push_back(field);
    // f[0] is field 3 (state): ppid is field 4, utime 14, stime 15.
    if (f.size() < 13) return false;
    info.ppid = static_cast<pid_t>(std::stol(f[1]));
    info.cpuSeconds = static_cast<double>(std::stoull(f[11]) + std::stoull(f[12])) /
                      static_cast<double>(userHz());
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    while (std::getline(status, line)) {
        if (line.rfind("VmHWM:", 0) == 0) hwm = std::stoll(line.substr(6));
        if (line.rfind("Threads:", 0) == 0)
            threads = static_cast<unsigned>(std::stoul(line.substr(8)));
    }
    return true;
}

/// Every process whose ancestry leads to `root` (root included).
std::vector<std::pair<pid_t, ProcInfo>> processTree(pid_t root) {
    std::map<pid_t, ProcInfo> all;
    DIR* d = ::opendir("/proc");
    while (dirent* e = d ? ::readdir(d) : nullptr) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
        const pid_t pid = static_cast<pid_t>(std::atol(e->d_name));
        std::ifstream stat(std::string("/proc/") + e->d_name + "/stat");
        std::string line;
        if (!std::getline(stat, line)) continue;
        const auto close = line.rfind(')');
        if (close == std::string::npos) continue;
        ProcInfo info;
        info.ppid = static_cast<pid_t>(std::atol(line.c_str() + close + 4));
        all[pid] = info;
    }
    if (d) ::closedir(d);
    std::set<pid_t> tree = {root};
    for (bool grew = true; grew;) {
        grew = false;
        for (const auto& [pid, info] : all)
            if (!tree.count(pid) && tree.count(info.ppid)) grew = tree.insert(pid).second || grew;
    }
    std::vector<std::pair<pid_t, ProcInfo>> out;
    for (pid_t pid : tree) out.emplace_back(pid, ProcInfo{});
    return out;
}

}  // namespace

ProfileRun profileOnce(const ProfileOptions& options, const std::atomic<bool>* cancel) {
    if (options.argv.empty()) throw std::invalid_argument("no command to profile");
    std::vector<std::string> argv = options.argv;
    if (options.shell) argv = {"/bin/sh", "-c", options.argv[0]};
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);

    ProfileRun run;
    std::mutex mutex;
    std::vector<double> busy;
    std::int64_t windows = 0;
    std::map<pid_t, ProcessProfile> seen;
    std::atomic<pid_t> rootPid{-1};  // read by the sampler thread

    CpuSampler sampler(options.sampleHz, [&](UtilizationSample&& s) {
        std::lock_guard lk(mutex);
        if (busy.size() < s.cores.size()) busy.resize(s.cores.size(), 0);
        for (std::size_t c = 0; c < s.cores.size(); ++c) busy[c] += s.cores[c].busy() * s.windowNs;
        windows += s.windowNs;
        ++run.samples;
        const pid_t root = rootPid.load();
        if (root <= 0) return;
        for (auto& [pid, unused] : processTree(root)) {
            ProcInfo info;
            std::int64_t hwm = 0;
            unsigned threads = 0;
            if (!readProc(pid, info, hwm, threads)) continue;
            auto& p = seen[pid];
            p.pid = pid;
            p.parent = info.ppid;
            p.name = info.name;
            p.cpuSeconds = std::max(p.cpuSeconds, info.cpuSeconds);
            p.peakRssKib = std::max(p.peakRssKib, hwm);
            p.maxThreads = std::max(p.maxThreads, threads);
        }
    });

    sampler.start();
    pid_t child = -1;
    const auto t0 = monotonicNs();
    // posix_spawnp: a PATH lookup, as a shell would, without a shell (unless asked for).
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr,
                             POSIX_SPAWN_SETPGROUP);  // its own process group: killable as a tree
    posix_spawnattr_setpgroup(&attr, 0);
    const int rc = ::posix_spawnp(&child, args[0], nullptr, &attr, args.data(), environ);
    posix_spawnattr_destroy(&attr);
    if (rc != 0) {
        sampler.stop();
        throwSystemError("cannot run '" + argv[0] + "'", rc);
    }
    rootPid.store(child);
    int status = 0;
    rusage ru{};
    for (;;) {
        const pid_t r = ::wait4(child, &status, WNOHANG, &ru);
        if (r == child) break;
        if (r < 0 && errno != EINTR) break;
        const bool late = options.timeoutSeconds > 0 &&
                          static_cast<double>(monotonicNs() - t0) / 1e9 > options.timeoutSeconds;
        if (late || (cancel != nullptr && cancel->load())) ::kill(-child, SIGKILL);
        timespec ts{0, 2'000'000};
        ::nanosleep(&ts, nullptr);
    }
    run.wallSeconds = static_cast<double>(monotonicNs() - t0) / 1e9;
    // Anything of the tree still around (a daemonised grandchild) goes with the run.
    ::kill(-child, SIGKILL);
    sampler.stop();
    run.exitStatus = status;
    run.cpuUserSeconds = static_cast<double>(ru.ru_utime.tv_sec) + ru.ru_utime.tv_usec / 1e6;
    run.cpuSystemSeconds = static_cast<double>(ru.ru_stime.tv_sec) + ru.ru_stime.tv_usec / 1e6;
    run.maxRssKib = ru.ru_maxrss;
    std::lock_guard lk(mutex);
    for (auto& [pid, p] : seen) run.processes.push_back(p);
    for (double b : busy)
        run.coreBusy.push_back(windows > 0 ? b / static_cast<double>(windows) : 0);
    return run;
}

}  // namespace coreduel
