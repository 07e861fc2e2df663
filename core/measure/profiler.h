#pragma once
// Profiling any program: run it (argv directly, or through /bin/sh -c), sample per-core
// utilization while it runs, and follow its whole process tree through /proc: CPU time, peak
// RSS and thread count per process. Repetitions give statistics; two commands can be compared.

#include <sys/types.h>

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

namespace coreduel {

struct ProcessProfile {
    pid_t pid = 0;
    pid_t parent = 0;
    std::string name;             ///< /proc/PID/comm
    double cpuSeconds = 0;        ///< user + system, last seen (ticks: 10 ms resolution)
    std::int64_t peakRssKib = 0;  ///< VmHWM, last seen
    unsigned maxThreads = 0;
};

struct ProfileRun {
    double wallSeconds = 0;     ///< steady clock, spawn to reaped
    double cpuUserSeconds = 0;  ///< wait4: the child and every descendant it waited for
    double cpuSystemSeconds = 0;
    std::int64_t maxRssKib = 0;             ///< wait4: the largest of them
    int exitStatus = 0;                     ///< as from waitpid
    std::vector<ProcessProfile> processes;  ///< every process of the tree seen while sampling
    std::vector<double> coreBusy;  ///< mean busy fraction per core over the run (/proc/stat)
    std::size_t samples = 0;
};

struct ProfileOptions {
    std::vector<std::string> argv;  ///< the command; with `shell`, argv[0] is the script
    bool shell = false;
    double sampleHz = 20;
    double timeoutSeconds = 0;  ///< 0: none; the tree is killed when it runs out
};

/// Runs the command once. Throws std::system_error when it cannot be started. `cancel` (may be
/// null) kills the tree when set.
ProfileRun profileOnce(const ProfileOptions& options, const std::atomic<bool>* cancel = nullptr);

}  // namespace coreduel
