// Cancellation mid-run: every model stops, every child is killed and reaped, temporary files
// are removed, and the result says it was cancelled.

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <thread>

#include "core/util/clock.h"
#include "test_support.h"

using namespace coreduel;
using coreduel::test::childPids;

namespace {

enum class Trigger { FirstEvent, RunStart };

struct CancelCase {
    Model model;
    StartMethod method;
    const char* workload;
    Trigger trigger;
    Transport transport = Transport::Pipe;
};

// Readable test names in ctest and gtest output.
[[maybe_unused]] void PrintTo(const CancelCase& c, std::ostream* os) {
    *os << toString(c.model) << "/" << toString(c.method) << "/" << c.workload;
}

class Cancellation : public ::testing::TestWithParam<CancelCase> {};

/// Cancels the run under test (run 1, after the sequential baseline) as soon as its first
/// tasks have finished, or as soon as it starts.
class Canceller : public EventSink {
public:
    Canceller(Runner*& runner, Trigger trigger) : m_runner(runner), m_trigger(trigger) {}
    void runStarted(std::size_t runIndex, const RunConfig&) override {
        if (m_trigger == Trigger::RunStart && runIndex == 1) fire();
    }
    void taskEvents(std::size_t runIndex, std::span<const TaskEvent> events) override {
        if (runIndex != 1) return;
        eventsInRun += events.size();
        if (m_trigger == Trigger::FirstEvent) fire();
    }
    std::int64_t firedAtNs = 0;
    std::size_t eventsInRun = 0;

private:
    void fire() {
        if (m_fired.exchange(true)) return;
        firedAtNs = monotonicNs();
        m_runner->cancel();
    }
    Runner*& m_runner;
    Trigger m_trigger;
    std::atomic<bool> m_fired{false};
};

std::size_t leftoverFileioFolders(const std::filesystem::path& dir) {
    std::size_t n = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir))
        n += e.path().filename().string().rfind("coreduel-fileio-", 0) == 0;
    return n;
}

}  // namespace

TEST_P(Cancellation, StopsPromptlyAndLeavesNothingBehind) {
    const auto c = GetParam();
    const auto tmp =
        std::filesystem::temp_directory_path() / ("coreduel-cancel-" + std::to_string(::getpid()));
    std::filesystem::create_directories(tmp);
    const int fdsBefore = countOpenFds();
    Experiment e;
    e.workload = c.workload;
    constexpr std::size_t kTasks = 150;
    if (std::string(c.workload) == "sleep")
        e.params = {{"tasks", "150"}, {"ms", "10"}};
    else
        e.params = {{"tasks", "150"}, {"kib", "64"}, {"dir", tmp.string()}};
    e.models = {c.model};
    e.workerCounts = {2};
    e.startMethod = c.method;
    e.transport = c.transport;
    e.chunksizes = {1};

    Runner* runnerPtr = nullptr;
    Canceller sink(runnerPtr, c.trigger);
    Runner runner(e);
    runnerPtr = &runner;
    runner.start(sink);
    const auto result = runner.wait();
    const auto stoppedAfterMs = (monotonicNs() - sink.firedAtNs) / 1e6;

    std::printf("stopped %.1f ms after cancel()\n", stoppedAfterMs);
    EXPECT_TRUE(result.cancelled);
    ASSERT_FALSE(result.runs.empty());
    EXPECT_TRUE(result.runs.back().cancelled);
    EXPECT_FALSE(result.runs.back().speedup.has_value());
    // The run did not go on to the end (150 tasks, 0.75 s of waiting on 2 workers), and it
    // stopped within the promised 200 ms, with room for a loaded CI machine.
    EXPECT_LT(sink.eventsInRun, kTasks);
    EXPECT_LT(stoppedAfterMs, 500.0);
    EXPECT_TRUE(childPids().empty()) << "children left behind";
    EXPECT_EQ(countOpenFds(), fdsBefore);
    EXPECT_EQ(leftoverFileioFolders(tmp), 0u);
    std::filesystem::remove_all(tmp);
}

INSTANTIATE_TEST_SUITE_P(
    Models, Cancellation,
    ::testing::Values(
        CancelCase{Model::Threads, StartMethod::Spawn, "sleep", Trigger::FirstEvent},
        CancelCase{Model::GilThreads, StartMethod::Spawn, "sleep", Trigger::FirstEvent},
        CancelCase{Model::Processes, StartMethod::Spawn, "sleep", Trigger::FirstEvent},
        CancelCase{Model::Processes, StartMethod::ForkServer, "sleep", Trigger::FirstEvent},
        CancelCase{Model::Processes, StartMethod::Fork, "sleep", Trigger::FirstEvent},
        CancelCase{Model::Processes, StartMethod::Spawn, "sleep", Trigger::FirstEvent,
                   Transport::SharedMemory},
        CancelCase{Model::Processes, StartMethod::ForkServer, "sleep", Trigger::FirstEvent,
                   Transport::MessageQueue},
        CancelCase{Model::Threads, StartMethod::Spawn, "fileio", Trigger::RunStart},
        CancelCase{Model::Processes, StartMethod::Spawn, "fileio", Trigger::RunStart}),
    [](const auto& info) {
        std::string name = toString(info.param.model);
        if (info.param.model == Model::Processes)
            name += std::string("_") + toString(info.param.method) + "_" +
                    toString(info.param.transport);
        name += std::string("_") + info.param.workload;
        for (auto& ch : name)
            if (ch == '-') ch = '_';
        return name;
    });

TEST(Cancellation, BeforeStartRunsNothing) {
    Experiment e;
    e.workload = "sleep";
    e.params = {{"tasks", "4"}, {"ms", "1"}};
    Runner runner(e);
    runner.cancel();
    EventSink sink;
    const auto result = runner.run(sink);
    EXPECT_TRUE(result.cancelled);
    EXPECT_TRUE(result.runs.empty());
}
