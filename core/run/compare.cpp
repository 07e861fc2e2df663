#include "core/run/compare.h"

#include <cmath>
#include <map>

#include "core/run/result.h"

namespace coreduel {

namespace {

double betaContinuedFraction(double a, double b, double x) {
    const double tiny = 1e-300;
    double c = 1, d = 1 - (a + b) * x / (a + 1);
    if (std::fabs(d) < tiny) d = tiny;
    d = 1 / d;
    double h = d;
    for (int m = 1; m <= 300; ++m) {
        const double m2 = 2.0 * m;
        double aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
        d = 1 + aa * d;
        if (std::fabs(d) < tiny) d = tiny;
        c = 1 + aa / c;
        if (std::fabs(c) < tiny) c = tiny;
        d = 1 / d;
        h *= d * c;
        aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
        d = 1 + aa * d;
        if (std::fabs(d) < tiny) d = tiny;
        c = 1 + aa / c;
        if (std::fabs(c) < tiny) c = tiny;
        d = 1 / d;
        const double delta = d * c;
        h *= delta;
        if (std::fabs(delta - 1) < 1e-12) break;
    }
    return h;
}

}  // namespace

std::string configurationLabel(const RunConfig& c) {
    return modelLabel(c) + " x" + std::to_string(c.workers) +
           (c.chunksize > 0 ? " chunk " + std::to_string(c.chunksize) : "");
}

double incompleteBeta(double a, double b, double x) {
    if (x <= 0) return 0;
    if (x >= 1) return 1;
    const double lnFront =
        std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x);
    if (x < (a + 1) / (a + b + 2)) return std::exp(lnFront) * betaContinuedFraction(a, b, x) / a;
    return 1 - std::exp(lnFront) * betaContinuedFraction(b, a, 1 - x) / b;
}

double welchPValue(const Summary& a, const Summary& b) {
    if (a.n < 2 || b.n < 2) return 1;
    const double va = a.stddev * a.stddev / static_cast<double>(a.n);
    const double vb = b.stddev * b.stddev / static_cast<double>(b.n);
    if (va + vb <= 0) return a.mean == b.mean ? 1 : 0;
    const double t = (a.mean - b.mean) / std::sqrt(va + vb);
    const double df =
        (va + vb) * (va + vb) /
        (va * va / static_cast<double>(a.n - 1) + vb * vb / static_cast<double>(b.n - 1));
    return incompleteBeta(df / 2, 0.5, df / (df + t * t));
}

std::vector<Comparison> compareResults(const ExperimentResult& base, const ExperimentResult& next) {
    // With several interpreters, each is its own configuration (named by its spec).
    const bool several =
        base.analysis.interpreters().size() > 1 || next.analysis.interpreters().size() > 1;
    auto walls = [several](const ExperimentResult& r) {
        std::map<std::string, std::vector<double>> m;
        std::vector<std::string> order;
        for (const auto& run : r.runs) {
            if (!run.ok) continue;
            auto key = configurationLabel(run.config);
            if (several && isPython(run.config.model))
                key += " \u00b7 " + (run.config.python.empty() ? "python3" : run.config.python);
            if (!m.count(key)) order.push_back(key);
            m[key].push_back(run.wallSeconds);
        }
        return std::make_pair(m, order);
    };
    const auto [b, order] = walls(base);
    const auto [n, unused] = walls(next);
    std::vector<Comparison> out;
    for (const auto& key : order) {
        auto it = n.find(key);
        if (it == n.end()) continue;
        Comparison c;
        c.configuration = key;
        c.base = summarize(b.at(key));
        c.next = summarize(it->second);
        // Ratio next/base = 1 / (base/next): reuse the speedup interval with the roles swapped.
        c.ratio = speedupInterval(c.next, c.base);
        c.pValue = welchPValue(c.base, c.next);
        c.significant = c.pValue < 0.05;
        out.push_back(c);
    }
    return out;
}

}  // namespace coreduel
