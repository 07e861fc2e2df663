// The convoy workload and lesson 13: the probe's delays are measured in every run and carried
// into the result (JSON included), and the lesson states its claims only where the numbers
// carry them. No timed assertions: a busy machine changes the delays, never their order.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/lessons/lesson.h"
#include "core/report/json_report.h"
#include "core/report/schema.h"
#include "core/run/analysis.h"
#include "test_support.h"

using namespace coreduel;

namespace {

/// One part of lesson 13, built by hand: `models` at 1 and 3 workers, `repetitions` times,
/// the probe's median delay `aloneMs` at x1 and `besideMs` at x2 for the lock models (GIL
/// model, py:threads on a GIL build) and `aloneMs` everywhere else; a 1 s baseline.
ExperimentResult convoyPart(std::vector<Model> models, double aloneMs, double besideMs,
                            int repetitions, double otherPct) {
    ExperimentResult r;
    r.experiment.workload = "convoy";
    r.experiment.models = models;
    r.environment.logicalCpus = r.environment.allowedCpus = 2;
    const Model base = isPython(models.front()) ? Model::PySequential : Model::Sequential;
    for (int rep = 0; rep < repetitions; ++rep) {
        std::vector<std::pair<Model, unsigned>> configs = {{base, 1}};
        for (Model m : models)
            for (unsigned w : {1u, 2u}) configs.emplace_back(m, w);
        for (const auto& [m, w] : configs) {
            RunResult run;
            run.workload = "convoy";
            run.config.model = m;
            run.config.workers = w;
            run.ok = true;
            run.wallSeconds = (w == 1 ? 1.0 : 0.6) * (1.0 + 0.01 * rep);
            const bool convoy = w == 2 && (m == Model::GilThreads || m == Model::PyThreads);
            const double p50 = (convoy ? besideMs : aloneMs) * (1.0 + 0.01 * rep);
            run.latency = LatencySummary{60, p50, p50 * 1.5, p50 * 2};
            r.runs.push_back(run);
        }
    }
    r.baselineWallSeconds = 1.0;
    if (base == Model::PySequential) r.pythonBaselineWallSeconds = 1.0;
    if (otherPct >= 0) {
        r.machineLoad.sampledSeconds = 5;
        r.machineLoad.otherProgramsCpuPct = r.machineLoad.peakRunOtherProgramsCpuPct = otherPct;
    }
    r.analysis = analyze(r);
    return r;
}

std::vector<ExperimentResult> convoyParts(double besideMs, int repetitions, double otherPct) {
    return {
        convoyPart({Model::Threads, Model::GilThreads, Model::Processes}, 0.08, besideMs,
                   repetitions, otherPct),
        convoyPart({Model::PyThreads, Model::PyProcesses}, 0.08, besideMs, repetitions, otherPct),
        convoyPart({Model::PyThreads}, 0.08, 0.08, repetitions, otherPct)};
}

const char* kGilClaim = "Behind the modelled GIL each wake-up waits for the lock";

}  // namespace

TEST(ConvoyLatency, NearestRankPercentilesAreOrdered) {
    EXPECT_FALSE(summarizeLatency({}).has_value());
    const auto s = summarizeLatency({5'000'000, 1'000'000, 3'000'000, 2'000'000, 4'000'000});
    ASSERT_TRUE(s.has_value());
    EXPECT_EQ(s->count, 5u);
    EXPECT_DOUBLE_EQ(s->p50Ms, 3.0);
    EXPECT_DOUBLE_EQ(s->p99Ms, 5.0);
    EXPECT_DOUBLE_EQ(s->maxMs, 5.0);
    std::vector<std::int64_t> many;
    for (int i = 1; i <= 200; ++i) many.push_back(i * 1000);
    const auto m = summarizeLatency(many);
    EXPECT_DOUBLE_EQ(m->p50Ms, 0.1);    // the 100th of 200
    EXPECT_DOUBLE_EQ(m->p99Ms, 0.198);  // the 198th
}

TEST(ConvoyWorkload, EveryModelRecordsItsProbesDelaysAndAgreesOnTheChecksum) {
    Experiment e;
    e.workload = "convoy";
    e.params = {{"pings", "8"}, {"every_ms", "1"}, {"end", "20000"}, {"tasks", "4"}};
    e.models = {Model::Threads, Model::GilThreads, Model::Processes};
    e.workerCounts = {1, 3};
    e.repetitions = 1;
    e.warmups = 0;
    const ExperimentResult r = test::runExperiment(e);
    ASSERT_TRUE(r.allOk());
    ASSERT_EQ(r.runs.size(), 7u);  // the sequential baseline and 3 models x 2 worker counts
    for (const RunResult& run : r.runs) {
        SCOPED_TRACE(std::string(toString(run.config.model)) + " x" +
                     std::to_string(run.config.workers));
        // Verified: the delays were moved out before the checksum, which every model matches.
        EXPECT_EQ(run.checksum, r.baselineChecksum);
        EXPECT_EQ(run.summary, "8 pings answered beside 2262 primes in [0, 20000)");
        ASSERT_TRUE(run.latency.has_value());
        EXPECT_EQ(run.latency->count, 8u);
        EXPECT_GE(run.latency->p50Ms, 0.0);
        EXPECT_LE(run.latency->p50Ms, run.latency->p99Ms);
        EXPECT_LE(run.latency->p99Ms, run.latency->maxMs);
    }
    // The result file keeps each run's summary of the delays.
    const ExperimentResult back = resultFromJson(toJson(r), "convoy.json");
    ASSERT_EQ(back.runs.size(), r.runs.size());
    for (std::size_t i = 0; i < r.runs.size(); ++i) {
        ASSERT_TRUE(back.runs[i].latency.has_value());
        EXPECT_EQ(back.runs[i].latency->count, r.runs[i].latency->count);
        EXPECT_DOUBLE_EQ(back.runs[i].latency->p99Ms, r.runs[i].latency->p99Ms);
    }
    // Other workloads measure no latency.
    e.workload = "primes";
    e.params = {{"end", "20000"}, {"tasks", "4"}};
    e.models = {Model::Threads};
    e.workerCounts = {2};
    for (const RunResult& run : test::runExperiment(e).runs) EXPECT_FALSE(run.latency);
}

TEST(ConvoyLesson, LoadsAndStatesItsClaimsOnlyWithEvidence) {
    const Lesson l = findLesson("convoy");
    EXPECT_EQ(l.name, "13-convoy");
    ASSERT_EQ(l.parts.size(), 3u);
    EXPECT_EQ(l.expectations.size(), 6u);
    for (const Expectation& x : l.expectations) EXPECT_TRUE(x.quantity == "p50") << x.says;

    // A quiet machine whose GIL configurations wait 5 ms against 0.08 ms alone: all shown.
    const LessonVerdict shown = explainOutcome(l, convoyParts(5.0, 3, 2));
    EXPECT_EQ(shown.outcome, LessonVerdict::Outcome::Shown) << shown.text;
    EXPECT_NE(shown.text.find(kGilClaim), std::string::npos) << shown.text;
    // The table: the mean of the repetitions (5, 5.05, 5.1 ms; p99 1.5 times as much).
    EXPECT_NE(shown.text.find("x2 5.05 / 7.57"), std::string::npos) << shown.text;

    // The same numbers with other programs using 40 % of the CPUs: busy, nothing claimed.
    const LessonVerdict busy = explainOutcome(l, convoyParts(5.0, 3, 40));
    EXPECT_EQ(busy.outcome, LessonVerdict::Outcome::Busy) << busy.text;
    EXPECT_EQ(busy.text.find(kGilClaim), std::string::npos) << busy.text;
    EXPECT_NE(busy.text.find("run cannot tell whether"), std::string::npos) << busy.text;

    // One repetition cannot tell.
    const LessonVerdict once = explainOutcome(l, convoyParts(5.0, 1, 2));
    EXPECT_EQ(once.outcome, LessonVerdict::Outcome::CannotTell) << once.text;
    EXPECT_EQ(once.text.find(kGilClaim), std::string::npos) << once.text;

    // A quiet run where the lock made no ping late contradicts the claim and does not state it.
    const LessonVerdict none = explainOutcome(l, convoyParts(0.08, 3, 2));
    EXPECT_EQ(none.outcome, LessonVerdict::Outcome::Contradicted) << none.text;
    EXPECT_EQ(none.text.find(kGilClaim), std::string::npos) << none.text;
    EXPECT_NE(none.text.find("did not show that behind the modelled GIL"), std::string::npos)
        << none.text;
}
