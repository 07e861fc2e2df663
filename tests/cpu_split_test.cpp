// On CPU vs blocked, per task: a task that sleeps must show as blocked, a CPU-bound one as on
// CPU, in threads and in worker processes, and the JSON must carry the split (schema /2) while
// /1 files still load.

#include <gtest/gtest.h>

#include <fstream>

#include "core/report/json_report.h"
#include "core/report/schema.h"
#include "core/report/table_report.h"
#include "test_support.h"

using namespace coreduel;
using coreduel::test::RecordingSink;
using coreduel::test::runExperiment;

namespace {

Experiment experiment(const std::string& workload, std::map<std::string, std::string> params,
                      Model model) {
    Experiment e;
    e.workload = workload;
    e.params = std::move(params);
    e.models = {model};
    e.workerCounts = {2};
    e.warmups = 0;
    e.repetitions = 1;
    return e;
}

/// The run of the model under test (the runner adds a sequential baseline before it).
std::size_t runOf(const ExperimentResult& r, Model m) {
    for (std::size_t i = 0; i < r.runs.size(); ++i)
        if (r.runs[i].config.model == m) return i;
    throw std::runtime_error("no such run");
}

}  // namespace

class CpuSplit : public ::testing::TestWithParam<Model> {};

// Robust on a busy machine: a sleeping thread uses no CPU however loaded the machine is.
TEST_P(CpuSplit, SleepingTasksAreBlockedNotComputing) {
    RecordingSink sink;
    const auto result =
        runExperiment(experiment("sleep", {{"tasks", "6"}, {"ms", "40"}}, GetParam()), &sink);
    ASSERT_TRUE(result.allOk());
    const auto& events = sink.eventsByRun.at(sink.finished.at(runOf(result, GetParam())).first);
    ASSERT_EQ(events.size(), 6u);
    for (const TaskEvent& e : events) {
        ASSERT_GE(e.cpuNs, 0) << "CPU time measured";
        const double wall = static_cast<double>(e.endNs - e.startNs);
        EXPECT_GE(static_cast<double>(taskBlockedNs(e)), 0.95 * wall)
            << "task " << e.task << ": on CPU " << e.cpuNs << " ns of " << wall;
    }
    const auto& t = result.runs.at(runOf(result, GetParam())).time;
    EXPECT_GE(static_cast<double>(t.blockedNs),
              0.95 * static_cast<double>(t.blockedNs + t.computeNs));
    // The text report says so, and never claims compute for it.
    const auto text = formatAnalysis(result);
    EXPECT_NE(text.find("blocked"), std::string::npos) << text;
    EXPECT_EQ(text.find("compute 100"), std::string::npos) << text;
}

// A CPU-bound task's on-CPU share drops only when the machine takes the CPU away from it
// (it never blocks by itself). So: on CPU >= 95 % of (wall - what preemption can explain).
// Each involuntary switch is allowed up to 50 ms off CPU (far above a scheduler slice), which
// keeps this true on a loaded machine and strict on a quiet one (few involuntary switches).
TEST_P(CpuSplit, CpuBoundTasksAreOnCpu) {
    RecordingSink sink;
    const auto result = runExperiment(
        experiment("primes", {{"end", "3000000"}, {"tasks", "8"}}, GetParam()), &sink);
    ASSERT_TRUE(result.allOk());
    const auto& r = result.runs.at(runOf(result, GetParam()));
    std::int64_t wall = 0, onCpu = 0;
    for (const TaskEvent& e :
         sink.eventsByRun.at(sink.finished.at(runOf(result, GetParam())).first)) {
        ASSERT_GE(e.cpuNs, 0);
        EXPECT_LE(e.cpuNs, e.endNs - e.startNs + 2'000'000) << "CPU time within its wall";
        wall += e.endNs - e.startNs;
        onCpu += taskOnCpuNs(e);
    }
    std::uint64_t involuntary = 0;
    for (const auto& w : r.workers) involuntary += w.involuntarySwitches;
    const double allowance = static_cast<double>(involuntary) * 50e6;
    EXPECT_GE(static_cast<double>(onCpu),
              0.95 * std::max(0.0, static_cast<double>(wall) - allowance))
        << "on CPU " << onCpu << " ns of " << wall << " ns in tasks, " << involuntary
        << " involuntary switches";
    EXPECT_GT(r.time.computeNs, 0);
}

INSTANTIATE_TEST_SUITE_P(Models, CpuSplit,
                         ::testing::Values(Model::Threads, Model::GilThreads, Model::Processes),
                         [](const auto& info) {
                             std::string n = toString(info.param);
                             n.erase(std::remove(n.begin(), n.end(), '-'), n.end());
                             return n;
                         });

TEST(ResultSchema, Version2CarriesTheSplitAndRoundTrips) {
    const auto result =
        runExperiment(experiment("sleep", {{"tasks", "2"}, {"ms", "20"}}, Model::Threads));
    ASSERT_TRUE(result.allOk());
    const auto j = toJson(result);
    EXPECT_EQ(j["schema"], "coreduel.result/2");
    const auto& t = j["runs"][runOf(result, Model::Threads)]["time_breakdown_seconds"];
    ASSERT_TRUE(t.contains("on_cpu"));
    ASSERT_TRUE(t.contains("blocked"));
    EXPECT_FALSE(t.contains("compute"));
    EXPECT_GT(t["blocked"].get<double>(), t["on_cpu"].get<double>());
    const auto back = resultFromJson(j, "memory");
    const auto i = runOf(result, Model::Threads);
    EXPECT_EQ(back.runs.at(i).time.blockedNs / 1000, result.runs.at(i).time.blockedNs / 1000);
}

TEST(ResultSchema, Version1FilesStillLoad) {
    const std::string path = std::string(COREDUEL_GOLDEN_DIR) + "/result_v1.json";
    std::ifstream in(path);
    const auto j = nlohmann::json::parse(in);
    ASSERT_EQ(j["schema"], "coreduel.result/1");
    const auto r = loadResultFile(path);
    EXPECT_FALSE(r.runs.empty());
    // /1 had no on/off-CPU split: its breakdown is not loaded rather than shown as computing.
    for (const auto& run : r.runs) EXPECT_EQ(run.time.computeNs, 0);
}
