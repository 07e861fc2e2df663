// A reopened session takes the road a live run takes: what a sink heard while the run went on
// (every run's start, events, GIL intervals, result, the samples and the final result) is
// what the same sink hears when the session file is replayed, in the same order per run.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

#include "core/run/tee_sink.h"
#include "core/session/session.h"
#include "core/session/session_replay.h"
#include "test_support.h"

using namespace coreduel;

namespace {

/// Everything a sink hears, as one log of lines (events by count and checksum per run).
class LogSink : public EventSink {
public:
    void experimentStarted(const Experiment& e, std::size_t planned) override {
        add("experiment " + e.workload + " planned " + std::to_string(planned));
    }
    void runStarted(std::size_t run, const RunConfig& c) override {
        add("run " + std::to_string(run) + " start " + modelLabel(c) + " x" +
            std::to_string(c.workers) + (c.warmup ? " warm-up" : ""));
    }
    void taskEvents(std::size_t run, std::span<const TaskEvent> events) override {
        std::lock_guard lk(m_mutex);
        auto& [count, sum] = m_events[run];
        for (const TaskEvent& e : events) {
            ++count;
            sum += e.task * 31 + static_cast<std::uint64_t>(e.startNs % 1'000'003) + e.worker;
        }
    }
    void gilTimeline(std::size_t run, const GilTimeline& t) override {
        add("run " + std::to_string(run) + " gil " + std::to_string(t.intervals.size()) +
            " threads");
    }
    void runFinished(std::size_t run, const RunResult& r) override {
        std::lock_guard lk(m_mutex);
        const auto& [count, sum] = m_events[run];
        m_log.push_back("run " + std::to_string(run) + " events " + std::to_string(count) + "/" +
                        std::to_string(sum));
        m_log.push_back("run " + std::to_string(run) + " finished wall " +
                        std::to_string(r.wallSeconds) + " checksum " + std::to_string(r.checksum));
    }
    void experimentFinished(const ExperimentResult& r) override {
        add("finished " + std::to_string(r.runs.size()) + " runs" +
            (r.cancelled ? " cancelled" : ""));
    }
    void utilization(const UtilizationSample& s) override {
        std::lock_guard lk(m_mutex);
        m_sampleTimes.push_back(s.timeNs);
    }
    std::vector<std::string> log() {
        std::lock_guard lk(m_mutex);
        return m_log;
    }
    std::vector<std::int64_t> sampleTimes() {
        std::lock_guard lk(m_mutex);
        return m_sampleTimes;
    }

private:
    void add(std::string line) {
        std::lock_guard lk(m_mutex);
        m_log.push_back(std::move(line));
    }
    std::mutex m_mutex;
    std::vector<std::string> m_log;
    std::map<std::size_t, std::pair<std::size_t, std::uint64_t>> m_events;
    std::vector<std::int64_t> m_sampleTimes;
};

std::string tempPath(const std::string& name) {
    return (std::filesystem::temp_directory_path() /
            ("coreduel-replay-test-" + std::to_string(::getpid()) + "-" + name))
        .string();
}

}  // namespace

TEST(SessionReplay, AReopenedSessionTellsASinkWhatTheLiveRunTold) {
    Experiment e;
    e.workload = "primes";
    e.params = {{"end", "200000"}, {"tasks", "24"}};
    e.models = {Model::Sequential, Model::GilThreads, Model::Processes};
    e.workerCounts = {2};
    e.repetitions = 1;
    e.warmups = 1;  // a warm-up run: heard live, replayed, never in the result
    e.sampleHz = 50;
    const std::string path = tempPath("live.coreduel");
    LogSink live;
    ExperimentResult result;
    {
        SessionRecorder recorder(path);
        TeeSink tee({&recorder, &live});
        result = test::runExperiment(e, &tee);
    }
    ASSERT_TRUE(result.allOk());
    const Session s = loadSession(path);
    ASSERT_EQ(s.parts.size(), 1u);
    LogSink replayed;
    replayPart(s.parts[0], replayed, 7);  // small batches: batching does not change the stream
    EXPECT_EQ(replayed.log(), live.log());
    // Every sample once, in time order.
    std::vector<std::int64_t> liveSamples = live.sampleTimes();
    std::sort(liveSamples.begin(), liveSamples.end());
    EXPECT_EQ(replayed.sampleTimes(), liveSamples);
    EXPECT_FALSE(liveSamples.empty());
    EXPECT_EQ(partOriginNs(s.parts[0]) <= liveSamples.front(), true);
    std::filesystem::remove(path);
}

TEST(SessionReplay, RunsWithoutAResultGetNoResultAndResultsMatchTheirOwnRun) {
    // Two runs of one configuration (repetitions) and a lost one: each result goes to the run
    // of its configuration in order, the run without a result gets none.
    SessionPart part;
    for (std::uint32_t i = 0; i < 3; ++i) {
        SessionRun run;
        run.config.model = Model::Threads;
        run.config.workers = 2;
        run.config.repetition = i;
        part.runs[i] = run;
    }
    for (unsigned rep : {0u, 2u}) {
        RunResult r;
        r.config.model = Model::Threads;
        r.config.workers = 2;
        r.config.repetition = rep;
        r.wallSeconds = 1.0 + rep;
        part.result.runs.push_back(r);
    }
    const auto byRun = resultsByRun(part);
    ASSERT_EQ(byRun.size(), 2u);
    EXPECT_DOUBLE_EQ(byRun.at(0)->wallSeconds, 1.0);
    EXPECT_DOUBLE_EQ(byRun.at(2)->wallSeconds, 3.0);
    EXPECT_FALSE(byRun.contains(1));
    LogSink sink;
    replayPart(part, sink);
    std::size_t finished = 0;
    for (const std::string& line : sink.log())
        finished += line.find("finished wall") != std::string::npos;
    EXPECT_EQ(finished, 2u);
}
