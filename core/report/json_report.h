#pragma once
// Results as JSON, one object per run with the fields the CLI promises. The schema is
// versioned ("schema": "coreduel.result/1") so saved files can be recognised later.

#include <nlohmann/json.hpp>

#include "core/run/result.h"

namespace coreduel {

inline constexpr const char* kResultSchema = "coreduel.result/1";

nlohmann::json toJson(const Summary& s);
nlohmann::json toJson(const TimeBreakdown& t);
nlohmann::json toJson(const Analysis& a);
nlohmann::json toJson(const RunResult& r);
nlohmann::json toJson(const ExperimentResult& r);

}  // namespace coreduel
