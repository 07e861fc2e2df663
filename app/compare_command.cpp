#include "app/compare_command.h"

#include <cmath>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "core/report/schema.h"
#include "core/run/compare.h"

namespace coreduel::app {

int compareCommand(const std::string& basePath, const std::string& nextPath, double failIfSlower,
                   bool json) {
    const auto base = loadResultFile(basePath);
    const auto next = loadResultFile(nextPath);
    if (base.experiment.workload != next.experiment.workload ||
        base.experiment.params != next.experiment.params) {
        std::string b, n;
        for (const auto& [k, v] : base.experiment.params) b += " " + k + "=" + v;
        for (const auto& [k, v] : next.experiment.params) n += " " + k + "=" + v;
        std::cerr << "note: the two results ran different experiments (" << base.experiment.workload
                  << b << " vs " << next.experiment.workload << n
                  << "): the comparison is of different work\n";
    }
    const auto rows = compareResults(base, next);
    if (rows.empty()) {
        std::cerr << "coreduel-cli: the two results have no configuration in common\n";
        return 2;
    }
    int regressions = 0;
    nlohmann::json j;
    j["schema"] = "coreduel.compare/1";
    if (!json)
        std::printf("%-30s %4s %4s %12s %12s %24s %9s  %s\n", "configuration", "n", "n", "base [s]",
                    "new [s]", "new/base (95% CI)", "p", "verdict");
    for (const auto& c : rows) {
        const double pct = (c.ratio.value - 1) * 100;
        std::string verdict =
            !c.significant ? "no significant difference"
            : pct > 0 ? "slower by " + std::to_string(static_cast<int>(std::lround(pct))) + " %"
                      : "faster by " + std::to_string(static_cast<int>(std::lround(-pct))) + " %";
        const bool regression = failIfSlower >= 0 && c.significant && pct > failIfSlower;
        if (regression) {
            ++regressions;
            verdict += "  REGRESSION";
        }
        if (c.base.n < 2 || c.next.n < 2)
            verdict += " (fewer than 2 repetitions: no test possible)";
        if (json) {
            j["configurations"].push_back({{"configuration", c.configuration},
                                           {"base_mean_seconds", c.base.mean},
                                           {"new_mean_seconds", c.next.mean},
                                           {"base_n", c.base.n},
                                           {"new_n", c.next.n},
                                           {"ratio", c.ratio.value},
                                           {"ratio_ci95_low", c.ratio.low},
                                           {"ratio_ci95_high", c.ratio.high},
                                           {"p_value_welch", c.pValue},
                                           {"significant", c.significant},
                                           {"regression", regression}});
        } else {
            char ci[64];
            std::snprintf(ci, sizeof ci, "%.3f (%.3f-%.3f)", c.ratio.value, c.ratio.low,
                          c.ratio.high);
            std::printf("%-30s %4zu %4zu %12.4f %12.4f %24s %9.4f  %s\n", c.configuration.c_str(),
                        c.base.n, c.next.n, c.base.mean, c.next.mean, ci, c.pValue,
                        verdict.c_str());
        }
    }
    if (json) {
        j["regressions"] = regressions;
        std::cout << j.dump(2) << '\n';
    } else {
        std::printf(
            "\nwall time means; p from Welch's two-sided t-test, significant below 0.05.\n");
    }
    return regressions > 0 ? 1 : 0;
}

}  // namespace coreduel::app
