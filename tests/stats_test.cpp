// Statistics against values computed by hand (and checked with numpy/scipy).

#include <gtest/gtest.h>

#include <cmath>

#include "core/run/analysis.h"
#include "core/run/compare.h"
#include "core/run/result.h"
#include "core/stats/scaling.h"
#include "core/stats/summary.h"
#include "test_support.h"

using namespace coreduel;

TEST(Summary, HandComputedValues) {
    // mean 3, sample sd sqrt(2.5) = 1.5811, t(4) = 2.776; in log space: relative standard
    // error 1.5811 / 3 / sqrt(5) = 0.23570, so 3 exp(-/+ 2.776 * 0.23570) = 1.5594 .. 5.7714
    const auto s = summarize({2, 4, 1, 5, 3});
    EXPECT_EQ(s.n, 5u);
    EXPECT_DOUBLE_EQ(s.mean, 3.0);
    EXPECT_DOUBLE_EQ(s.median, 3.0);
    EXPECT_NEAR(s.stddev, 1.5811388, 1e-6);
    EXPECT_DOUBLE_EQ(s.min, 1.0);
    EXPECT_DOUBLE_EQ(s.max, 5.0);
    ASSERT_TRUE(s.hasInterval);
    EXPECT_NEAR(s.ciLow, 1.5594, 1e-3);
    EXPECT_NEAR(s.ciHigh, 5.7714, 1e-3);
    EXPECT_EQ(s.outliers, 0u);
}

TEST(Summary, EvenCountMedianAndQuantiles) {
    const auto s = summarize({4, 1, 3, 2});
    EXPECT_DOUBLE_EQ(s.median, 2.5);
    EXPECT_DOUBLE_EQ(quantileSorted({1, 2, 3, 4}, 0.25), 1.75);  // numpy.quantile default
}

TEST(Summary, FlagsOutliersAndTooFewRepetitions) {
    const auto s = summarize({1.00, 1.01, 0.99, 1.02, 1.00, 0.98, 3.5});
    EXPECT_EQ(s.outliers, 1u);
    ASSERT_FALSE(s.warnings.empty());
    EXPECT_NE(s.warnings[0].find("outlier"), std::string::npos);

    const auto few = summarize({1.0, 1.1});
    bool warned = false;
    for (const auto& w : few.warnings) warned = warned || w.find("too few") != std::string::npos;
    EXPECT_TRUE(warned);
    const auto one = summarize({1.0});
    EXPECT_DOUBLE_EQ(one.ciLow, 1.0);
    EXPECT_DOUBLE_EQ(one.stddev, 0.0);
}

TEST(Summary, StudentTQuantiles) {
    EXPECT_NEAR(tQuantile975(1), 12.706, 1e-3);
    EXPECT_NEAR(tQuantile975(10), 2.228, 1e-3);
    EXPECT_NEAR(tQuantile975(60), 2.000, 2e-3);    // scipy: 2.0003
    EXPECT_NEAR(tQuantile975(1000), 1.962, 2e-3);  // scipy: 1.9623
}

TEST(Scaling, SpeedupIntervalContainsThePointAndWidensWithNoise) {
    const auto base = summarize({10.0, 10.1, 9.9, 10.0, 10.0});
    const auto quiet = summarize({5.0, 5.01, 4.99, 5.0, 5.0});
    const auto noisy = summarize({5.0, 6.0, 4.0, 5.5, 4.5});
    const auto q = speedupInterval(base, quiet);
    const auto n = speedupInterval(base, noisy);
    EXPECT_NEAR(q.value, 2.0, 1e-9);
    EXPECT_LT(q.low, 2.0);
    EXPECT_GT(q.high, 2.0);
    EXPECT_GT(n.high - n.low, 5 * (q.high - q.low));
}

TEST(Scaling, KarpFlattOfPerfectAndSerialRuns) {
    EXPECT_NEAR(*karpFlatt(4.0, 4), 0.0, 1e-12);  // perfect scaling: no serial part
    EXPECT_NEAR(*karpFlatt(1.0, 4), 1.0, 1e-12);  // no speedup: all serial
    EXPECT_FALSE(karpFlatt(1.0, 1).has_value());
    // Amdahl with f = 0.1 at p = 8 gives S = 1 / (0.1 + 0.9 / 8) = 4.7059; Karp-Flatt returns f.
    EXPECT_NEAR(*karpFlatt(1.0 / (0.1 + 0.9 / 8), 8), 0.1, 1e-12);
}

TEST(Scaling, AmdahlFitRecoversAKnownSerialFraction) {
    const double f = 0.07;
    std::vector<double> p = {1, 2, 3, 4, 6, 8, 12, 16};
    std::vector<double> s;
    // Deterministic +-1 % wiggle, as measurement noise would add.
    for (std::size_t i = 0; i < p.size(); ++i)
        s.push_back(1.0 / (f + (1 - f) / p[i]) * (1.0 + ((i % 2) ? 0.01 : -0.01)));
    const auto fit = fitAmdahl(p, s);
    ASSERT_TRUE(fit.valid);
    EXPECT_EQ(fit.points, 7u);  // p = 1 tells nothing about f
    EXPECT_NEAR(fit.serialFraction, f, 0.005);
    EXPECT_GT(fit.standardError, 0.0);
    EXPECT_LT(fit.standardError, 0.01);
    ASSERT_EQ(fit.residuals.size(), p.size());
    for (double r : fit.residuals) EXPECT_LT(std::fabs(r), 0.2);
    EXPECT_NEAR(fit.predict(1e9), 1.0 / fit.serialFraction, 1e-3);  // the Amdahl ceiling

    const auto exact = fitAmdahl({2, 4}, {1.0 / (0.25 + 0.75 / 2), 1.0 / (0.25 + 0.75 / 4)});
    EXPECT_NEAR(exact.serialFraction, 0.25, 1e-12);
}

TEST(Scaling, Gustafson) {
    EXPECT_DOUBLE_EQ(gustafson(0.0, 8), 8.0);
    EXPECT_DOUBLE_EQ(gustafson(1.0, 8), 1.0);
    EXPECT_DOUBLE_EQ(gustafson(0.1, 8), 7.3);
}

TEST(Scaling, GustafsonFitRecoversAKnownSerialFraction) {
    const double f = 0.2;
    std::vector<double> p = {1, 2, 4, 8}, s;
    for (double q : p) s.push_back(gustafson(f, q));
    const auto fit = fitGustafson(p, s);
    ASSERT_TRUE(fit.valid);
    EXPECT_NEAR(fit.serialFraction, f, 1e-12);
    EXPECT_NEAR(fit.standardError, 0.0, 1e-12);
}

TEST(Compare, WelchAgainstScipy) {
    // scipy.stats.ttest_ind([1,2,3,4,5], [3,4,5,6,7], equal_var=False): t = -2.0, p = 0.0805162
    EXPECT_NEAR(welchPValue(summarize({1, 2, 3, 4, 5}), summarize({3, 4, 5, 6, 7})), 0.0805162,
                1e-6);
    // Unequal variances: t = -5.1475, Welch df = 4.2648, p = 0.005671 (by numerical integration
    // of Student's t density)
    EXPECT_NEAR(welchPValue(summarize({10, 11, 12, 13}), summarize({20, 25, 30, 35, 40})), 0.005671,
                1e-5);
    EXPECT_DOUBLE_EQ(welchPValue(summarize({1}), summarize({2, 3})), 1.0);  // no test possible
    EXPECT_NEAR(incompleteBeta(2, 3, 0.4), 0.5248, 1e-4);                   // scipy.special.betainc
}

TEST(Analysis, AmdahlFitLeavesOutWorkerCountsBeyondTheCores) {
    // On 2 cores: a 5 % serial fraction measured at 1 and 2 workers, then the flat tail of 4
    // and 8 workers sharing the 2 cores. Fitting the tail would call it a large serial part.
    const double f = 0.05;
    const double two = f + (1 - f) / 2;
    const ExperimentResult r = test::syntheticResult(Model::Threads, 2,
                                                     {{Model::Sequential, 1, 1.0},
                                                      {Model::Threads, 1, 1.0},
                                                      {Model::Threads, 2, two},
                                                      {Model::Threads, 4, two},
                                                      {Model::Threads, 8, two}});
    const Analysis& a = r.analysis;
    ASSERT_EQ(a.scaling.size(), 1u);
    const ModelScaling& s = a.scaling.front();
    ASSERT_TRUE(s.fit.valid);
    EXPECT_NEAR(s.fit.serialFraction, f, 1e-6);
    EXPECT_NE(s.note.find("2 count(s) beyond them left out"), std::string::npos) << s.note;
}
