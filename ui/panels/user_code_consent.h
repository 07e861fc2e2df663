#pragma once
// No surprise execution: an experiment whose workload runs the user's own code (a Python file,
// a native library) shows what will run — the file, its size and its SHA-256 — and asks once
// per file content before the window runs it. Opening a session or a result never gets here:
// it runs nothing.

#include <QString>
#include <set>

#include "core/run/experiment.h"

class QWidget;

namespace coreduel::ui {

class UserCodeConsent {
public:
    /// True when `e` runs no user code, or this content was agreed to before, or the user
    /// agrees now. Without a screen to ask on (offscreen: a script that named the file itself)
    /// it is allowed.
    bool allow(QWidget* parent, const Experiment& e);
    /// The same, first for a file that changed since the run that recorded it (its recorded
    /// SHA-256 differs): the user is asked whether to run it as it is now, and on yes the
    /// recorded hash and size are dropped from `e` (else the engine refuses the file).
    bool allowAsItIsNow(QWidget* parent, Experiment& e);
    /// "python: /home/me/guide.py, 2.1 KiB, SHA-256 5f2c…" for each file of user code in
    /// `e`, one per line; empty when it has none (or the file is missing: the run says so).
    static QString describe(const Experiment& e);

private:
    std::set<QString> m_agreed;  ///< the descriptions agreed to (path, size and hash)
};

}  // namespace coreduel::ui
