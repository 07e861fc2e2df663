// The machine-load meter must never count the run's own processes as "other programs": on
// main, lesson 01 blamed "other programs" for 28-30 % of the CPUs on an idle VM, which were
// the interpreter's multiprocessing Pool. These tests measure CPU time, not wall time, so a
// busy CI machine slows them but cannot make them fail.

#include <gtest/gtest.h>

#include "test_support.h"

#include <sys/wait.h>
#include <unistd.h>

#include <ctime>

#include "core/exec/python_executor.h"
#include "core/run/machine_load.h"
#include "core/util/errors.h"

using namespace coreduel;

namespace {

std::int64_t ownCpuNs() {
    timespec ts{};
    ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

/// Burns `ns` of this process's CPU time (async-signal-safe: fine in a forked child).
void spinCpu(std::int64_t ns) {
    const std::int64_t end = ownCpuNs() + ns;
    while (ownCpuNs() < end) {
    }
}

constexpr std::int64_t kSpin = 300'000'000;  // 0.3 s of CPU per process

}  // namespace

TEST(MachineLoadTree, ChildrenAndGrandchildrenCountAsOursAliveAndReaped) {
    int ready[2];
    int release[2];
    ASSERT_EQ(::pipe(ready), 0);
    ASSERT_EQ(::pipe(release), 0);
    const std::int64_t before = processTreeCpuNs();
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        // A child that burns, and a grandchild that burns and is reaped by the child (as a
        // multiprocessing Pool's workers are by the interpreter). Only async-signal-safe calls.
        const pid_t grandchild = ::fork();
        if (grandchild == 0) {
            spinCpu(kSpin);
            ::_exit(0);
        }
        spinCpu(kSpin);
        int status = 0;
        ::waitpid(grandchild, &status, 0);
        char c = 'r';
        (void)!::write(ready[1], &c, 1);
        (void)!::read(release[0], &c, 1);
        ::_exit(0);
    }
    char c = 0;
    ASSERT_EQ(::read(ready[0], &c, 1), 1);
    // The child is alive, the grandchild already reaped into the child's account.
    const std::int64_t alive = processTreeCpuNs() - before;
    EXPECT_GE(alive, 2 * kSpin * 9 / 10) << "ns of the tree's CPU time seen";
    ASSERT_EQ(::write(release[1], &c, 1), 1);
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    // Both reaped: in this process's children's account now, not lost.
    const std::int64_t reaped = processTreeCpuNs() - before;
    EXPECT_GE(reaped, 2 * kSpin * 9 / 10);
    for (int fd : {ready[0], ready[1], release[0], release[1]}) ::close(fd);
}

TEST(MachineLoadTree, APoolsWorkersAreNotOtherPrograms) {
    try {
        (void)resolvePython("");
    } catch (const InvalidArgument&) {
        GTEST_SKIP() << "python3 is not installed";
    }
    Experiment e;
    e.workload = "primes";
    e.params = {{"end", "400000"}, {"tasks", "32"}};
    e.models = {Model::PyProcesses};
    e.workerCounts = {2};
    e.repetitions = 2;
    const ExperimentResult r = test::runExperiment(e);
    ASSERT_TRUE(r.allOk());
    ASSERT_TRUE(r.machineLoad.measured());
    // The CPU time the runs themselves account for (the interpreter and its Pool workers
    // included): the meter must have taken (nearly) all of it out of the machine's busy time
    // as ours. A window at each run's edges can fall outside the run: hence not all of it.
    double runsCpu = 0;
    for (const RunResult& run : r.runs) runsCpu += run.cpuUserSeconds + run.cpuSystemSeconds;
    ASSERT_GT(runsCpu, 0.3) << "too little work to tell";
    EXPECT_GE(r.machineLoad.ownCpuSeconds, 0.7 * runsCpu)
        << "the run's own processes were counted as other programs";
}

TEST(MachineLoadTree, WorkerProcessesAreNotOtherPrograms) {
    Experiment e;
    e.workload = "primes";
    e.params = {{"end", "3000000"}, {"tasks", "32"}};
    e.models = {Model::Processes};
    e.workerCounts = {2};
    e.repetitions = 2;
    const ExperimentResult r = test::runExperiment(e);
    ASSERT_TRUE(r.allOk());
    ASSERT_TRUE(r.machineLoad.measured());
    double runsCpu = 0;
    for (const RunResult& run : r.runs) runsCpu += run.cpuUserSeconds + run.cpuSystemSeconds;
    ASSERT_GT(runsCpu, 0.3) << "too little work to tell";
    EXPECT_GE(r.machineLoad.ownCpuSeconds, 0.7 * runsCpu);
}
