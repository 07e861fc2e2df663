#include "core/stats/scaling.h"

#include <algorithm>
#include <cmath>

namespace coreduel {

Interval speedupInterval(const Summary& baseline, const Summary& run) {
    Interval s;
    if (baseline.n == 0 || run.n == 0 || run.mean <= 0 || baseline.mean <= 0) return s;
    s.value = baseline.mean / run.mean;
    s.low = s.high = s.value;
    if (baseline.n < kMinRepetitionsForInterval || run.n < kMinRepetitionsForInterval) return s;
    const double rb = baseline.stddev / baseline.mean;
    const double rr = run.stddev / run.mean;
    const double se =
        std::sqrt(rb * rb / static_cast<double>(baseline.n) + rr * rr / static_cast<double>(run.n));
    const double t = tQuantile975(std::min(baseline.n, run.n) - 1);
    s.low = s.value * std::exp(-t * se);
    s.high = s.value * std::exp(t * se);
    s.hasRange = true;
    return s;
}

std::optional<double> karpFlatt(double speedup, unsigned workers) {
    if (workers < 2 || speedup <= 0) return std::nullopt;
    const double p = workers;
    return (1.0 / speedup - 1.0 / p) / (1.0 - 1.0 / p);
}

double AmdahlFit::predict(double workers) const {
    return 1.0 / (serialFraction + (1.0 - serialFraction) / workers);
}

namespace {

/// Least squares of y = f x through the origin, with the standard error of f; `residual`
/// gives each input point's measured-minus-fitted speedup once f is known.
template <class ToXY, class Residual>
AmdahlFit fitThroughOrigin(const std::vector<double>& workers, const std::vector<double>& speedups,
                           ToXY toXY, Residual residual) {
    AmdahlFit fit;
    double sxy = 0, sxx = 0;
    std::vector<std::pair<double, double>> xy;
    for (std::size_t i = 0; i < workers.size() && i < speedups.size(); ++i) {
        if (workers[i] <= 1) continue;  // one worker says nothing about f
        if (auto point = toXY(workers[i], speedups[i])) {
            xy.push_back(*point);
            sxy += point->first * point->second;
            sxx += point->first * point->first;
        }
    }
    fit.points = xy.size();
    if (xy.empty() || sxx <= 0) return fit;
    fit.valid = true;
    fit.serialFraction = sxy / sxx;
    if (xy.size() >= 2) {
        double rss = 0;
        for (const auto& [x, y] : xy)
            rss += (y - fit.serialFraction * x) * (y - fit.serialFraction * x);
        fit.standardError = std::sqrt(rss / static_cast<double>(xy.size() - 1) / sxx);
    }
    for (std::size_t i = 0; i < workers.size() && i < speedups.size(); ++i)
        fit.residuals.push_back(speedups[i] - residual(fit, workers[i]));
    return fit;
}

}  // namespace

AmdahlFit fitAmdahl(const std::vector<double>& workers, const std::vector<double>& speedups) {
    // 1/S - 1/p = f (1 - 1/p)
    return fitThroughOrigin(
        workers, speedups,
        [](double p, double s) -> std::optional<std::pair<double, double>> {
            if (s <= 0) return std::nullopt;
            return std::make_pair(1.0 - 1.0 / p, 1.0 / s - 1.0 / p);
        },
        [](const AmdahlFit& f, double p) { return f.predict(p); });
}

double gustafson(double serialFraction, double workers) {
    return workers - serialFraction * (workers - 1.0);
}

AmdahlFit fitGustafson(const std::vector<double>& workers, const std::vector<double>& speedups) {
    // p - S = f (p - 1)
    return fitThroughOrigin(
        workers, speedups,
        [](double p, double s) -> std::optional<std::pair<double, double>> {
            return std::make_pair(p - 1.0, p - s);
        },
        [](const AmdahlFit& f, double p) { return gustafson(f.serialFraction, p); });
}

}  // namespace coreduel
