// Statistics that cannot embarrass: intervals never below zero and absent with fewer than 3
// repetitions; a scaling law kept only where the measured points support it.

#include <gtest/gtest.h>

#include <random>

#include "core/run/analysis.h"
#include "core/run/result.h"
#include "core/stats/scaling.h"
#include "core/stats/summary.h"

using namespace coreduel;

TEST(Intervals, NeverBelowZeroForAnyInput) {
    std::mt19937 rng(42);
    std::uniform_real_distribution<double> wide(1e-6, 10.0);
    for (int trial = 0; trial < 2000; ++trial) {
        const std::size_t n = 1 + trial % 9;
        std::vector<double> a(n), b(n);
        for (auto& x : a) x = wide(rng);
        for (auto& x : b) x = wide(rng);
        const auto sa = summarize(a), sb = summarize(b);
        EXPECT_GE(sa.ciLow, 0.0);
        EXPECT_LE(sa.ciLow, sa.mean);
        EXPECT_GE(sa.ciHigh, sa.mean);
        const auto sp = speedupInterval(sa, sb);
        EXPECT_GE(sp.low, 0.0);
        EXPECT_LE(sp.low, sp.value);
        EXPECT_GE(sp.high, sp.value);
    }
}

TEST(Intervals, TheNoisyTwoRepetitionCaseHasNoInterval) {
    // Two repetitions 0.0030 and 0.2458 s: mean 0.1244, and the old t(1) interval read
    // (-0.1927, 0.4415).
    const auto s = summarize({0.0030, 0.2458});
    EXPECT_FALSE(s.hasInterval);
    EXPECT_DOUBLE_EQ(s.ciLow, s.mean);
    EXPECT_DOUBLE_EQ(s.ciHigh, s.mean);
    const auto base = summarize({1.0, 1.1});
    const auto sp = speedupInterval(base, s);
    EXPECT_FALSE(sp.hasRange);
    EXPECT_DOUBLE_EQ(sp.low, sp.value);
    const auto three = summarize({0.0030, 0.2458, 0.1});
    EXPECT_TRUE(three.hasInterval);
    EXPECT_GT(three.ciLow, 0.0);
}

namespace {

/// A result whose speedups follow `speedupOf(workers)`, three repetitions each, on 2 cores.
template <class F>
ExperimentResult withSpeedups(const std::string& workload, std::vector<unsigned> counts,
                              F speedupOf) {
    ExperimentResult r;
    r.experiment.workload = workload;
    r.experiment.models = {Model::Threads};
    r.experiment.workerCounts = counts;
    r.environment.logicalCpus = 2;
    r.environment.allowedCpus = 2;
    auto add = [&](Model m, unsigned w, double wall) {
        RunResult run;
        run.config.model = m;
        run.config.workers = w;
        run.ok = true;
        run.wallSeconds = wall;
        r.runs.push_back(run);
    };
    for (int rep = 0; rep < 3; ++rep) {
        const double jitter = 1.0 + 0.002 * rep;
        add(Model::Sequential, 1, 1.0 * jitter);
        for (unsigned w : counts) add(Model::Threads, w, jitter / speedupOf(w));
    }
    r.analysis = analyze(r);
    return r;
}

const ModelScaling& threadsFit(const ExperimentResult& r) {
    for (const auto& s : r.analysis.scaling)
        if (s.model == Model::Threads) return s;
    throw std::runtime_error("no threads scaling entry");
}

}  // namespace

TEST(ScalingFit, ACpuBoundRunThatFollowsAmdahlIsFitted) {
    const double f = 0.1;
    const auto r = withSpeedups("primes", {1, 2, 4}, [&](unsigned p) {
        const double q = std::min(p, 2u);  // two cores: more workers share them
        return 1.0 / (f + (1 - f) / q);
    });
    const auto& s = threadsFit(r);
    ASSERT_TRUE(s.fit.valid) << s.note;
    EXPECT_NEAR(s.fit.serialFraction, f, 0.01);
    EXPECT_FALSE(s.predicted.empty());
}

TEST(ScalingFit, IoBoundWorkGetsNoFitAndSaysWhy) {
    // The fileio case: 2 workers 1.2x, 4 workers 2.1x, 8 workers 3.9x on 2 cores. A fit over
    // p <= 2 claimed "serial 84 %", which the 4- and 8-worker points contradict.
    const auto r = withSpeedups("fileio", {1, 2, 4, 8}, [](unsigned p) {
        return p == 1 ? 1.0 : p == 2 ? 1.2 : p == 4 ? 2.1 : 3.9;
    });
    const auto& s = threadsFit(r);
    EXPECT_FALSE(s.fit.valid);
    EXPECT_TRUE(s.predicted.empty());
    EXPECT_NE(s.note.find("I/O-bound"), std::string::npos) << s.note;
}

TEST(ScalingFit, PointsBeyondTheCoresThatContradictTheFitDropIt) {
    // CPU-bound by name, but 4 workers on 2 cores run far faster than any Amdahl fit over
    // p <= 2 allows: the law does not describe this run.
    const auto r = withSpeedups("primes", {1, 2, 4}, [](unsigned p) {
        return p == 1 ? 1.0 : p == 2 ? 1.2 : 3.0;
    });
    const auto& s = threadsFit(r);
    EXPECT_FALSE(s.fit.valid);
    EXPECT_NE(s.note.find("4 workers"), std::string::npos) << s.note;
}

TEST(ScalingFit, ANegativeSerialFractionWithinNoiseIsZero) {
    const auto r = withSpeedups("primes", {1, 2}, [](unsigned p) { return p == 1 ? 1.0 : 2.02; });
    const auto& s = threadsFit(r);
    ASSERT_TRUE(s.fit.valid) << s.note;
    EXPECT_GE(s.fit.serialFraction, 0.0);  // never "serial -0.0 %"
}

namespace {

/// primes on 2 cores with the given wall times per worker count (sequential: the first entry),
/// three repetitions each, as measured on this VM.
ExperimentResult measuredWalls(const std::vector<std::pair<unsigned, std::vector<double>>>& walls) {
    ExperimentResult r;
    r.experiment.workload = "primes";
    r.experiment.models = {Model::Threads};
    r.environment.logicalCpus = r.environment.allowedCpus = 2;
    for (std::size_t i = 0; i < walls.size(); ++i) {
        const auto& [workers, times] = walls[i];
        if (i > 0) r.experiment.workerCounts.push_back(workers);
        for (double wall : times) {
            RunResult run;
            run.config.model = i == 0 ? Model::Sequential : Model::Threads;
            run.config.workers = workers;
            run.ok = true;
            run.wallSeconds = wall;
            r.runs.push_back(run);
        }
    }
    r.analysis = analyze(r);
    return r;
}

}  // namespace

// Measured on this VM: threads x4 on 2 cores ran 1.97x, 1.88x and 1.03x (a neighbour took a
// core in the third). The mean is below the fit's 2-core cap, only the wide interval's top is
// above it: noise that does not confirm the law, not a point that contradicts it.
TEST(ScalingFit, ANoisyPointBeyondTheCoresDoesNotDropTheFit) {
    const auto r = measuredWalls({{1, {0.569, 0.572, 0.568}},
                                  {1, {0.558, 0.575, 0.563}},
                                  {2, {0.291, 0.292, 0.305}},
                                  {4, {0.289, 0.303, 0.550}}});
    const auto& s = threadsFit(r);
    EXPECT_TRUE(s.fit.valid) << s.note;
}

// Measured in the window on this VM: processes x2 ran 1.08x, 1.55x and 2.0x (the same walls
// here, as threads). One noisy point fitted exactly gave "serial 29 %" and a prediction curve;
// the interval says nothing that precise was measured.
TEST(ScalingFit, APointTooNoisyToPinALawGetsNoFit) {
    const auto r = measuredWalls(
        {{1, {0.569, 0.572, 0.568}}, {1, {0.558, 0.575, 0.563}}, {2, {0.527, 0.367, 0.285}}});
    const auto& s = threadsFit(r);
    EXPECT_FALSE(s.fit.valid);
    EXPECT_TRUE(s.predicted.empty());
    EXPECT_NE(s.note.find("too noisy"), std::string::npos) << s.note;
}
