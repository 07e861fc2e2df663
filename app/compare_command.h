#pragma once
// `coreduel-cli compare`: two saved results, configuration by configuration, with Welch's test.

#include <string>

namespace coreduel::app {

/// `failIfSlower` < 0: never a regression. Exit code 1 when a configuration regressed.
int compareCommand(const std::string& basePath, const std::string& nextPath, double failIfSlower,
                   bool json);

}  // namespace coreduel::app
