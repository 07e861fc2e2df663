#pragma once
// Helpers for the ui tests: spinning the event loop until something happens, and the golden
// result file as a known result.

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QString>
#include <QTimer>
#include <string>

#include "core/report/schema.h"

namespace coreduel::test {

/// Runs the event loop until `done` or the deadline; returns done(). It waits for events as
/// the application's loop does: polling took a whole core on the GUI thread, which the live
/// budget (rightly) read as the window's own cost and slowed the live view for.
template <class Pred>
bool spinUntil(Pred done, int timeoutMs = 60000) {
    QTimer wake;  // a predicate may change without an event (another thread's state)
    wake.start(25);
    QElapsedTimer t;
    t.start();
    while (!done() && t.elapsed() < timeoutMs)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    return done();
}

/// Opens `path` in a MainWindow and runs the event loop until it is in (a session is read off
/// the GUI thread); returns the error, empty when it opened. "timed out" if it never ended.
template <class Window, class Path>
QString openAndWait(Window& w, const Path& path, int timeoutMs = 60000) {
    bool done = false;
    QString error = QStringLiteral("timed out");
    w.openFile(path, [&](const QString& e) {
        done = true;
        error = e;
    });
    spinUntil([&] { return done; }, timeoutMs);
    return error;
}

/// The same for loadBaseline.
template <class Window, class Path>
QString loadBaselineAndWait(Window& w, const Path& path, int timeoutMs = 60000) {
    bool done = false;
    QString error = QStringLiteral("timed out");
    w.loadBaseline(path, [&](const QString& e) {
        done = true;
        error = e;
    });
    spinUntil([&] { return done; }, timeoutMs);
    return error;
}

inline std::string goldenPath(const char* name) {
    return std::string(COREDUEL_GOLDEN_DIR) + "/" + name;
}

inline ExperimentResult goldenResult() {
    return loadResultFile(goldenPath("result.json"));
}

}  // namespace coreduel::test
