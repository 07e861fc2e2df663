// A failing task or worker ends that run with a clear reason; the experiment goes on; nothing
// is left behind: no children, no zombies, no file descriptors.

#include <gtest/gtest.h>

#include "test_support.h"

using namespace coreduel;
using coreduel::test::childPids;
using coreduel::test::runExperiment;

namespace {

struct FaultCase {
    const char* mode;
    StartMethod method;
    const char* expected;  ///< must appear in the error
    Transport transport = Transport::Pipe;
};

// Readable test names in ctest and gtest output.
[[maybe_unused]] void PrintTo(const FaultCase& c, std::ostream* os) {
    *os << c.mode << "/" << toString(c.method) << "/" << toString(c.transport);
}

class WorkerFailure : public ::testing::TestWithParam<FaultCase> {};

}  // namespace

TEST_P(WorkerFailure, IsReportedAndLeavesNothingBehind) {
    const auto c = GetParam();
    const int fdsBefore = countOpenFds();
    Experiment e;
    e.workload = "fault";
    e.params = {{"mode", c.mode}, {"tasks", "6"}, {"task", "3"}, {"work_ms", "1"}};
    e.models = {Model::Threads, Model::Processes};
    e.workerCounts = {1, 2};
    e.startMethod = c.method;
    e.transport = c.transport;
    e.taskTimeoutSeconds = 0.5;
    const auto result = runExperiment(e);

    // Every planned run is reported: one failure does not stop the experiment.
    ASSERT_EQ(result.runs.size(), 5u);
    for (const auto& r : result.runs) {
        if (r.config.model != Model::Processes) continue;
        EXPECT_FALSE(r.ok);
        EXPECT_FALSE(r.speedup.has_value());
        EXPECT_NE(r.error.find("task"), std::string::npos) << r.error;
        EXPECT_NE(r.error.find("3"), std::string::npos) << r.error;
        // ASan turns a SIGSEGV into exit status 1 and its own report.
        const bool asanRewrites = coreduel::test::sanitizerBuild() && std::string(c.mode) == "segv";
        if (!asanRewrites) {
            EXPECT_NE(r.error.find(c.expected), std::string::npos) << r.error;
        }
    }
    EXPECT_FALSE(result.allOk());
    EXPECT_TRUE(childPids().empty()) << "children or zombies left behind";
    EXPECT_EQ(countOpenFds(), fdsBefore);
}

INSTANTIATE_TEST_SUITE_P(
    Modes, WorkerFailure,
    ::testing::Values(
        FaultCase{"segv", StartMethod::Spawn, "SIGSEGV"},
        FaultCase{"abort", StartMethod::Spawn, "SIGABRT"},
        FaultCase{"exit", StartMethod::Spawn, "exited with status 3"},
        FaultCase{"kill", StartMethod::Spawn, "SIGKILL"},
        FaultCase{"throw", StartMethod::Spawn, "failed on purpose"},
        FaultCase{"hang", StartMethod::Spawn, "timeout"},
        FaultCase{"segv", StartMethod::ForkServer, "SIGSEGV"},
        FaultCase{"kill", StartMethod::ForkServer, "SIGKILL"},
        FaultCase{"hang", StartMethod::ForkServer, "timeout"},
        FaultCase{"abort", StartMethod::Fork, "SIGABRT"},
        FaultCase{"exit", StartMethod::Fork, "exited with status 3"},
        FaultCase{"hang", StartMethod::Fork, "timeout"},
        FaultCase{"kill", StartMethod::Spawn, "SIGKILL", Transport::SharedMemory},
        FaultCase{"segv", StartMethod::ForkServer, "SIGSEGV", Transport::SharedMemory},
        FaultCase{"hang", StartMethod::Spawn, "timeout", Transport::SharedMemory},
        FaultCase{"kill", StartMethod::Spawn, "SIGKILL", Transport::MessageQueue},
        FaultCase{"abort", StartMethod::Fork, "SIGABRT", Transport::MessageQueue},
        FaultCase{"throw", StartMethod::Spawn, "failed on purpose", Transport::UnixSocket},
        FaultCase{"kill", StartMethod::ForkServer, "SIGKILL", Transport::UnixSocket}),
    [](const auto& info) {
        return std::string(info.param.mode) + "_" + toString(info.param.method) + "_" +
               toString(info.param.transport);
    });

TEST(ThreadFailure, AThrowingTaskFailsTheRunWithItsMessage) {
    Experiment e;
    e.workload = "fault";
    e.params = {{"mode", "throw"}, {"tasks", "6"}, {"task", "4"}, {"work_ms", "0"}};
    e.models = {Model::Threads, Model::GilThreads};
    e.workerCounts = {2};
    const auto result = runExperiment(e);
    ASSERT_EQ(result.runs.size(), 3u);
    for (const auto& r : result.runs) {
        EXPECT_FALSE(r.ok);
        EXPECT_NE(r.error.find("task 4"), std::string::npos) << r.error;
        EXPECT_NE(r.error.find("failed on purpose"), std::string::npos) << r.error;
    }
}

TEST(ThreadFailure, AHangingTaskIsStoppedByTheTimeout) {
    Experiment e;
    e.workload = "fault";
    e.params = {{"mode", "hang"}, {"tasks", "4"}, {"task", "1"}, {"work_ms", "0"}};
    e.models = {Model::Threads};
    e.workerCounts = {2};
    e.taskTimeoutSeconds = 0.2;
    const auto result = runExperiment(e);
    for (const auto& r : result.runs) {
        EXPECT_FALSE(r.ok);
        EXPECT_NE(r.error.find("exceeded the task timeout"), std::string::npos) << r.error;
    }
}

TEST(ProcessFailure, AMissingWorkerProgramIsAClearError) {
    const char* saved = std::getenv("COREDUEL_WORKER");
    const std::string keep = saved ? saved : "";
    ::setenv("COREDUEL_WORKER", "/nonexistent/coreduel-worker", 1);
    Experiment e;
    e.workload = "square";
    e.params = {{"count", "10"}};
    e.models = {Model::Processes};
    e.workerCounts = {2};
    const auto result = runExperiment(e);
    ::setenv("COREDUEL_WORKER", keep.c_str(), 1);
    ASSERT_EQ(result.runs.size(), 2u);
    EXPECT_FALSE(result.runs[1].ok);
    EXPECT_NE(result.runs[1].error.find("posix_spawn /nonexistent/coreduel-worker"),
              std::string::npos)
        << result.runs[1].error;
    EXPECT_TRUE(childPids().empty());
}
