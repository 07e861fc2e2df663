// The bench's verdict on a paired comparison: like is compared with like, and a goal passes
// only when every wake-up mode with enough pairs meets it.

#include <gtest/gtest.h>

#include "app/bench_paired.h"

namespace coreduel::app {
namespace {

ModeStats mode(std::size_t pairs, double ratio) {
    ModeStats s;
    s.pairs = pairs;
    s.ratio = s.low = s.high = ratio;
    return s;
}

TEST(BenchPaired, EveryModeWithEnoughPairsMustMeetTheGoal) {
    PairedResult r;
    r.fast = mode(5, 0.08);
    r.slow = mode(3, 0.2);
    auto v = judge(r, 0.1, true);
    EXPECT_FALSE(v.pass);
    EXPECT_TRUE(v.conclusive);
    EXPECT_NE(v.detail.find("slow 0.200 (3 pairs"), std::string::npos) << v.detail;
    EXPECT_NE(v.detail.find("MISSED"), std::string::npos) << v.detail;

    r.slow = mode(1, 0.2);  // one slow pair says nothing either way
    v = judge(r, 0.1, true);
    EXPECT_TRUE(v.pass) << v.detail;
    EXPECT_NE(v.detail.find("too few to judge"), std::string::npos) << v.detail;
}

TEST(BenchPaired, NoModeWithEnoughPairsIsAFailureNotAPass) {
    PairedResult r;
    r.fast = mode(1, 2.0);
    r.mixed = 5;
    const auto v = judge(r, 1.9, false);
    EXPECT_FALSE(v.pass);
    EXPECT_FALSE(v.conclusive);
    EXPECT_NE(v.detail.find("5 pairs across modes not compared"), std::string::npos) << v.detail;
}

TEST(BenchPaired, PairsAlternateAndAreComparedOnlyWithinOneMode) {
    PairedBench bench;
    bench.calibrate(0.05);
    std::string order;
    const auto r =
        bench.run({4, [&] { return order += 'A', 2.0; }, [&] { return order += 'B', 1.0; }, {}});
    EXPECT_EQ(order, "ABBAABBA");  // neither side always goes first
    EXPECT_EQ(r.fast.pairs + r.slow.pairs + r.mixed, 4u);
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
    EXPECT_EQ(r.mixed, 3u);
    EXPECT_EQ(r.fast.pairs + r.slow.pairs, 0u);
    EXPECT_FALSE(judge(r, 1.3, true).pass);
}

// A goal measured while other programs kept the CPUs busy is neither passed nor missed: the
// ratio is the machine's. Two runs beside a compiler then agree instead of flipping.
TEST(BenchPaired, ABusyMachineLeavesTheGoalUnjudged) {
    PairedResult r;
    r.fast = mode(5, 2.0);
    r.othersBusyPct = 5;
    auto v = judge(r, 1.9, false);
    EXPECT_TRUE(v.pass) << v.detail;
    EXPECT_FALSE(v.busy);

    r.othersBusyPct = 60;
    v = judge(r, 1.9, false);
    EXPECT_TRUE(v.busy);
    EXPECT_FALSE(v.pass) << "not a pass either";
    EXPECT_NE(v.detail.find("other programs used 60 %"), std::string::npos) << v.detail;

    r.othersBusyPct = -1;  // not measured: judged as before
    EXPECT_FALSE(judge(r, 1.9, false).busy);
}

TEST(BenchPaired, OtherProgramsShareIsAPercentageOfTheCpus) {
    const double pct = othersBusyPct(std::chrono::milliseconds(30));
    EXPECT_GE(pct, 0.0);
    EXPECT_LE(pct, 100.0);
}

}  // namespace
}  // namespace coreduel::app
