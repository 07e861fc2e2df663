#pragma once
// Which scaling law, if any, the measured points support. A law is fitted per model over the
// worker counts up to the core count, and kept only where it applies: CPU-bound work (waiting
// does not occupy a core, so a "serial fraction" of I/O is meaningless), residuals within
// kMaxFitResidual of the measured speedups, points whose intervals are narrow enough to pin a
// law (kMaxFitSpread), and no measured point beyond the cores that the fit contradicts.
// Otherwise the fit is marked invalid and its note says why.

#include <vector>

#include "core/run/analysis.h"

namespace coreduel {

struct ExperimentResult;

/// Largest |measured - fitted| / measured speedup a fit may leave at any fitted point.
inline constexpr double kMaxFitResidual = 0.10;
/// A point in the fitted range whose 95 % interval spans more than this ratio (high / low) is
/// too noisy to fit a law to: 1.5 is, for a speedup near 2, about 1.6x to 2.4x.
inline constexpr double kMaxFitSpread = 1.5;

std::vector<ModelScaling> fitScaling(const ExperimentResult& result,
                                     const std::vector<ConfigSummary>& configs, unsigned cores);

}  // namespace coreduel
