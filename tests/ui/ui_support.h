#pragma once
// Helpers for the ui tests: spinning the event loop until something happens, and the golden
// result file as a known result.

#include <QCoreApplication>
#include <QElapsedTimer>
#include <string>

#include "core/report/schema.h"

namespace coreduel::test {

/// Runs the event loop until `done` or the deadline; returns done().
template <class Pred>
bool spinUntil(Pred done, int timeoutMs = 60000) {
    QElapsedTimer t;
    t.start();
    while (!done() && t.elapsed() < timeoutMs) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    }
    return done();
}

inline std::string goldenPath(const char* name) {
    return std::string(COREDUEL_GOLDEN_DIR) + "/" + name;
}

inline ExperimentResult goldenResult() {
    return loadResultFile(goldenPath("result.json"));
}

}  // namespace coreduel::test
