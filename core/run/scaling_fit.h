#pragma once
// Which scaling law, if any, the measured points support. A law is fitted per model over the
// worker counts up to the core count, and kept only where it applies: CPU-bound work (waiting
// does not occupy a core, so a "serial fraction" of I/O is meaningless), residuals within
// kMaxFitResidual of the measured speedups, and no measured point beyond the cores that the
// fit contradicts. Otherwise the fit is marked invalid and its note says why.

#include <vector>

#include "core/run/analysis.h"

namespace coreduel {

struct ExperimentResult;

/// Largest |measured - fitted| / measured speedup a fit may leave at any fitted point.
inline constexpr double kMaxFitResidual = 0.10;

std::vector<ModelScaling> fitScaling(const ExperimentResult& result,
                                     const std::vector<ConfigSummary>& configs, unsigned cores);

}  // namespace coreduel
