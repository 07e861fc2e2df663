#pragma once
// Precompiled once for coreduel_ui (CMakeLists: COREDUEL_PCH). qcustomplot.h pulls in all of
// QtWidgets and QtPrintSupport: about 9 s of parsing in every file that includes it, which is
// most of this target. Only headers that almost every file here reads belong in this list.
#include <qcustomplot.h>

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>
