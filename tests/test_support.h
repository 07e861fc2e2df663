#pragma once
// Helpers shared by the core tests: running an experiment to completion, collecting events,
// and checking that a run left no children, zombies or file descriptors behind.

#include <dirent.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

#include "core/run/analysis.h"
#include "core/run/runner.h"
#include "core/util/sys.h"

namespace coreduel::test {

/// Collects everything the engine reports.
class RecordingSink : public EventSink {
public:
    void taskEvents(std::size_t runIndex, std::span<const TaskEvent> events) override {
        std::lock_guard lk(m_mutex);
        auto& v = eventsByRun[runIndex];
        v.insert(v.end(), events.begin(), events.end());
    }
    void runFinished(std::size_t runIndex, const RunResult& r) override {
        std::lock_guard lk(m_mutex);
        finished.emplace_back(runIndex, r);
    }
    std::map<std::size_t, std::vector<TaskEvent>> eventsByRun;
    std::vector<std::pair<std::size_t, RunResult>> finished;

private:
    std::mutex m_mutex;
};

inline ExperimentResult runExperiment(const Experiment& e, EventSink* sink = nullptr) {
    EventSink none;
    Runner runner(e);
    return runner.run(sink != nullptr ? *sink : none);
}

/// A result made of verified runs (model, workers, wall seconds) on a machine with `cpus`
/// CPUs, analysed: for statistics and lesson texts without running anything.
inline ExperimentResult syntheticResult(
    Model measured, unsigned cpus,
    std::initializer_list<std::tuple<Model, unsigned, double>> runs) {
    ExperimentResult r;
    r.experiment.models = {measured};
    r.environment.logicalCpus = r.environment.allowedCpus = cpus;
    for (const auto& [model, workers, wall] : runs) {
        RunResult run;
        run.config.model = model;
        run.config.workers = workers;
        run.ok = true;
        run.wallSeconds = wall;
        r.runs.push_back(run);
    }
    r.analysis = analyze(r);
    return r;
}

/// Children of this process, living or zombie, found through /proc (not through wait, which
/// would reap them and hide the leak).
inline std::vector<int> childPids() {
    std::vector<int> pids;
    const std::string self = std::to_string(::getpid());
    DIR* d = ::opendir("/proc");
    while (dirent* e = d ? ::readdir(d) : nullptr) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
        std::ifstream status(std::string("/proc/") + e->d_name + "/status");
        std::string line;
        while (std::getline(status, line)) {
            if (line.rfind("PPid:", 0) == 0) {
                if (std::stoi(line.substr(5)) == ::getpid()) pids.push_back(std::stoi(e->d_name));
                break;
            }
        }
    }
    if (d) ::closedir(d);
    (void)self;
    return pids;
}

/// Entries in /dev/shm (0 where there is no such folder): shared memory we leaked would show here.
/// Entries in /dev/shm, leaving out the named semaphores and arenas of Python's
/// multiprocessing (sem.mp-*, pym-*): a py:processes test running beside (ctest -j) has them
/// while its Pool lives, and the engine itself never creates a /dev/shm name at all.
inline long shmEntries() {
    std::error_code ec;
    long n = 0;
    for (std::filesystem::directory_iterator it("/dev/shm", ec), end; !ec && it != end;
         it.increment(ec)) {
        const std::string name = it->path().filename().string();
        // Python's and Open MPI's own (an MPI test beside this one under ctest -j2 has its
        // ranks' vader segments there): CoreDuel names none, it maps memfds.
        if (name.rfind("sem.mp-", 0) == 0 || name.rfind("pym-", 0) == 0 ||
            name.rfind("vader_segment.", 0) == 0)
            continue;
        ++n;
    }
    return n;
}

/// ASan or TSan: their runtimes are not fork-safe in GCC 12 and both rewrite a SIGSEGV into
/// their own report and exit status.
inline bool sanitizerBuild() {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    return true;
#else
    return false;
#endif
}

}  // namespace coreduel::test
