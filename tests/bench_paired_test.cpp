// The bench's verdict on a paired comparison: like is compared with like, a goal passes only
// when every wake-up mode with enough pairs meets it with its whole interval, and a goal whose
// data cannot carry a verdict says so instead of passing or failing.

#include <gtest/gtest.h>

#include "app/bench_anchors.h"
#include "app/bench_paired.h"

namespace coreduel::app {
namespace {

ModeStats mode(std::size_t pairs, double ratio) {
    ModeStats s;
    s.pairs = pairs;
    s.ratio = s.low = s.high = s.ciLow = s.ciHigh = ratio;
    s.ratios.assign(pairs, ratio);
    return s;
}

TEST(BenchPaired, EveryModeWithEnoughPairsMustMeetTheGoal) {
    PairedResult r;
    r.fast = mode(5, 0.08);
    r.slow = mode(6, 0.2);
    auto v = judge(r, 0.1, true);
    EXPECT_FALSE(v.pass);
    EXPECT_TRUE(v.conclusive);
    EXPECT_STREQ(outcomeText(v), "FAIL");
    EXPECT_NE(v.detail.find("slow 0.200 (6 pairs"), std::string::npos) << v.detail;
    EXPECT_NE(v.detail.find("MISSED"), std::string::npos) << v.detail;

    r.slow = mode(kMinPairs - 1, 0.2);  // too few slow pairs say nothing either way
    v = judge(r, 0.1, true);
    EXPECT_TRUE(v.pass) << v.detail;
    EXPECT_NE(v.detail.find("too few to judge"), std::string::npos) << v.detail;
}

TEST(BenchPaired, NoModeWithEnoughPairsCannotTell) {
    PairedResult r;
    r.fast = mode(1, 2.0);
    r.mixed = 5;
    const auto v = judge(r, 1.9, false);
    EXPECT_FALSE(v.pass);
    EXPECT_FALSE(v.conclusive);
    EXPECT_STREQ(outcomeText(v), "CANNOT TELL");
    EXPECT_NE(v.detail.find("5 pairs across modes not compared"), std::string::npos) << v.detail;
}

TEST(BenchPaired, PairsAlternateAndAreComparedOnlyWithinOneMode) {
    PairedBench bench;
    bench.calibrate(0.05);
    std::string order;
    const auto r =
        bench.run({4, [&] { return order += 'A', 2.0; }, [&] { return order += 'B', 1.0; }, {}});
    EXPECT_EQ(order, "ABBAABBA");  // neither side always goes first
    EXPECT_EQ(r.fast.pairs + r.slow.pairs + r.mixed + r.busyPairs, 4u);
    for (const ModeStats* s : {&r.fast, &r.slow}) {
        if (s->pairs == 0) continue;
        EXPECT_DOUBLE_EQ(s->ratio, 2.0);
        EXPECT_DOUBLE_EQ(s->ours, 2.0);
        EXPECT_DOUBLE_EQ(s->anchor, 1.0);
    }
    EXPECT_EQ(r.probesUs.size(), 12u);  // before, between and after each pair
    EXPECT_EQ(bench.pairedProbes(), 12u);
}

TEST(BenchPaired, RoundTripsOfDifferentModesAreNotCompared) {
    PairedBench bench;
    bench.calibrate(0.05);
    // Ours always far above the slow threshold, the anchor never: every pair straddles.
    PairedSpec spec{3, [&] { return bench.thresholdUs() * 100; }, [] { return 0.001; }, {}, true};
    const auto r = bench.run(spec);
    EXPECT_EQ(r.mixed + r.busyPairs, 3u);
    EXPECT_EQ(r.fast.pairs + r.slow.pairs, 0u);
    EXPECT_FALSE(judge(r, 1.3, true).pass);
}

// Pairs taken while other programs kept the CPUs busy are not compared; a goal left with no
// mode of enough quiet pairs is neither passed nor missed: the ratio would be the machine's.
TEST(BenchPaired, ABusyMachineLeavesTheGoalUnjudged) {
    PairedResult r;
    r.fast = mode(5, 2.0);
    r.othersBusyPct = 60;
    r.busyPairs = 3;  // the quiet pairs still carry the verdict
    auto v = judge(r, 1.9, false);
    EXPECT_TRUE(v.pass) << v.detail;
    EXPECT_FALSE(v.busy);
    EXPECT_NE(v.detail.find("3 pairs beside busy programs not compared"), std::string::npos)
        << v.detail;

    r.fast = mode(2, 2.0);
    v = judge(r, 1.9, false);
    EXPECT_TRUE(v.busy);
    EXPECT_FALSE(v.pass) << "not a pass either";
    EXPECT_FALSE(v.conclusive) << "nor a failure";
    EXPECT_NE(v.detail.find("other programs used 60 %"), std::string::npos) << v.detail;

    // One busy pair beside fifteen that crossed wake-up modes on a quiet machine (an idle VM
    // did this): the modes kept the verdict away, not the load: it cannot tell.
    r.fast = {};
    r.othersBusyPct = 0;
    r.busyPairs = 1;
    r.mixed = 15;
    v = judge(r, 4.0, true);
    EXPECT_FALSE(v.busy) << v.detail;
    EXPECT_STREQ(outcomeText(v), "CANNOT TELL");
    EXPECT_NE(v.detail.find("15 pairs across modes not compared"), std::string::npos) << v.detail;
}

// A mode is judged on the interval of its median: one that straddles the limit cannot tell,
// whatever side the median fell on, so that the next run does not flip PASS into FAIL.
TEST(BenchPaired, AnIntervalAcrossTheLimitCannotTell) {
    PairedResult r;
    r.fast = mode(6, 0.62);
    r.fast.ciLow = 0.55;  // median meets >= 0.6, the interval does not all
    auto v = judge(r, 0.6, false);
    EXPECT_FALSE(v.pass);
    EXPECT_FALSE(v.conclusive);
    EXPECT_STREQ(outcomeText(v), "CANNOT TELL");
    EXPECT_NE(v.detail.find("interval across the limit"), std::string::npos) << v.detail;

    r.fast.ciLow = 0.5;
    r.fast.ciHigh = 0.58;  // all of it misses
    v = judge(r, 0.6, false);
    EXPECT_STREQ(outcomeText(v), "FAIL");

    r.fast.ciLow = 0.61;
    r.fast.ciHigh = 0.7;
    EXPECT_STREQ(outcomeText(judge(r, 0.6, false)), "PASS");
}

TEST(BenchPaired, TheMedianIntervalCoversTheMedianWithTheStatedConfidence) {
    EXPECT_EQ(medianIntervalRank(1), 1u);
    EXPECT_EQ(medianIntervalRank(5), 1u);   // the range: 1 - 2/32 = 93.8 %
    EXPECT_EQ(medianIntervalRank(7), 1u);   // 2nd..6th would be 1 - 2 x 8/128 = 87.5 %
    EXPECT_EQ(medianIntervalRank(8), 2u);   // 1 - 2 x 9/256 = 93.0 %
    EXPECT_EQ(medianIntervalRank(20), 6u);  // 1 - 2 x P(X <= 5) = 95.9 %; 7th: 88.5 %
}

// Pairs go on until each mode that occurred has kMinPairs, within the cap.
TEST(BenchPaired, PairsAreAddedUntilEachModeHasEnough) {
    PairedBench bench;
    bench.calibrate(0.05);
    PairedSpec spec{2, [] { return 2.0; }, [] { return 1.0; }, {}};
    spec.capSeconds = 60;
    const auto r = bench.run(spec);
    // Every pair is fast, slow, mixed or busy; the modes that occurred have enough, or the
    // run reached its cap of kMaxPairsFactor x 2 pairs.
    const std::size_t total = r.fast.pairs + r.slow.pairs + r.mixed + r.busyPairs;
    EXPECT_GE(total, 2u);
    EXPECT_LE(total, kMaxPairsFactor * 2);
    if (total < kMaxPairsFactor * 2) {
        for (const ModeStats* s : {&r.fast, &r.slow})
            EXPECT_TRUE(s->pairs == 0 || s->pairs >= kMinPairs) << s->pairs;
    }

    spec.capSeconds = 0;  // no time to add any
    EXPECT_EQ(bench.run(spec).probesUs.size(), 6u);
}

TEST(BenchPaired, OtherProgramsShareIsAPercentageOfTheCpus) {
    const double pct = othersBusyPct(std::chrono::milliseconds(30));
    EXPECT_GE(pct, 0.0);
    EXPECT_LE(pct, 100.0);
}

// The process pool's physical limit: every message crosses, the child reads them all and the
// stream ends (the reader's acknowledgement comes back), so the cost is per message sent.
TEST(BenchAnchors, TheBarePipeStreamCostsSomethingPerMessage) {
    const double us = rawPipeStreamUs(2000);
    EXPECT_GT(us, 0.0);
    EXPECT_LT(us, 1e5);  // a hung reader would never acknowledge: the test would not end
    std::printf("bare pipe: %.3f us per 8-byte message\n", us);
}

// A judged mode whose interval lies across the goal's limit gets more pairs, within the cap,
// so that a ratio near its limit is decided rather than left to five pairs' extremes.
TEST(BenchPaired, AnIntervalAcrossTheLimitAsksForMorePairs) {
    PairedBench bench;
    bench.calibrate(0.05);
    // Ratios 0.9, 1.1, 0.9, ...: every interval of their median spans 1.0.
    int calls = 0;
    PairedSpec spec{5, [&calls] { return ++calls % 2 == 0 ? 1.1 : 0.9; }, [] { return 1.0; }, {}};
    spec.capSeconds = 60;
    spec.limit = 1.0;
    spec.atMost = false;
    auto r = bench.run(spec);
    std::size_t total = r.fast.pairs + r.slow.pairs + r.mixed + r.busyPairs;
    EXPECT_GT(total, 5u) << "undecided after the planned pairs: more were taken";
    EXPECT_LE(total, kUndecidedPairsFactor * 5);
    // Far from the limit: decided at once, no pair beyond those planned and the modes' needs.
    calls = 0;
    spec.ours = [] { return 2.0; };
    r = bench.run(spec);
    total = r.fast.pairs + r.slow.pairs + r.mixed + r.busyPairs;
    EXPECT_LE(total, kMaxPairsFactor * 5);
    const bool modesHaveEnough = (r.fast.pairs == 0 || r.fast.pairs >= kMinPairs) &&
                                 (r.slow.pairs == 0 || r.slow.pairs >= kMinPairs);
    if (modesHaveEnough && r.mixed == 0 && r.busyPairs == 0) EXPECT_EQ(total, 5u);
}

}  // namespace
}  // namespace coreduel::app
