#pragma once
// Descriptive statistics over repetitions, in the spirit of hyperfine: centre, spread, a 95 %
// confidence interval for the mean, and outliers that deserve a warning.

#include <cstddef>
#include <string>
#include <vector>

namespace coreduel {

struct Summary {
    std::size_t n = 0;
    double mean = 0;
    double median = 0;
    double stddev = 0;  ///< sample standard deviation (n - 1); 0 for n < 2
    double min = 0;
    double max = 0;
    /// 95 % confidence interval of the mean, computed in log space (Student's t on the relative
    /// standard error, the delta method): it is never below zero and is asymmetric like the
    /// times themselves. Only with n >= 3 (hasInterval); with fewer, t(1) = 12.7 makes any
    /// interval meaningless and both ends equal the mean.
    double ciLow = 0;
    double ciHigh = 0;
    bool hasInterval = false;
    std::size_t outliers = 0;  ///< outside Tukey's fences (1.5 IQR beyond the quartiles)
    std::vector<std::string> warnings;
};

Summary summarize(std::vector<double> values);

/// The fewest repetitions for which an interval is computed and drawn.
inline constexpr std::size_t kMinRepetitionsForInterval = 3;
/// How intervals are computed, for tooltips and reports.
inline constexpr const char* kIntervalMethod =
    "95 % interval in log space (Student's t on the relative standard error), "
    "only with 3 or more repetitions";

/// Two-sided 97.5 % quantile of Student's t with `df` degrees of freedom.
double tQuantile975(std::size_t df);

/// Linear-interpolated quantile (as numpy's default), q in [0, 1], of sorted values.
double quantileSorted(const std::vector<double>& sorted, double q);

}  // namespace coreduel
