// SessionDocument: where runs record, the session shown, and the file work off the GUI thread.
#include "ui/window/session_document.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <cstdio>
#include <fstream>

#include "core/report/schema.h"
#include "core/session/chrome_trace.h"
#include "ui/export/exporter.h"

namespace coreduel::ui {

SessionDocument::SessionDocument(QString recordPath, const QString& historyDir, bool ownsRecordFile,
                                 QObject* parent)
    : QObject(parent), m_recordPath(std::move(recordPath)), m_ownsRecordFile(ownsRecordFile) {
    if (!historyDir.isEmpty()) m_history.emplace(historyDir);
}

SessionDocument::~SessionDocument() {
    // A scripted or test window's per-process session file goes with it (the user's cache file
    // stays: it is what File › Open finds after a crash). An engine thread still writing to it
    // keeps writing to the unlinked file until it ends.
    if (m_ownsRecordFile) QFile::remove(m_recordPath);
}

SessionDocument* SessionDocument::forWindow(bool persistent, const QString& sessionPath,
                                            QString historyDir, QObject* parent) {
    if (historyDir.isEmpty() && persistent && sessionPath.isEmpty())
        historyDir = QStandardPaths::writableLocation(QStandardPaths::CacheLocation) +
                     QStringLiteral("/sessions");
    const bool ownsRecordFile = !persistent && sessionPath.isEmpty();
    return new SessionDocument(sessionPath.isEmpty() ? defaultRecordPath(persistent) : sessionPath,
                               historyDir, ownsRecordFile, parent);
}

QString SessionDocument::defaultRecordPath(bool persistent) {
    // The user's cache for the real window; a per-process temporary file for scripted and test
    // windows, so they never overwrite the user's last session.
    if (persistent) {
        const QString dir = QStandardPaths::writableLocation(QStandardPaths::CacheLocation);
        if (!dir.isEmpty() && QDir().mkpath(dir))
            return dir + QStringLiteral("/last-session.coreduel");
    }
    return QDir::temp().filePath(
        QStringLiteral("coreduel-session-%1.coreduel").arg(QCoreApplication::applicationPid()));
}

void SessionDocument::startRecording(const QString& label) {
    if (m_history) m_recordPath = m_history->place(label, m_file);
}

void SessionDocument::beginLive() {
    m_file.clear();
    m_recordFailed = false;
    m_session.reset();  // the charts are live now; a lesson's parts are read back at its end
}

void SessionDocument::liveRecorded(bool ok) {
    if (!ok) {
        m_recordFailed = true;
        return;
    }
    if (m_recordFailed) return;  // an earlier record of this run failed: the file is not whole
    m_file = m_recordPath;       // whole by now (see the bridge)
    m_unsaved = !m_history;      // the history keeps it
}

int SessionDocument::partCount() const {
    return m_session ? static_cast<int>(m_session->parts.size()) : 0;
}

void SessionDocument::adopt(std::shared_ptr<Session> session, int part, const QString& file) {
    m_session = std::move(session);
    m_shownPart = part;
    if (!file.isEmpty()) m_file = file;
}

void SessionDocument::clear() {
    m_file.clear();
    m_session.reset();
    m_liveStart.clear();  // a result file does not say when it was measured
}

QString SessionDocument::measuredAt() const {
    // A session says when it was recorded; a live run when it started; a result file nothing.
    return m_session ? QString::fromStdString(m_session->manifest.value("created", std::string()))
                     : m_liveStart;
}

bool SessionDocument::busy() const {
    return (m_openJob != 0 && m_jobs.running(m_openJob)) ||
           (m_baselineJob != 0 && m_jobs.running(m_baselineJob)) ||
           (m_traceJob != 0 && m_jobs.running(m_traceJob));
}

namespace {

/// Reads `file` on a job's thread: the session and the lanes of its last part's newest run,
/// so the GUI thread only moves them in.
BackgroundJobs::Work readWork(const std::string& file, bool prepare,
                              std::shared_ptr<std::shared_ptr<Session>> loaded,
                              std::shared_ptr<std::shared_ptr<TimelineChart::PreparedRun>> lanes) {
    return [file, prepare, loaded, lanes](JobContext&) {
        *loaded = std::make_shared<Session>(loadSession(file));
        if (!prepare) return;
        SessionPart& last = (*loaded)->parts.back();
        if (!last.runs.empty()) {
            SessionRun& run = last.runs.rbegin()->second;
            *lanes = TimelineChart::prepareRun(run.config, run.events, run.gil);
        }
    };
}

}  // namespace

void SessionDocument::read(const QString& path, Read read) {
    // A million task events take a good part of a second to read: never on the GUI thread.
    if (m_openJob != 0) m_jobs.abandon(m_openJob);
    auto loaded = std::make_shared<std::shared_ptr<Session>>();
    auto lanes = std::make_shared<std::shared_ptr<TimelineChart::PreparedRun>>();
    m_openJob = m_jobs.start(readWork(path.toStdString(), true, loaded, lanes),
                             [this, loaded, lanes, read = std::move(read)](const QString& error) {
                                 m_openJob = 0;
                                 read(*loaded, *lanes, error);
                             });
}

void SessionDocument::readBaseline(const QString& path, Read read) {
    if (m_baselineJob != 0) m_jobs.abandon(m_baselineJob);
    auto loaded = std::make_shared<std::shared_ptr<Session>>();
    m_baselineJob = m_jobs.start(readWork(path.toStdString(), false, loaded, {}),
                                 [this, loaded, read = std::move(read)](const QString& error) {
                                     m_baselineJob = 0;
                                     read(*loaded, nullptr, error);
                                 });
}

void SessionDocument::save(const QString& path) {
    if (m_file.isEmpty())
        throw ExportError(
            tr("No session yet: run an experiment or open a session first.").toStdString());
    if (QFileInfo(path).absoluteFilePath() == QFileInfo(m_file).absoluteFilePath()) return;
    // Copied next to the target and renamed over it: a failed copy leaves the old file.
    const QString tmp = path + QStringLiteral(".part");
    QFile::remove(tmp);
    if (!QFile::copy(m_file, tmp)) throw ExportError(tr("cannot write %1").arg(tmp).toStdString());
    if (std::rename(tmp.toLocal8Bit().constData(), path.toLocal8Bit().constData()) != 0) {
        QFile::remove(tmp);
        throw ExportError(tr("cannot write %1").arg(path).toStdString());
    }
    m_unsaved = false;
}

void SessionDocument::exportTrace(const QString& path, Done done) {
    if (m_file.isEmpty())
        throw ExportError(
            tr("No session yet: run an experiment or open a session first.").toStdString());
    // Seconds for a million tasks. Runs wait for it (the next run would rewrite the file).
    if (m_traceJob != 0) m_jobs.abandon(m_traceJob);
    m_traceJob = m_jobs.start(
        [file = m_file.toStdString(), target = path.toStdString()](JobContext&) {
            const Session s = loadSession(file);
            const std::string tmp = target + ".part";
            {
                std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
                writeChromeTrace(s, out);
                out.close();
                if (!out) {
                    std::remove(tmp.c_str());
                    throw ExportError("cannot write " + tmp);
                }
            }
            if (std::rename(tmp.c_str(), target.c_str()) != 0) {
                std::remove(tmp.c_str());
                throw ExportError("cannot write " + target);
            }
        },
        [this, done = std::move(done)](const QString& error) {
            m_traceJob = 0;
            if (done) done(error);
        });
}

void SessionDocument::appendIpcLab(const std::vector<IpcMeasurement>& points) {
    if (m_file.isEmpty() || points.empty()) return;
    nlohmann::json all = nlohmann::json::array();
    for (const IpcMeasurement& m : points) all.push_back(toJson(m));
    appendSessionRecord(m_file.toStdString(), RecordType::IpcLab,
                        nlohmann::json{{"points", all}}.dump());
}

void SessionDocument::completeLesson(const std::string& outcome, bool readBack, Read read) {
    if (m_file.isEmpty()) {
        read(nullptr, nullptr, QString());
        return;
    }
    // The explanation joins the file, and the file is read back: both off the GUI thread.
    auto loaded = std::make_shared<std::shared_ptr<Session>>();
    m_jobs.start(
        [path = m_file.toStdString(), outcome, loaded, readBack](JobContext&) {
            if (!outcome.empty()) appendLessonOutcome(path, outcome);
            if (readBack) *loaded = std::make_shared<Session>(loadSession(path));
        },
        [loaded, read = std::move(read)](const QString& error) { read(*loaded, nullptr, error); });
}

}  // namespace coreduel::ui
