#pragma once
// What a text report says about mpi runs: how they were timed, where the ranks ran, how well
// their clocks are known, and each host's cores.

#include <iosfwd>

#include "core/run/result.h"

namespace coreduel {

/// Nothing when the experiment has no mpi run.
void writeMpiNotes(std::ostream& os, const ExperimentResult& result);

}  // namespace coreduel
