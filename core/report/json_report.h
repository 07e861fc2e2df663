#pragma once
// Results as JSON, one object per run with the fields the CLI promises. The schema is
// versioned ("schema": "coreduel.result/2") so saved files can be recognised later.
// /2: the time breakdown splits time inside tasks into "on_cpu" and "blocked" (off CPU, not
// waiting for the GIL) where /1 had one "compute"; /1 files still load.

#include <nlohmann/json.hpp>

#include "core/run/result.h"

namespace coreduel {

inline constexpr const char* kResultSchema = "coreduel.result/2";
inline constexpr const char* kResultSchemaV1 = "coreduel.result/1";

nlohmann::json toJson(const Summary& s);
nlohmann::json toJson(const TimeBreakdown& t);
nlohmann::json toJson(const Analysis& a);
nlohmann::json toJson(const RunResult& r);
nlohmann::json toJson(const ExperimentResult& r);

}  // namespace coreduel
