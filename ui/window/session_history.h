#pragma once
// The window's session history: every experiment and every lesson streams its session to a
// file of its own in the user's cache (not one file the next run overwrites), so the last
// runs can be reopened from File › Recent sessions after the next run, a crash or a restart.
// The history keeps at most a number of sessions and bytes, dropping the oldest first; the
// user can delete one or all of them.

#include <QDateTime>
#include <QString>
#include <vector>

namespace coreduel::ui {

class SessionHistory {
public:
    struct Limits {
        int sessions = 30;               ///< the newest this many are kept
        qint64 bytes = qint64(1) << 30;  ///< and at most this much in all (1 GiB)
    };
    /// `dir` is created when the first session is placed there.
    explicit SessionHistory(QString dir, Limits limits);
    SessionHistory(QString dir) : SessionHistory(std::move(dir), Limits{}) {}

    struct Entry {
        QString path;
        QString label;  ///< the workload or lesson it recorded, from its name
        QDateTime when;
        qint64 bytes = 0;
    };
    /// Newest first.
    [[nodiscard]] std::vector<Entry> entries() const;
    /// A new file name for a session about to be recorded ("2026-12-07T11-40-32-517-primes"),
    /// after dropping what the limits no longer allow (never `keep`, the one shown now).
    [[nodiscard]] QString place(const QString& label, const QString& keep = {});
    /// Deletes one session of the history (false: not one of its files, or it failed).
    bool remove(const QString& path);
    /// Deletes every session but `keep`; returns how many went.
    int clear(const QString& keep = {});
    [[nodiscard]] const QString& directory() const { return m_dir; }
    [[nodiscard]] const Limits& limits() const { return m_limits; }

private:
    void prune(const QString& keep);
    QString m_dir;
    Limits m_limits;
};

}  // namespace coreduel::ui
