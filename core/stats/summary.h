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
    double ciLow =
        0;  ///< 95 % confidence interval of the mean (Student's t); equals mean for n < 2
    double ciHigh = 0;
    std::size_t outliers = 0;  ///< outside Tukey's fences (1.5 IQR beyond the quartiles)
    std::vector<std::string> warnings;
};

Summary summarize(std::vector<double> values);

/// Two-sided 97.5 % quantile of Student's t with `df` degrees of freedom.
double tQuantile975(std::size_t df);

/// Linear-interpolated quantile (as numpy's default), q in [0, 1], of sorted values.
double quantileSorted(const std::vector<double>& sorted, double q);

}  // namespace coreduel
