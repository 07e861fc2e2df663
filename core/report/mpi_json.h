#pragma once
// The "mpi" block of a run in result and session files: ranks, their clocks, every host's
// sampled cores.

#include <nlohmann/json.hpp>

#include "core/exec/mpi_result.h"

namespace coreduel {

nlohmann::json mpiToJson(const MpiRunInfo& m);
/// Throws FileFormatError naming `where` and the field.
MpiRunInfo mpiFromJson(const nlohmann::json& j, const std::string& where);

}  // namespace coreduel
