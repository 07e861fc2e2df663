#include "ui/window/session_history.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <algorithm>

namespace coreduel::ui {

namespace {

const QString kSuffix = QStringLiteral(".coreduel");
// Milliseconds too: names sort in the order the sessions were placed.
const QString kStampFormat = QStringLiteral("yyyy-MM-ddTHH-mm-ss-zzz");

/// A label as a file-name part: letters, digits, '-' and '_' only, at most 40 characters.
QString fileSafe(const QString& label) {
    QString out = label;
    out.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9_-]+")), QStringLiteral("-"));
    return out.left(40);
}

}  // namespace

SessionHistory::SessionHistory(QString dir, Limits limits)
    : m_dir(std::move(dir)), m_limits(limits) {}

std::vector<SessionHistory::Entry> SessionHistory::entries() const {
    std::vector<Entry> out;
    const QDir dir(m_dir);
    for (const QFileInfo& f :
         dir.entryInfoList({QStringLiteral("*") + kSuffix}, QDir::Files, QDir::Name)) {
        // "2026-12-07T11-40-32-primes.coreduel": the time, then the label.
        const QString base = f.completeBaseName();
        Entry e;
        e.path = f.absoluteFilePath();
        e.when = QDateTime::fromString(base.left(kStampFormat.size()), kStampFormat);
        if (!e.when.isValid()) continue;  // not one of ours
        e.label = base.mid(kStampFormat.size() + 1);
        e.bytes = f.size();
        out.push_back(std::move(e));
    }
    std::reverse(out.begin(), out.end());  // names sort by time: newest first
    return out;
}

QString SessionHistory::place(const QString& label, const QString& keep) {
    QDir().mkpath(m_dir);
    prune(keep);
    // Two places in one millisecond (a script): the later one a millisecond on, after the
    // newest there is, so that the names keep their order.
    QDateTime when = QDateTime::currentDateTime();
    const auto existing = entries();
    if (!existing.empty() && existing.front().when >= when)
        when = existing.front().when.addMSecs(1);  // after the newest, even if one was dropped
    QString path;
    do {
        path = QDir(m_dir).filePath(when.toString(kStampFormat) + QLatin1Char('-') +
                                    fileSafe(label) + kSuffix);
        when = when.addMSecs(1);
    } while (QFileInfo::exists(path));
    return path;
}

void SessionHistory::prune(const QString& keep) {
    // Room for the one about to be recorded: one fewer than the limit is kept.
    const std::vector<Entry> all = entries();
    int kept = 0;
    qint64 bytes = 0;
    for (const Entry& e : all) {
        const bool isKeep = !keep.isEmpty() && QFileInfo(e.path) == QFileInfo(keep);
        if (isKeep || (kept + 1 < m_limits.sessions && bytes + e.bytes <= m_limits.bytes)) {
            ++kept;
            bytes += e.bytes;
            continue;
        }
        QFile::remove(e.path);
    }
}

bool SessionHistory::remove(const QString& path) {
    for (const Entry& e : entries())
        if (QFileInfo(e.path) == QFileInfo(path)) return QFile::remove(e.path);
    return false;
}

int SessionHistory::clear(const QString& keep) {
    int n = 0;
    for (const Entry& e : entries()) {
        if (!keep.isEmpty() && QFileInfo(e.path) == QFileInfo(keep)) continue;
        n += QFile::remove(e.path) ? 1 : 0;
    }
    return n;
}

}  // namespace coreduel::ui
