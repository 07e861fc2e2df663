#pragma once
// Comparing two saved results configuration by configuration: the ratio of mean wall times
// with its 95 % interval, and Welch's t-test for whether the difference is real.

#include <string>
#include <vector>

#include "core/stats/scaling.h"
#include "core/stats/summary.h"
#include "core/vocab/model.h"

namespace coreduel {

struct ExperimentResult;

struct Comparison {
    std::string configuration;  ///< "processes/spawn/pipe x2"
    Summary base;               ///< wall seconds
    Summary next;
    Interval ratio;            ///< next mean / base mean (> 1: slower)
    double pValue = 1;         ///< Welch's two-sided t-test; 1 when either side has n < 2
    bool significant = false;  ///< p < 0.05
};

std::vector<Comparison> compareResults(const ExperimentResult& base, const ExperimentResult& next);

/// "processes/spawn/pipe x2 chunk 4": what compareResults matches runs by.
std::string configurationLabel(const RunConfig& c);

/// Two-sided p-value of Welch's t-test between two samples described by their summaries.
double welchPValue(const Summary& a, const Summary& b);

/// Regularized incomplete beta I_x(a, b) (continued fraction, Numerical-Recipes style).
double incompleteBeta(double a, double b, double x);

}  // namespace coreduel
