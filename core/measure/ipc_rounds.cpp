#include "core/measure/ipc_rounds.h"

#include <algorithm>
#include <cmath>
#include <random>

#include "core/stats/summary.h"

namespace coreduel {

std::vector<std::vector<IpcCell>> interleavedSchedule(std::size_t mechanisms, std::size_t sizes,
                                                      std::size_t rounds, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::vector<std::vector<IpcCell>> schedule(rounds);
    for (auto& round : schedule) {
        for (std::size_t m = 0; m < mechanisms; ++m)
            for (std::size_t s = 0; s < sizes; ++s) round.push_back({m, s});
        // Fisher-Yates by hand: std::shuffle's draws differ between standard libraries, and a
        // reported seed should give the same order wherever the lab is rebuilt.
        for (std::size_t i = round.size(); i > 1; --i)
            std::swap(round[i - 1], round[static_cast<std::size_t>(rng() % i)]);
    }
    return schedule;
}

RoundSpread aggregateRounds(std::vector<double> roundMedians) {
    RoundSpread r;
    r.rounds = roundMedians.size();
    if (roundMedians.empty()) return r;
    std::sort(roundMedians.begin(), roundMedians.end());
    r.medianUs = quantileSorted(roundMedians, 0.5);
    r.minUs = roundMedians.front();
    r.maxUs = roundMedians.back();
    r.q1Us = quantileSorted(roundMedians, 0.25);
    r.q3Us = quantileSorted(roundMedians, 0.75);
    return r;
}

namespace {

double medianOf(const std::vector<double>& sorted, std::size_t from, std::size_t to) {
    const std::vector<double> part(sorted.begin() + static_cast<std::ptrdiff_t>(from),
                                   sorted.begin() + static_cast<std::ptrdiff_t>(to));
    return quantileSorted(part, 0.5);
}

}  // namespace

LatencyModes detectModes(std::vector<double> samplesUs) {
    LatencyModes modes;
    std::sort(samplesUs.begin(), samplesUs.end());
    const std::size_t n = samplesUs.size();
    if (n == 0) return modes;
    modes.fastUs = quantileSorted(samplesUs, 0.5);
    if (n < kModeMinSamples) return modes;
    // Sorted, the optimal 2-means split in one dimension is a cut between neighbours: prefix
    // sums of the logs and their squares give every cut's within-cluster sum of squares.
    std::vector<double> sum(n + 1, 0), sumSq(n + 1, 0);
    for (std::size_t i = 0; i < n; ++i) {
        const double x = std::log(std::max(samplesUs[i], 1e-3));
        sum[i + 1] = sum[i] + x;
        sumSq[i + 1] = sumSq[i] + x * x;
    }
    auto sse = [&](std::size_t from, std::size_t to) {
        const double k = static_cast<double>(to - from), s = sum[to] - sum[from];
        return (sumSq[to] - sumSq[from]) - s * s / k;
    };
    std::size_t cut = 1;
    double best = sse(0, 1) + sse(1, n);
    for (std::size_t k = 2; k < n; ++k) {
        const double v = sse(0, k) + sse(k, n);
        if (v < best) {
            best = v;
            cut = k;
        }
    }
    const double nf = static_cast<double>(n), kf = static_cast<double>(cut);
    const double meanFast = sum[cut] / kf, meanSlow = (sum[n] - sum[cut]) / (nf - kf);
    const double varFast = std::max(0.0, sse(0, cut) / kf);
    const double varSlow = std::max(0.0, sse(cut, n) / (nf - kf));
    const double spread = std::sqrt((varFast + varSlow) / 2);
    // Two exact values (no spread) are as separated as can be; a finite stand-in keeps JSON valid.
    modes.separation = spread > 0 ? (meanSlow - meanFast) / spread : 1e9;
    const double fastShare = kf / nf;
    const double ratio = std::exp(meanSlow - meanFast);
    if (ratio < kModeMinRatio || fastShare < kModeMinShare || 1 - fastShare < kModeMinShare ||
        modes.separation < kModeMinSeparation)
        return modes;
    modes.twoModes = true;
    modes.fastUs = medianOf(samplesUs, 0, cut);
    modes.slowUs = medianOf(samplesUs, cut, n);
    modes.fastShare = fastShare;
    modes.slowShare = 1 - fastShare;
    return modes;
}

}  // namespace coreduel
