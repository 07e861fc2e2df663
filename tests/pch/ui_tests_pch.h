#pragma once
// Precompiled once for ui_tests (COREDUEL_PCH): GoogleTest plus the window's heaviest header,
// qcustomplot.h (QtWidgets and QtPrintSupport), which every one of these tests reads.
#include <gtest/gtest.h>
#include <qcustomplot.h>

#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <string>
#include <vector>
