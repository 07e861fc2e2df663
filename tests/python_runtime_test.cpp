// The py: models: the same tasks in a real Python interpreter. Every ported workload must give
// the native sequential checksum under the interpreter's loop, threads and Pool; its task
// events must be real threads and processes; a crashing, hanging or cancelled interpreter
// run must be reported and leave nothing running. Skipped where there is no python3.

#include <dirent.h>
#include <signal.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <set>
#include <thread>

#include "core/exec/python_executor.h"
#include "core/run/proc_self.h"
#include "core/util/install_paths.h"
#include "test_support.h"

using namespace coreduel;
using coreduel::test::RecordingSink;
using coreduel::test::runExperiment;

namespace {

/// Every process whose environment carries this test's tag: the interpreter and everything it
/// started (pool workers, fork server, resource tracker) inherit it, wherever they are
/// reparented to.
std::vector<int> taggedProcesses(const std::string& tag) {
    std::vector<int> out;
    DIR* d = ::opendir("/proc");
    if (d == nullptr) return out;
    while (const dirent* e = ::readdir(d)) {
        const int pid = std::atoi(e->d_name);
        if (pid <= 0 || pid == ::getpid()) continue;
        std::ifstream env("/proc/" + std::to_string(pid) + "/environ", std::ios::binary);
        std::string text((std::istreambuf_iterator<char>(env)), {});
        if (text.find(tag) != std::string::npos) out.push_back(pid);
    }
    ::closedir(d);
    return out;
}

/// Debian's interpreter when it is there (bootstrap installs it): it starts in ~60 ms, where a
/// version manager's shim found first on PATH can take most of a second per run.
std::string testPython() {
    return ::access("/usr/bin/python3", X_OK) == 0 ? "/usr/bin/python3" : "";
}

/// Tags the environment the interpreter inherits, so what it leaves behind can be found.
class PythonRuntime : public ::testing::Test {
protected:
    void SetUp() override {
        if (findOnPath("python3").empty()) GTEST_SKIP() << "no python3 on PATH";
        m_tag = "coreduel-test-" + std::to_string(::getpid());
        ::setenv("COREDUEL_TEST_TAG", m_tag.c_str(), 1);
    }
    void TearDown() override { ::unsetenv("COREDUEL_TEST_TAG"); }

    /// Nothing of the interpreter is left (its children may need a moment to be reaped by
    /// whoever adopted them).
    void expectNothingLeft() {
        std::vector<int> left;
        for (int i = 0; i < 50; ++i) {
            left = taggedProcesses("COREDUEL_TEST_TAG=" + m_tag);
            if (left.empty()) return;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        ADD_FAILURE() << left.size() << " interpreter processes left running, e.g. pid "
                      << left.front();
        for (int pid : left) ::kill(pid, SIGKILL);
    }

    std::string m_tag;
};

struct PortCase {
    const char* workload;
    std::map<std::string, std::string> params;
};

[[maybe_unused]] void PrintTo(const PortCase& c, std::ostream* os) {
    *os << c.workload;
}

class PythonPort : public PythonRuntime, public ::testing::WithParamInterface<PortCase> {};

}  // namespace

TEST_P(PythonPort, GivesTheNativeChecksumInEveryPythonModel) {
    const auto& c = GetParam();
    Experiment e;
    e.workload = c.workload;
    e.python = testPython();
    e.params = c.params;
    e.models = {Model::PyThreads, Model::PyProcesses};
    e.workerCounts = {2};
    e.sampleHz = 0;
    const auto result = runExperiment(e);
    // sequential (its warm-up is not reported), py:sequential, py:threads, py:processes.
    ASSERT_EQ(result.runs.size(), 4u);
    std::set<Model> seen;
    for (const auto& r : result.runs) {
        seen.insert(r.config.model);
        // ok means: the engine's checksum of the interpreter's result bytes equals the
        // native sequential one.
        EXPECT_TRUE(r.ok) << toString(r.config.model) << ": " << r.error;
        if (isPython(r.config.model)) {
            EXPECT_EQ(r.checksum, result.baselineChecksum) << toString(r.config.model);
            EXPECT_GT(r.wallSeconds, 0);
            EXPECT_GT(r.interpreterStartupSeconds, 0);
            EXPECT_NE(r.interpreter.find("ython"), std::string::npos) << r.interpreter;
        }
    }
    EXPECT_EQ(seen.size(), 4u);
    EXPECT_FALSE(result.environment.python.empty());
    EXPECT_TRUE(result.pythonBaselineWallSeconds.has_value());
    expectNothingLeft();
}

INSTANTIATE_TEST_SUITE_P(
    Workloads, PythonPort,
    ::testing::Values(
        PortCase{"primes", {{"start", "1000"}, {"end", "60000"}, {"tasks", "13"}}},
        PortCase{"mandelbrot", {{"width", "64"}, {"height", "24"}, {"max_iter", "200"}}},
        PortCase{"factorial", {{"values", "0,1,25,1000,3000"}}},
        PortCase{"square", {{"count", "500"}}}, PortCase{"sleep", {{"tasks", "6"}, {"ms", "5"}}},
        PortCase{"fileio", {{"tasks", "4"}, {"kib", "9"}}},
        PortCase{"amdahl", {{"units", "8"}, {"serial", "25"}, {"tasks", "3"}}},
        PortCase{"counter", {{"tasks", "4"}, {"increments", "2000"}, {"mode", "locked"}}},
        PortCase{"fault", {{"mode", "none"}, {"tasks", "5"}, {"work_ms", "1"}}},
        PortCase{"convoy", {{"pings", "4"}, {"every_ms", "1"}, {"end", "30000"}, {"tasks", "5"}}}),
    [](const auto& info) { return std::string(info.param.workload); });

TEST_F(PythonRuntime, EveryStartMethodOfThePoolGivesTheSameChecksum) {
    for (auto method : {StartMethod::Fork, StartMethod::ForkServer}) {
        Experiment e;
        e.workload = "primes";
        e.python = testPython();
        e.params = {{"end", "30000"}, {"tasks", "8"}};
        e.models = {Model::PyProcesses};
        e.workerCounts = {2};
        e.startMethod = method;
        e.chunksizes = {1};
        e.sampleHz = 0;
        const auto result = runExperiment(e);
        for (const auto& r : result.runs) EXPECT_TRUE(r.ok) << toString(method) << ": " << r.error;
        const auto& pool = result.runs.back();
        ASSERT_EQ(pool.config.model, Model::PyProcesses);
        EXPECT_EQ(pool.chunksize, 1u);
        EXPECT_EQ(pool.chunks, 8u);
    }
    expectNothingLeft();
}

TEST_F(PythonRuntime, TaskEventsAreTheInterpretersOwnThreadsAndProcesses) {
    Experiment e;
    e.workload = "primes";
    e.python = testPython();
    e.params = {{"end", "150000"}, {"tasks", "16"}};
    e.models = {Model::PyThreads, Model::PyProcesses};
    e.workerCounts = {2};
    e.sampleHz = 0;
    RecordingSink sink;
    const auto result = runExperiment(e, &sink);
    ASSERT_TRUE(result.allOk());
    for (const auto& [index, r] : sink.finished) {
        if (!isPython(r.config.model)) continue;
        // Peak memory: the interpreter's own (a Python process holds megabytes), not this
        // program's (the window's tens of MiB were counted for py:threads before).
        EXPECT_GT(r.enginePeakRssKib, 2048) << toString(r.config.model);
        EXPECT_NE(r.enginePeakRssKib, peakRssKib()) << toString(r.config.model);
        if (isSequential(r.config.model)) continue;
        const auto& events = sink.eventsByRun[index];
        ASSERT_EQ(events.size(), 16u) << toString(r.config.model);
        std::set<std::int32_t> pids, tids;
        for (const auto& ev : events) {
            pids.insert(ev.pid);
            tids.insert(ev.tid);
            EXPECT_LT(ev.startNs, ev.endNs);
            EXPECT_GE(ev.cpuNs, 0);
            // Thread CPU time over a task cannot exceed its wall time by more than clock grain.
            EXPECT_LE(ev.cpuNs, ev.endNs - ev.startNs + 2'000'000);
            EXPECT_GE(ev.receivedNs, ev.endNs);
            EXPECT_LT(ev.worker, 2u);
        }
        if (r.config.model == Model::PyThreads) {
            EXPECT_EQ(pids.size(), 1u) << "threads of one interpreter";
            EXPECT_GE(tids.size(), 1u);
            // CPU-bound under a GIL: the waits are inferred and said to be.
            EXPECT_TRUE(r.gilWaitInferred ||
                        r.interpreter.find("GIL disabled") != std::string::npos);
        } else {
            EXPECT_GE(pids.size(), 1u);
            for (const auto& ev : events)
                EXPECT_EQ(ev.pid, ev.tid) << "a Pool worker's main thread";
            EXPECT_FALSE(r.gilWaitInferred);
            EXPECT_EQ(r.workers.size(), 2u);
            for (const auto& w : r.workers) EXPECT_GT(w.cpuUserNs + w.cpuSystemNs, 0);
        }
    }
    expectNothingLeft();
}

TEST_F(PythonRuntime, TheRealCounterIsIsolatedInPoolWorkers) {
    Experiment e;
    e.workload = "counter";
    e.python = testPython();
    e.params = {{"tasks", "4"}, {"increments", "3000"}, {"mode", "unlocked"}};
    e.models = {Model::PyProcesses};
    e.workerCounts = {2};
    e.sampleHz = 0;
    const auto result = runExperiment(e);
    ASSERT_TRUE(result.allOk());
    const auto& pool = result.runs.back();
    EXPECT_NE(pool.summary.find("own copy"), std::string::npos) << pool.summary;
    EXPECT_NE(pool.summary.find("interpreter"), std::string::npos) << pool.summary;
}

struct PyFault {
    const char* mode;
    const char* expected;
};
class PythonFault : public PythonRuntime, public ::testing::WithParamInterface<PyFault> {};

TEST_P(PythonFault, IsReportedWithTaskAndWorkerAndLeavesNothing) {
    const auto& c = GetParam();
    Experiment e;
    e.workload = "fault";
    e.python = testPython();
    e.params = {{"mode", c.mode}, {"tasks", "6"}, {"task", "3"}, {"work_ms", "1"}};
    e.models = {Model::PyProcesses};
    e.workerCounts = {2};
    e.taskTimeoutSeconds = 1.0;
    e.sampleHz = 0;
    const auto result = runExperiment(e);
    const auto& pool = result.runs.back();
    ASSERT_EQ(pool.config.model, Model::PyProcesses);
    EXPECT_FALSE(pool.ok);
    EXPECT_NE(pool.error.find("task 3"), std::string::npos) << pool.error;
    EXPECT_NE(pool.error.find("worker"), std::string::npos) << pool.error;
    EXPECT_NE(pool.error.find(c.expected), std::string::npos) << pool.error;
    EXPECT_TRUE(coreduel::test::childPids().empty()) << "children or zombies left behind";
    expectNothingLeft();
}

INSTANTIATE_TEST_SUITE_P(Modes, PythonFault,
                         ::testing::Values(PyFault{"throw", "RuntimeError"},
                                           PyFault{"segv", "SIGSEGV"}, PyFault{"kill", "SIGKILL"},
                                           PyFault{"hang", "timeout"}),
                         [](const auto& info) { return std::string(info.param.mode); });

TEST_F(PythonRuntime, CancellingMidRunEndsTheInterpreterAndItsPool) {
    Experiment e;
    e.workload = "sleep";
    e.python = testPython();
    e.params = {{"tasks", "40"}, {"ms", "200"}};
    e.models = {Model::PyProcesses};
    e.workerCounts = {2};
    e.sampleHz = 0;
    Runner runner(e);
    EventSink none;
    runner.start(none);
    // Long enough for the pool to be running tasks; the run would take 4 s.
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    const auto t0 = std::chrono::steady_clock::now();
    runner.cancel();
    const auto result = runner.wait();
    EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(4));
    EXPECT_TRUE(result.cancelled);
    EXPECT_TRUE(coreduel::test::childPids().empty());
    expectNothingLeft();
}

TEST_F(PythonRuntime, AMissingInterpreterFailsOnlyThePythonRunsWithOneClearLine) {
    Experiment e;
    e.workload = "square";
    e.python = testPython();
    e.params = {{"count", "100"}};
    e.models = {Model::Threads, Model::PyThreads};
    e.workerCounts = {2};
    e.python = "/nonexistent/python3";
    e.sampleHz = 0;
    const auto result = runExperiment(e);
    for (const auto& r : result.runs) {
        if (isPython(r.config.model)) {
            EXPECT_FALSE(r.ok);
            EXPECT_NE(r.error.find("interpreter '/nonexistent/python3'"), std::string::npos) << r.error;
        } else {
            EXPECT_TRUE(r.ok) << r.error;
        }
    }
}

TEST(PythonModels, WorkloadsWithoutAPythonVersionAreRefusedBeforeAnythingRuns) {
    Experiment e;
    e.workload = "image";
    e.python = testPython();
    e.models = {Model::PyThreads};
    try {
        validate(e);
        FAIL() << "accepted";
    } catch (const InvalidArgument& err) {
        EXPECT_NE(std::string(err.what()).find("no Python version"), std::string::npos);
    }
}

TEST(PythonModels, PyModelsBringTheirOwnBaselineAndSortAfterTheNativeOnes) {
    Experiment e;
    e.models = {Model::GilThreads, Model::PyThreads};
    e.workerCounts = {2};
    const auto plan = planRuns(e);
    int pySequential = 0;
    for (const auto& c : plan) pySequential += c.model == Model::PySequential && !c.warmup;
    EXPECT_EQ(pySequential, 1);
    RunConfig py, native;
    py.model = Model::PySequential;
    native.model = Model::GilThreads;
    native.workers = 8;
    EXPECT_TRUE(displayOrderLess(native, py));
    EXPECT_EQ(baselineOf(Model::PyThreads), Model::PySequential);
    EXPECT_EQ(parseModel("py:processes"), Model::PyProcesses);
}
