#pragma once
// Scaling laws over worker counts: speedup with its confidence interval, the Karp-Flatt
// experimentally determined serial fraction, and an Amdahl fit that predicts beyond the
// machine's core count (always marked as a prediction).

#include <optional>
#include <vector>

#include "core/stats/summary.h"

namespace coreduel {

struct Interval {
    double value = 0;
    double low = 0;   ///< equals value when !hasRange
    double high = 0;  ///< equals value when !hasRange
    bool hasRange = false;
};

/// Speedup = baseline mean / run mean, with a 95 % interval from the delta method on the log
/// of the ratio (both means' relative standard errors combined): positive, never below zero.
/// With fewer than kMinRepetitionsForInterval repetitions on either side there is no interval
/// (the point only, hasRange false).
Interval speedupInterval(const Summary& baseline, const Summary& run);

/// Karp-Flatt metric e = (1/S - 1/p) / (1 - 1/p); undefined for p = 1.
std::optional<double> karpFlatt(double speedup, unsigned workers);

struct AmdahlFit {
    bool valid = false;
    double serialFraction = 0;      ///< f in S(p) = 1 / (f + (1 - f) / p)
    double standardError = 0;       ///< of f; 0 when the fit has no spare degrees of freedom
    std::vector<double> residuals;  ///< measured - fitted speedup, per input point
    std::size_t points = 0;
    [[nodiscard]] double predict(double workers) const;
};

/// Least squares of 1/S - 1/p = f (1 - 1/p) (a line through the origin), so f has a closed
/// form and a standard error. Points with p = 1 carry no information about f and are skipped.
AmdahlFit fitAmdahl(const std::vector<double>& workers, const std::vector<double>& speedups);

/// Gustafson's scaled speedup for a serial fraction f: p - f (p - 1).
double gustafson(double serialFraction, double workers);

/// Least squares of p - S = f (p - 1) for scaled speedups (weak scaling); same shape as the
/// Amdahl fit, and predict() there is not meaningful: use gustafson(f, p).
AmdahlFit fitGustafson(const std::vector<double>& workers,
                       const std::vector<double>& scaledSpeedups);

}  // namespace coreduel
