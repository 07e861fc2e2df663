#include "core/stats/summary.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace coreduel {

double tQuantile975(std::size_t df) {
    static const double table[] = {0,     12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365,
                                   2.306, 2.262,  2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
                                   2.120, 2.110,  2.101, 2.093, 2.086, 2.080, 2.074, 2.069,
                                   2.064, 2.060,  2.056, 2.052, 2.048, 2.045, 2.042};
    if (df == 0) return 0;
    if (df <= 30) return table[df];
    // Cornish-Fisher expansion around the normal quantile: within 1e-3 of the exact value here.
    const double z = 1.959964;
    const double d = static_cast<double>(df);
    return z + (z * z * z + z) / (4 * d) +
           (5 * std::pow(z, 5) + 16 * z * z * z + 3 * z) / (96 * d * d);
}

double quantileSorted(const std::vector<double>& sorted, double q) {
    if (sorted.empty()) return 0;
    const double pos = q * static_cast<double>(sorted.size() - 1);
    const auto lo = static_cast<std::size_t>(std::floor(pos));
    const auto hi = std::min(lo + 1, sorted.size() - 1);
    return sorted[lo] + (pos - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

Summary summarize(std::vector<double> v) {
    Summary s;
    s.n = v.size();
    if (v.empty()) {
        s.warnings.emplace_back("no successful repetitions");
        return s;
    }
    std::sort(v.begin(), v.end());
    s.min = v.front();
    s.max = v.back();
    s.mean = std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(s.n);
    s.median = quantileSorted(v, 0.5);
    s.ciLow = s.ciHigh = s.mean;
    if (s.n >= 2) {
        double ss = 0;
        for (double x : v) ss += (x - s.mean) * (x - s.mean);
        s.stddev = std::sqrt(ss / static_cast<double>(s.n - 1));
    }
    if (s.n >= kMinRepetitionsForInterval && s.mean > 0 && s.min > 0) {
        // Times are positive and skewed: an interval of the log of the mean stays positive,
        // where mean +/- t sd/sqrt(n) reached below zero with two noisy repetitions.
        const double relSe = s.stddev / s.mean / std::sqrt(static_cast<double>(s.n));
        const double t = tQuantile975(s.n - 1);
        s.ciLow = s.mean * std::exp(-t * relSe);
        s.ciHigh = s.mean * std::exp(t * relSe);
        s.hasInterval = true;
    }
    if (s.n >= 4) {
        const double q1 = quantileSorted(v, 0.25);
        const double q3 = quantileSorted(v, 0.75);
        const double iqr = q3 - q1;
        for (double x : v) s.outliers += (x < q1 - 1.5 * iqr || x > q3 + 1.5 * iqr) ? 1 : 0;
        if (s.outliers > 0)
            s.warnings.push_back(std::to_string(s.outliers) + " of " + std::to_string(s.n) +
                                 " repetitions are statistical outliers: another program may have "
                                 "interfered; consider more repetitions and a quiet machine");
    }
    if (s.n < 3)
        s.warnings.push_back(
            "only " + std::to_string(s.n) + " repetition" + (s.n == 1 ? "" : "s") +
            ": too few to support a comparison; no interval is shown (3 or more give one, 5 or "
            "more are better)");
    else if (s.mean > 0 && s.stddev / s.mean > 0.1)
        s.warnings.push_back("noisy: the standard deviation is " +
                             std::to_string(static_cast<int>(100 * s.stddev / s.mean)) +
                             " % of the mean");
    return s;
}

}  // namespace coreduel
