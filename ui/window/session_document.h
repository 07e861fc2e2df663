#pragma once
// The session behind what the window shows, and the files around it: where the next run
// records (a file of its own in the history, or the one per-process file), the session
// shown (opened, or read back after a lesson) and its part, and the slow file work — reading
// a session, a baseline's session, writing a trace, completing a lesson's session — on
// background jobs, so the GUI thread never waits on a disk. Views never read it while a run
// is live: a live run's charts take the engine's events; the document only knows where they
// are being recorded.

#include <QObject>
#include <QString>
#include <functional>
#include <memory>
#include <optional>

#include "core/session/session.h"
#include "ui/live/background_jobs.h"
#include "ui/plots/timeline_chart.h"  // TimelineChart::PreparedRun
#include "ui/window/session_history.h"

namespace coreduel::ui {

class SessionDocument : public QObject {
    Q_OBJECT
public:
    /// `recordPath`: where runs record without a history; `historyDir` empty: no history.
    /// `ownsRecordFile`: the per-process file goes with the document (scripted windows).
    SessionDocument(QString recordPath, const QString& historyDir, bool ownsRecordFile,
                    QObject* parent = nullptr);
    ~SessionDocument() override;

    /// The window's document: a scripted or test window (not `persistent`) records to a file
    /// of its own that goes with it; the real one keeps a history in the user's cache unless
    /// `sessionPath` names the one file to record to. `historyDir` overrides the history's place.
    static SessionDocument* forWindow(bool persistent, const QString& sessionPath,
                                      QString historyDir, QObject* parent);
    /// The user's cache (persistent) or a per-process temporary file.
    static QString defaultRecordPath(bool persistent);

    // -- recording --------------------------------------------------------------------------
    /// A new run (or lesson) is about to record: with a history, a file of its own.
    void startRecording(const QString& label);
    [[nodiscard]] const QString& recordPath() const { return m_recordPath; }
    /// A live run or part began recording: nothing is shown from a file until it is whole.
    void beginLive();
    /// The live run's session is whole (`ok`), or could not be recorded.
    void liveRecorded(bool ok);
    [[nodiscard]] bool recordingFailed() const { return m_recordFailed; }
    [[nodiscard]] SessionHistory* history() { return m_history ? &*m_history : nullptr; }

    // -- what is shown ----------------------------------------------------------------------
    /// The session file behind what is shown; empty when there is none.
    [[nodiscard]] const QString& file() const { return m_file; }
    /// The session shown, every part of it; null during a run or for a result file.
    [[nodiscard]] const std::shared_ptr<Session>& session() const { return m_session; }
    [[nodiscard]] int partCount() const;
    [[nodiscard]] int shownPart() const { return m_shownPart; }
    void setShownPart(int part) { m_shownPart = part; }
    /// `session` read from `file` is shown, part `part`.
    void adopt(std::shared_ptr<Session> session, int part, const QString& file);
    /// A result file is shown: no session behind it.
    void clear();
    /// When what is shown was measured (UTC, ISO 8601); empty: not recorded (a result file).
    [[nodiscard]] QString measuredAt() const;
    void setLiveStart(const QString& utc) { m_liveStart = utc; }
    /// The last run's session exists only as the cache the next run overwrites.
    [[nodiscard]] bool unsaved() const { return m_unsaved; }

    // -- files (the slow ones on jobs) --------------------------------------------------------
    using Done = std::function<void(const QString& error)>;
    using Read =
        std::function<void(std::shared_ptr<Session>, std::shared_ptr<TimelineChart::PreparedRun>,
                           const QString& error)>;
    /// Reads a session on a job; `read` gets it with its last part's newest run's lanes built.
    /// A newer read replaces this one.
    void read(const QString& path, Read read);
    /// Reads a session to be a baseline; a newer one replaces it.
    void readBaseline(const QString& path, Read read);
    /// Copies the shown session to `path` (through a temporary file); throws ExportError.
    void save(const QString& path);
    /// Writes the shown session as a Chrome trace on a job; throws ExportError at once when
    /// there is none.
    void exportTrace(const QString& path, Done done);
    /// Adds the IPC lab's points to the shown session file (throws on a write error).
    void appendIpcLab(const std::vector<IpcMeasurement>& points);
    /// A lesson ended: its explanation joins its session, which is read back when it has
    /// several parts (`read` gets null otherwise).
    void completeLesson(const std::string& outcome, bool readBack, Read read);
    /// A session is being read or written as a trace: runs wait for it (the next run
    /// rewrites the file).
    [[nodiscard]] bool busy() const;

private:
    QString m_recordPath;
    bool m_ownsRecordFile = false;
    std::optional<SessionHistory> m_history;
    QString m_file;
    std::shared_ptr<Session> m_session;
    int m_shownPart = 0;
    QString m_liveStart;
    bool m_unsaved = false;
    bool m_recordFailed = false;
    BackgroundJobs m_jobs;
    quint64 m_openJob = 0;
    quint64 m_baselineJob = 0;
    quint64 m_traceJob = 0;
};

}  // namespace coreduel::ui
