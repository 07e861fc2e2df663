#pragma once
// Precompiled once per test program (tests/CMakeLists.txt: COREDUEL_PCH): GoogleTest and
// nlohmann-json are parsed by nearly every test file, about 3 s each time.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <string>
#include <vector>
