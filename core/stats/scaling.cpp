#include "core/stats/scaling.h"

#include <algorithm>
#include <cmath>

namespace coreduel {

Interval speedupInterval(const Summary& baseline, const Summary& run) {
    Interval s;
    if (baseline.n == 0 || run.n == 0 || run.mean <= 0 || baseline.mean <= 0) return s;
    s.value = baseline.mean / run.mean;
    s.low = s.high = s.value;
    if (baseline.n < 2 || run.n < 2) return s;
    const double rb = baseline.stddev / baseline.mean;
    const double rr = run.stddev / run.mean;
    const double se = std::sqrt(rb * rb / static_cast<double>(baseline.n) + rr * rr / static_cast<double>(run.n));
    const double t = tQuantile975(std::min(baseline.n, run.n) - 1);
    s.low = s.value * std::exp(-t * se);
    s.high = s.value * std::exp(t * se);
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

AmdahlFit fitAmdahl(const std::vector<double>& workers, const std::vector<double>& speedups) {
    AmdahlFit fit;
    double sxy = 0, sxx = 0;
    std::vector<std::pair<double, double>> xy;
    for (std::size_t i = 0; i < workers.size() && i < speedups.size(); ++i) {
        if (workers[i] <= 1 || speedups[i] <= 0) continue;
        const double x = 1.0 - 1.0 / workers[i];
        const double y = 1.0 / speedups[i] - 1.0 / workers[i];
        xy.emplace_back(x, y);
        sxy += x * y;
        sxx += x * x;
    }
    fit.points = xy.size();
    if (xy.empty() || sxx <= 0) return fit;
    fit.valid = true;
    fit.serialFraction = sxy / sxx;
    if (xy.size() >= 2) {
        double rss = 0;
        for (const auto& [x, y] : xy) rss += (y - fit.serialFraction * x) * (y - fit.serialFraction * x);
        fit.standardError = std::sqrt(rss / static_cast<double>(xy.size() - 1) / sxx);
    }
    for (std::size_t i = 0; i < workers.size() && i < speedups.size(); ++i)
        fit.residuals.push_back(speedups[i] - fit.predict(workers[i]));
    return fit;
}

double gustafson(double serialFraction, double workers) {
    return workers - serialFraction * (workers - 1.0);
}

AmdahlFit fitGustafson(const std::vector<double>& workers, const std::vector<double>& speedups) {
    AmdahlFit fit;
    double sxy = 0, sxx = 0;
    std::vector<std::pair<double, double>> xy;
    for (std::size_t i = 0; i < workers.size() && i < speedups.size(); ++i) {
        if (workers[i] <= 1) continue;
        const double x = workers[i] - 1.0;
        const double y = workers[i] - speedups[i];
        xy.emplace_back(x, y);
        sxy += x * y;
        sxx += x * x;
    }
    fit.points = xy.size();
    if (xy.empty()) return fit;
    fit.valid = true;
    fit.serialFraction = sxy / sxx;
    if (xy.size() >= 2) {
        double rss = 0;
        for (const auto& [x, y] : xy) rss += (y - fit.serialFraction * x) * (y - fit.serialFraction * x);
        fit.standardError = std::sqrt(rss / static_cast<double>(xy.size() - 1) / sxx);
    }
    for (std::size_t i = 0; i < workers.size() && i < speedups.size(); ++i)
        fit.residuals.push_back(speedups[i] - gustafson(fit.serialFraction, workers[i]));
    return fit;
}

}  // namespace coreduel
