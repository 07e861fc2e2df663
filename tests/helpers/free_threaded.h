#pragma once
// The free-threaded interpreter of the tests that compare a GIL build with one: from
// $COREDUEL_FREE_THREADED_PYTHON (scripts/bootstrap.sh sets it after building one into
// ~/.cache/coreduel), else python3.14t / python3.13t on PATH, else the bootstrap cache.
// In CI (CI=true) its absence fails the test: nothing that needs it may silently skip there.
// Elsewhere the test skips and says how to get one.

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "core/exec/interpreters.h"

namespace coreduel::test {

inline bool inCi() {
    const char* ci = std::getenv("CI");
    return ci != nullptr && std::string(ci) == "true";
}

}  // namespace coreduel::test

/// Sets `var` to the free-threaded interpreter's path, or fails (CI) / skips (elsewhere).
#define COREDUEL_FREE_THREADED_OR_SKIP(var)                                                    \
    const std::string var = ::coreduel::findFreeThreadedPython();                              \
    if (var.empty()) {                                                                         \
        if (::coreduel::test::inCi())                                                          \
            FAIL() << "CI needs a free-threaded python: scripts/bootstrap.sh test builds one " \
                      "(scripts/build_free_threaded_python.sh)";                               \
        GTEST_SKIP() << "no free-threaded python (python3.13t/3.14t on PATH, or "              \
                        "scripts/build_free_threaded_python.sh, or "                           \
                        "COREDUEL_FREE_THREADED_PYTHON=PATH)";                                 \
    }
