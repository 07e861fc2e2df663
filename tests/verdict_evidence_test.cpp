// Runs that contradict the easy story: the verdict never claims a cause its own evidence does
// not carry (core/run/evidence.h). Each case is a made result, so no timing is involved.

#include <gtest/gtest.h>

#include "core/report/run_columns.h"
#include "core/report/table_report.h"
#include "core/run/evidence.h"
#include "tests/helpers/made_results.h"

using namespace coreduel;

namespace {

bool contains(const std::string& text, const std::string& what) {
    return text.find(what) != std::string::npos;
}

/// A clean story: 3 repetitions, gil-threads serialised, threads scaling, on a quiet machine.
ExperimentResult cleanStory() {
    return madeResult({{Model::Sequential, 1, {1.00, 1.01, 0.99}},
                       {Model::Threads, 2, {0.52, 0.51, 0.53}},
                       {Model::GilThreads, 2, {1.02, 1.03, 1.01}}});
}

}  // namespace

TEST(VerdictEvidence, ACleanRunStatesItsCauses) {
    const std::string v = formatVerdict(cleanStory());
    EXPECT_TRUE(contains(v, "threads with 2 workers: 1.92x")) << v;
    EXPECT_TRUE(contains(v, ": it scales")) << v;
    EXPECT_TRUE(contains(v, ": the lock serialised the compute")) << v;
    EXPECT_FALSE(contains(v, "cannot tell")) << v;
}

TEST(VerdictEvidence, OneRepetitionCannotTellACause) {
    ExperimentResult r = madeResult({{Model::Sequential, 1, {1.0}},
                                     {Model::Threads, 2, {0.52}},
                                     {Model::GilThreads, 2, {1.02}}});
    const std::string v = formatVerdict(r);
    EXPECT_FALSE(contains(v, ": it scales")) << v;
    EXPECT_FALSE(contains(v, ": the lock serialised")) << v;
    EXPECT_TRUE(contains(v, "cannot tell whether it scales (each configuration ran 1 time")) << v;
}

TEST(VerdictEvidence, ATinyBaselineCannotTell) {
    ExperimentResult r = madeResult({{Model::Sequential, 1, {0.030, 0.031, 0.029}},
                                     {Model::Processes, 2, {0.060, 0.061, 0.059}}});
    const std::string v = formatVerdict(r);
    EXPECT_FALSE(contains(v, ": start-up and moving data cost more than the work")) << v;
    EXPECT_TRUE(contains(v, "below the 50 ms")) << v;
}

TEST(VerdictEvidence, ABusyMachineCannotTell) {
    ExperimentResult r = cleanStory();
    r.machineLoad.sampledSeconds = 3;
    r.machineLoad.otherProgramsCpuPct = 53;
    applyAnalysis(r);
    const std::string v = formatVerdict(r);
    // A speedup reached despite the load stands; a slowdown the load could have caused does not.
    EXPECT_TRUE(
        contains(v,
                 "threads with 2 workers: 1.92x (95 % CI 1.82-2.00x, cut at the ideal 2x) faster "
                 "than "
                 "sequential: it scales"))
        << v;
    EXPECT_FALSE(contains(v, ": the lock serialised the compute")) << v;
    EXPECT_TRUE(contains(v,
                         "cannot tell whether the lock serialised the compute (other programs "
                         "used 53 % of the CPUs"))
        << v;
}

TEST(VerdictEvidence, AStoppedRunIsStoppedNotFailed) {
    ExperimentResult r =
        madeResult({{Model::Sequential, 1, {1.0, 1.0, 1.0}}, {Model::Processes, 2, {0.6}}});
    RunResult stopped = r.runs.back();
    stopped.ok = false;
    stopped.cancelled = true;
    stopped.error = "cancelled";
    stopped.config.workers = 4;
    r.runs.push_back(stopped);
    r.cancelled = true;
    applyAnalysis(r);
    const std::string v = formatVerdict(r);
    EXPECT_TRUE(contains(v, "processes with 4 workers: stopped before a run finished")) << v;
    EXPECT_FALSE(contains(v, "failed")) << v;
    for (const auto& w : r.analysis.warnings) EXPECT_FALSE(contains(w, "runs failed")) << w;
    bool said = false;
    for (const auto& w : r.analysis.warnings) said = said || contains(w, "was stopped");
    EXPECT_TRUE(said);
    // Nothing about the processes at 2 workers may be explained either: the run was stopped.
    EXPECT_FALSE(contains(v, "moving data cost more")) << v;
}

TEST(VerdictEvidence, AWideIntervalCannotTellEitherSide) {
    // Threads x2 at 1.6x with an interval from about 1.2x to 2x: "it scales" needs >= 1.6x.
    ExperimentResult r = madeResult(
        {{Model::Sequential, 1, {1.0, 1.3, 0.8}}, {Model::Threads, 2, {0.55, 0.75, 0.6}}});
    const std::string v = formatVerdict(r);
    EXPECT_FALSE(contains(v, ": it scales")) << v;
    EXPECT_TRUE(contains(v, "reaches both sides of the bound")) << v;
}

TEST(VerdictEvidence, AFreeThreadedInterpreterIsNotComparedWithTheGilModel) {
    ExperimentResult r = madeResult({{Model::Sequential, 1, {1.0, 1.0, 1.0}},
                                     {Model::GilThreads, 2, {1.0, 1.0, 1.0}},
                                     {Model::PySequential, 1, {2.0, 2.0, 2.0}},
                                     {Model::PyThreads, 2, {1.1, 1.1, 1.1}}});
    for (auto& run : r.runs)
        if (isPython(run.config.model))
            run.interpreter = "CPython 3.13.5 (/opt/py313t/bin/python3.13t), GIL disabled";
    applyAnalysis(r);
    EXPECT_TRUE(r.analysis.modelVsReal.empty());
    EXPECT_TRUE(r.analysis.pythonWithoutGil);
    const std::string v = formatVerdict(r);
    EXPECT_FALSE(contains(v, "the model is")) << v;
    EXPECT_FALSE(contains(v, "GIL serialised")) << v;
    EXPECT_TRUE(contains(v, "ran without a GIL")) << v;
}

TEST(VerdictEvidence, ModelVsRealIsSaidOnceAndOnlyWithEvidence) {
    ExperimentResult r = madeResult({{Model::Sequential, 1, {1.0, 1.0, 1.0}},
                                     {Model::GilThreads, 2, {1.0, 1.01, 0.99}},
                                     {Model::PySequential, 1, {2.0, 2.0, 2.0}},
                                     {Model::PyThreads, 2, {2.02, 2.0, 2.01}}});
    for (auto& run : r.runs)
        if (isPython(run.config.model)) run.interpreter = "CPython 3.11.2, GIL enabled";
    applyAnalysis(r);
    ASSERT_EQ(r.analysis.modelVsReal.size(), 1u);
    const std::string all = formatTable(r) + formatAnalysis(r) + formatVerdict(r);
    std::size_t count = 0;
    for (auto at = all.find("model vs real with"); at != std::string::npos;
         at = all.find("model vs real with", at + 1))
        ++count;
    EXPECT_EQ(count, 1u) << all;
    EXPECT_TRUE(contains(formatVerdict(r), "the model matches the real interpreter"));
    // One repetition: the same numbers cannot show agreement.
    ExperimentResult one = madeResult({{Model::Sequential, 1, {1.0}},
                                       {Model::GilThreads, 2, {1.0}},
                                       {Model::PySequential, 1, {2.0}},
                                       {Model::PyThreads, 2, {2.0}}});
    EXPECT_TRUE(contains(formatVerdict(one), "cannot tell whether the model matches"))
        << formatVerdict(one);
}

// An interval that reaches 1 is not "faster": the verdict says the speed and that the run
// cannot tell it from the baseline; a busy machine leaves no law fitted (the points measure
// the load, not a serial fraction).
TEST(VerdictEvidence, AnIntervalAcrossOneIsNotFasterAndABusyMachineFitsNoLaw) {
    ExperimentResult r = madeResult(
        {{Model::Sequential, 1, {1.00, 1.01, 0.99}}, {Model::Threads, 2, {0.70, 1.10, 1.05}}});
    const std::string v = formatVerdict(r);
    const ConfigSummary* c = r.analysis.find(Model::Threads, 2, 0);
    ASSERT_TRUE(c != nullptr && c->speedup && c->speedup->hasRange);
    ASSERT_LE(c->speedup->low, 1.0);
    EXPECT_FALSE(contains(v, "faster than sequential")) << v;
    EXPECT_TRUE(contains(v, "the speed of sequential (its interval includes 1x")) << v;

    ExperimentResult busy = madeResult(
        {{Model::Sequential, 1, {1.00, 1.01, 0.99}}, {Model::Threads, 2, {0.98, 0.99, 1.00}}});
    busy.machineLoad.sampledSeconds = 3;
    busy.machineLoad.otherProgramsCpuPct = 53;
    applyAnalysis(busy);
    ASSERT_FALSE(busy.analysis.scaling.empty());
    for (const ModelScaling& s : busy.analysis.scaling) {
        EXPECT_FALSE(s.fit.valid) << toString(s.model);
        EXPECT_TRUE(contains(s.note, "the machine was busy")) << s.note;
    }
}

TEST(VerdictEvidence, KarpFlattIsAFractionOfTheCpusAtWorkOrNone) {
    // 4 workers on 2 cores at 2x: all the parallelism the machine had, no serial part; a run
    // slower than the baseline has no serial fraction (it would be above 100 %): the loss is
    // overhead, and it is said so instead of a number no fraction can be.
    ExperimentResult r = madeResult({{Model::Sequential, 1, {1.00, 1.01, 0.99}},
                                     {Model::Threads, 4, {0.50, 0.51, 0.49}},
                                     {Model::Processes, 2, {1.40, 1.41, 1.39}}});
    r.environment.allowedCpus = 2;
    applyAnalysis(r);
    const ConfigSummary* threads = nullptr;
    const ConfigSummary* processes = nullptr;
    for (const auto& c : r.analysis.configs) {
        if (c.model == Model::Threads) threads = &c;
        if (c.model == Model::Processes) processes = &c;
    }
    ASSERT_TRUE(threads && processes);
    ASSERT_TRUE(threads->karpFlatt.has_value());
    EXPECT_NEAR(*threads->karpFlatt, 0.0, 0.02) << "p is min(workers, cores) = 2, not 4";
    EXPECT_FALSE(processes->karpFlatt.has_value());
    EXPECT_TRUE(contains(processes->karpFlattNote, "slower than the baseline"))
        << processes->karpFlattNote;
    const std::string text = formatAnalysis(r);
    EXPECT_TRUE(contains(text, "None ('-') for a point slower than the baseline")) << text;
}

TEST(VerdictEvidence, FasterWithoutACauseIsStillAClaimThatNeedsItsEvidence) {
    // py:threads on a GIL build at 1.29x from one run each (the guide's factorials did this on
    // an idle VM): no cause fits, and "faster" alone is not said from one run.
    ExperimentResult one =
        madeResult({{Model::PySequential, 1, {0.112}}, {Model::PyThreads, 2, {0.087}}});
    std::string v = formatVerdict(one);
    EXPECT_FALSE(contains(v, "faster than")) << v;
    EXPECT_TRUE(contains(v,
                         "1.29x the speed of py:sequential: this run cannot tell it from no "
                         "gain (each configuration ran 1 time"))
        << v;
    // The same gain from three repetitions each, well clear of 1: said.
    ExperimentResult three = madeResult({{Model::PySequential, 1, {0.112, 0.113, 0.111}},
                                         {Model::PyThreads, 2, {0.087, 0.088, 0.086}}});
    v = formatVerdict(three);
    EXPECT_TRUE(contains(v, "1.29x (95 % CI")) << v;
    EXPECT_TRUE(contains(v, "faster than py:sequential")) << v;
    EXPECT_FALSE(contains(v, "cannot tell it from no gain")) << v;
}

TEST(VerdictEvidence, AFailedRunsTracebackKeepsTheTableToOneLinePerRun) {
    // A Python function that raised: the error carries the user's traceback on several lines.
    ExperimentResult r = madeResult({{Model::PySequential, 1, {0.2, 0.2, 0.2}}});
    RunResult failed = r.runs.front();
    failed.ok = false;
    failed.error =
        "task 3 (worker 0, pid 42) raised ValueError: boom\nTraceback (most recent call last):\n"
        "  File \"mycode.py\", line 4, in boom\n    raise ValueError(\"boom\")";
    EXPECT_EQ(runStatus(failed), "FAILED: task 3 (worker 0, pid 42) raised ValueError: boom ...");
    r.runs.push_back(failed);
    applyAnalysis(r);
    const std::string table = formatTable(r);
    EXPECT_EQ(table.find("Traceback"), std::string::npos) << table;
}
