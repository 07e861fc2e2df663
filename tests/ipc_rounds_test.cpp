// The IPC lab's arithmetic on numbers made up here (no clocks, so a CPU hog beside the tests
// changes nothing): two-mode detection, the aggregation of round medians, the interleaved
// schedule; and, through a tiny real lab, that rows carry their rounds and the spin used.

#include <gtest/gtest.h>
#include <sched.h>

#include <cmath>
#include <random>
#include <set>
#include <tuple>

#include "core/measure/ipc_lab.h"
#include "core/measure/ipc_rounds.h"
#include "core/session/session.h"
#include "core/util/errors.h"
#include "test_support.h"

using namespace coreduel;

namespace {

/// Log-normal samples around `centreUs` (the median), `sigma` in log space.
std::vector<double> logNormal(std::mt19937_64& rng, std::size_t n, double centreUs, double sigma) {
    std::normal_distribution<double> z(0.0, sigma);
    std::vector<double> v;
    for (std::size_t i = 0; i < n; ++i) v.push_back(centreUs * std::exp(z(rng)));
    return v;
}

std::vector<double> joined(std::vector<double> a, const std::vector<double>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

}  // namespace

TEST(IpcModes, OneNarrowModeIsOneMode) {
    std::mt19937_64 rng(1);
    const auto m = detectModes(logNormal(rng, 2000, 2.0, 0.2));
    EXPECT_FALSE(m.twoModes);
    EXPECT_NEAR(m.fastUs, 2.0, 0.1);
    EXPECT_EQ(m.fastShare, 1.0);
}

TEST(IpcModes, TwoModesAreFoundWithTheirShares) {
    std::mt19937_64 rng(2);
    // The VM's picture: 70 % of trips at ~2 µs (both CPUs awake), 30 % at ~50 µs (woken).
    const auto m =
        detectModes(joined(logNormal(rng, 1400, 2.0, 0.15), logNormal(rng, 600, 50.0, 0.3)));
    ASSERT_TRUE(m.twoModes);
    EXPECT_NEAR(m.fastShare, 0.70, 0.02);
    EXPECT_NEAR(m.slowShare, 0.30, 0.02);
    EXPECT_NEAR(m.fastUs, 2.0, 0.2);
    EXPECT_NEAR(m.slowUs, 50.0, 5.0);
    EXPECT_GE(m.separation, kModeMinSeparation);
}

TEST(IpcModes, BroaderModesAreStillTwo) {
    std::mt19937_64 rng(3);
    const auto m =
        detectModes(joined(logNormal(rng, 500, 2.0, 0.3), logNormal(rng, 1500, 40.0, 0.5)));
    ASSERT_TRUE(m.twoModes);
    EXPECT_NEAR(m.fastShare, 0.25, 0.03);
}

TEST(IpcModes, AHeavyTailIsNotTwoModes) {
    std::mt19937_64 rng(4);
    // One broad log-normal: its best split has centres ~5x apart and 50/50 shares, but no gap.
    EXPECT_FALSE(detectModes(logNormal(rng, 3000, 2.0, 1.0)).twoModes);
    // A Pareto tail (power law above 2 µs): long, but one mode.
    std::uniform_real_distribution<double> u(0.0, 1.0);
    for (double alpha : {0.7, 1.2, 2.0}) {
        std::vector<double> pareto;
        for (int i = 0; i < 3000; ++i) pareto.push_back(2.0 / std::pow(1.0 - u(rng), 1.0 / alpha));
        EXPECT_FALSE(detectModes(pareto).twoModes) << "alpha " << alpha;
    }
}

TEST(IpcModes, ARareSlowClusterIsBelowTheShare) {
    std::mt19937_64 rng(5);
    const auto m =
        detectModes(joined(logNormal(rng, 1900, 2.0, 0.15), logNormal(rng, 100, 50.0, 0.3)));
    EXPECT_FALSE(m.twoModes);  // 5 % < kModeMinShare: outliers, not a mode
}

TEST(IpcModes, TooFewOrEmpty) {
    EXPECT_FALSE(detectModes({}).twoModes);
    EXPECT_FALSE(detectModes({1, 1, 1, 50, 50, 50}).twoModes);  // below kModeMinSamples
}

TEST(IpcRounds, AggregationIsTheMedianOfRoundMediansWithRangeAndQuartiles) {
    const auto r = aggregateRounds({5.0, 1.0, 3.0, 2.0, 4.0});
    EXPECT_EQ(r.rounds, 5u);
    EXPECT_DOUBLE_EQ(r.medianUs, 3.0);
    EXPECT_DOUBLE_EQ(r.minUs, 1.0);
    EXPECT_DOUBLE_EQ(r.maxUs, 5.0);
    EXPECT_DOUBLE_EQ(r.q1Us, 2.0);
    EXPECT_DOUBLE_EQ(r.q3Us, 4.0);
    // One wild round moves the median of medians not at all.
    EXPECT_DOUBLE_EQ(aggregateRounds({2.0, 2.1, 1.9, 2.0, 60.0}).medianUs, 2.0);
    EXPECT_EQ(aggregateRounds({}).rounds, 0u);
}

TEST(IpcRounds, EveryRoundVisitsEveryCellOnceInItsOwnOrder) {
    const std::size_t mechanisms = 6, sizes = 8, rounds = 7;
    const auto schedule = interleavedSchedule(mechanisms, sizes, rounds, 42);
    ASSERT_EQ(schedule.size(), rounds);
    std::set<std::vector<std::size_t>> orders;
    for (const auto& round : schedule) {
        ASSERT_EQ(round.size(), mechanisms * sizes);
        std::set<std::pair<std::size_t, std::size_t>> seen;
        std::vector<std::size_t> order;
        for (const IpcCell& c : round) {
            EXPECT_LT(c.mechanism, mechanisms);
            EXPECT_LT(c.size, sizes);
            seen.emplace(c.mechanism, c.size);
            order.push_back(c.mechanism * sizes + c.size);
        }
        EXPECT_EQ(seen.size(), mechanisms * sizes);
        orders.insert(order);
    }
    EXPECT_EQ(orders.size(), rounds);  // shuffled afresh each round
    EXPECT_EQ(interleavedSchedule(mechanisms, sizes, rounds, 42), schedule);  // seed repeats
    EXPECT_NE(interleavedSchedule(mechanisms, sizes, rounds, 43), schedule);
}

TEST(IpcRounds, RowsCarryTheirRoundsAndTheSpinUsed) {
    IpcLabOptions o;
    o.mechanisms = {"pipe", "shm", "thread-queue"};
    o.sizes = {8, 4096};
    o.secondsPerPoint = 0.003;
    o.minRoundTrips = 2;
    o.maxRoundTrips = 3;
    o.rounds = 3;
    o.seed = 9;
    for (unsigned spin : {0u, 20u}) {
        o.spinUs = spin;
        const auto rows = runIpcLab(o, {});
        ASSERT_EQ(rows.size(), plannedIpcRows(o));
        for (const auto& r : rows) {
            const bool transport = r.mechanism != "thread-queue";
            EXPECT_EQ(r.spinUs, transport ? spin : 0u) << r.mechanism;
            EXPECT_EQ(r.spread.rounds, 3u) << r.mechanism;
            EXPECT_EQ(r.roundMediansUs.size(), 3u) << r.mechanism;
            EXPECT_GE(r.roundTrips, 6u) << r.mechanism;
            EXPECT_DOUBLE_EQ(r.p50Us, r.spread.medianUs) << r.mechanism;
            EXPECT_LE(r.spread.minUs, r.p50Us);
            EXPECT_GE(r.spread.maxUs, r.p50Us);
        }
    }
    EXPECT_TRUE(coreduel::test::childPids().empty());
}

TEST(IpcRounds, PlacementsRunAndSameLeavesOutTheSpinBaseline) {
    IpcLabOptions o;
    o.mechanisms = {"pipe", "thread-queue", "spin"};
    o.sizes = {8};
    o.secondsPerPoint = 0.002;
    o.minRoundTrips = 2;
    o.maxRoundTrips = 3;
    o.rounds = 2;
    o.placement = IpcPlacement::Same;
    auto rows = runIpcLab(o, {});
    ASSERT_EQ(rows.size(), 2u);  // spinning on one CPU measures the scheduler: left out
    for (const auto& r : rows) EXPECT_NE(r.mechanism, "spin");
    o.placement = IpcPlacement::Split;
    cpu_set_t allowed;
    if (::sched_getaffinity(0, sizeof allowed, &allowed) == 0 && CPU_COUNT(&allowed) >= 2) {
        rows = runIpcLab(o, {});
        EXPECT_EQ(rows.size(), 3u);
    }
    EXPECT_EQ(parseIpcPlacement("split"), IpcPlacement::Split);
    EXPECT_EQ(parseIpcPlacement("both"), IpcPlacement::Both);
    EXPECT_THROW(parseIpcPlacement("elsewhere"), InvalidArgument);
    EXPECT_TRUE(coreduel::test::childPids().empty());
}

// The default measures every row on one CPU and across two (the choice the scheduler made once
// per peer, which made unpinned rows land in either per run): a row per placement, each with
// its own rounds, and the spin baseline only across. With one CPU, the same-CPU rows alone.
TEST(IpcRounds, BothPlacementsGiveARowEachAndTheEngineIsUnpinnedAfterwards) {
    IpcLabOptions o;
    EXPECT_EQ(o.placement, IpcPlacement::Both) << "the default";
    o.mechanisms = {"pipe", "thread-queue", "spin"};
    o.sizes = {8, 512};
    o.secondsPerPoint = 0.004;
    o.minRoundTrips = 2;
    o.maxRoundTrips = 3;
    o.rounds = 2;
    cpu_set_t before;
    ASSERT_EQ(::sched_getaffinity(0, sizeof before, &before), 0);
    const bool two = CPU_COUNT(&before) >= 2;
    const auto rows = runIpcLab(o, {});
    ASSERT_EQ(rows.size(), plannedIpcRows(o));
    EXPECT_EQ(rows.size(), two ? 10u : 4u);
    std::set<std::tuple<std::string, IpcPlacement, std::size_t>> seen;
    for (const auto& r : rows) {
        EXPECT_NE(r.placement, IpcPlacement::Any) << r.mechanism;
        EXPECT_NE(r.placement, IpcPlacement::Both) << r.mechanism;
        if (r.mechanism == "spin") EXPECT_EQ(r.placement, IpcPlacement::Split);
        EXPECT_EQ(r.spread.rounds, 2u) << r.mechanism;
        seen.emplace(r.mechanism, r.placement, r.bytes);
    }
    EXPECT_EQ(seen.size(), rows.size()) << "one row per mechanism, placement and size";
    if (two) {
        EXPECT_TRUE(seen.count({"pipe", IpcPlacement::Same, 8}));
        EXPECT_TRUE(seen.count({"pipe", IpcPlacement::Split, 8}));
    }
    cpu_set_t after;
    ASSERT_EQ(::sched_getaffinity(0, sizeof after, &after), 0);
    EXPECT_TRUE(CPU_EQUAL(&before, &after)) << "the engine's CPUs are given back";
    EXPECT_STREQ(placementLabel(IpcPlacement::Same), "same CPU");
    EXPECT_STREQ(placementLabel(IpcPlacement::Split), "across CPUs");
    EXPECT_TRUE(coreduel::test::childPids().empty());
}

// A session keeps each row's placement; a row written before rows had one reads as unpinned.
TEST(IpcRounds, ASessionKeepsTheRowsPlacement) {
    IpcMeasurement m;
    m.mechanism = "pipe";
    m.bytes = 8;
    m.placement = IpcPlacement::Split;
    EXPECT_EQ(ipcMeasurementFromJson(toJson(m)).placement, IpcPlacement::Split);
    auto old = toJson(m);
    old.erase("placement");
    EXPECT_EQ(ipcMeasurementFromJson(old).placement, IpcPlacement::Any);
}

// The bench's bare ping-pong pinned like the lab, and the caller's CPUs given back.
TEST(IpcRounds, TheBarePingPongCanBePinned) {
    cpu_set_t before, after;
    ASSERT_EQ(::sched_getaffinity(0, sizeof before, &before), 0);
    EXPECT_GT(rawPingPongUs(Transport::Pipe, 20, IpcPlacement::Same), 0.0);
    if (CPU_COUNT(&before) >= 2)
        EXPECT_GT(rawPingPongUs(Transport::Pipe, 20, IpcPlacement::Split), 0.0);
    ASSERT_EQ(::sched_getaffinity(0, sizeof after, &after), 0);
    EXPECT_TRUE(CPU_EQUAL(&before, &after));
    EXPECT_TRUE(coreduel::test::childPids().empty());
}
