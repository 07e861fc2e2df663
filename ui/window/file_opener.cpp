// FileOpener: experiments, results, sessions and baselines into the window.
#include "ui/window/file_opener.h"

#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QMimeData>

#include "core/report/json_report.h"
#include "core/report/schema.h"
#include "core/report/table_report.h"
#include "ui/export/dialog_memory.h"
#include "ui/live/run_views.h"
#include "ui/panels/experiment_panel.h"
#include "ui/panels/lessons_panel.h"
#include "ui/plots/chart.h"
#include "ui/plots/ipc_chart.h"
#include "ui/window/lesson_controller.h"
#include "ui/window/run_controller.h"
#include "ui/window/session_document.h"
#include "ui/window/session_text.h"

namespace coreduel::ui {
namespace {

/// A result file of either version: a /1 file must open as a result too, not as the
/// experiment it carries.
bool looksLikeResult(const nlohmann::json& j) {
    if (!j.is_object() || !j.contains("schema") || !j["schema"].is_string()) return false;
    const std::string schema = j["schema"].get<std::string>();
    return schema == kResultSchema || schema == kResultSchemaV1;
}

}  // namespace

FileOpener::FileOpener(Parts parts, QObject* parent) : QObject(parent), m_parts(parts) {}

void FileOpener::open(const QString& path, Done done) {
    if (looksLikeSession(path.toStdString())) {
        // A million task events take a good part of a second to read: never on this thread.
        // The charts keep what they show until the session is in; a newer open replaces this.
        m_parts.panel.setStatus(tr("Reading session %1\u2026").arg(QFileInfo(path).fileName()));
        m_parts.document.read(path, [this, path, done = std::move(done)](
                                        std::shared_ptr<Session> session,
                                        std::shared_ptr<TimelineChart::PreparedRun> prepared,
                                        const QString& error) {
            QString why = error;
            if (why.isEmpty() && m_parts.runs.chartsLive())
                why = tr("%1: a run started while it was being read; open it again after the run")
                          .arg(QFileInfo(path).fileName());
            if (why.isEmpty()) {
                try {
                    showSession(path, std::move(session), std::move(prepared));
                } catch (const std::exception& e) {
                    why = QString::fromUtf8(e.what());
                }
            }
            if (!why.isEmpty()) m_parts.panel.setStatus(tr("Cannot open: %1").arg(why));
            if (done) done(why);
        });
        return;
    }
    const nlohmann::json j = readJsonFile(path.toStdString());
    if (looksLikeResult(j)) {
        openResult(path, resultFromJson(j, path.toStdString()));
    } else {
        m_parts.panel.setExperiment(loadExperimentFile(path.toStdString()));
        m_parts.panel.setStatus(
            tr("Loaded experiment %1. Press Run.").arg(QFileInfo(path).fileName()));
    }
    if (done) done(QString());
}

void FileOpener::openResult(const QString& path, const ExperimentResult& r) {
    for (Chart* c : m_parts.views.charts()) {
        if (c != m_parts.views.ipc()) c->clearData();
    }
    m_parts.views.showResult(r);
    // A result file keeps the numbers, not the samples or task events: the views it cannot
    // fill say so instead of drawing empty axes (and a legend of models that did not run).
    for (Chart* c : m_parts.views.charts()) {
        if (c != m_parts.views.ipc() && !c->hasData())
            c->setAbsentNote(
                tr("Not stored in a result file: open the run's session "
                   "(.coreduel) for this view."));
    }
    m_parts.panel.setExperiment(r.experiment);
    // The bar spoke of the last run ("run 21/21"), not of what is shown now.
    m_parts.panel.setProgressText(0, tr("no run — showing %1").arg(QFileInfo(path).fileName()));
    m_parts.document.clear();
    emit partsChanged();
    m_parts.panel.setStatus(tr("Loaded result %1 (%2 runs). Live views (cores, timeline) are "
                               "not stored in result files: open a session (.coreduel) for them.")
                                .arg(QFileInfo(path).fileName())
                                .arg(r.runs.size()));
}

void FileOpener::showSession(const QString& path, std::shared_ptr<Session> session,
                             std::shared_ptr<TimelineChart::PreparedRun> prepared) {
    for (Chart* c : m_parts.views.charts()) {
        c->clearData();
        c->setAbsentNote({});
    }
    for (const IpcMeasurement& m : session->ipcLab) m_parts.views.ipc()->addMeasurement(m);
    // As the window was at the end of the run: the last part on the charts (a lesson ends on
    // it), the others a pick away. The part is replayed into the views, a live run's road.
    const int shown = static_cast<int>(session->parts.size()) - 1;
    m_parts.document.adopt(session, shown, path);
    m_parts.views.replay(session->parts.at(static_cast<std::size_t>(shown)), std::move(prepared));
    emit partsChanged();
    if (session->parts.size() == 1)
        m_parts.panel.setExperiment(session->parts[0].result.experiment);
    if (session->lesson) restoreLesson(*session);
    m_parts.panel.setProgressText(0, tr("no run — showing %1").arg(QFileInfo(path).fileName()));
    const QString status = openedSessionText(*session, QFileInfo(path).fileName(), shown);
    // What the run concluded, as at its end: the verdict of the part shown.
    const QString verdict =
        QString::fromStdString(
            formatVerdict(session->parts[static_cast<std::size_t>(shown)].result))
            .trimmed();
    m_parts.panel.setStatus(verdict.isEmpty() ? status : status + QStringLiteral("\n") + verdict);
    if (session->lesson) emit message(status);  // the Lessons tab is in front
}

void FileOpener::restoreLesson(const Session& session) {
    // The Lessons panel as the lesson left it: the lesson, its explanation, its parts'
    // results (for the handout).
    LessonsPanel& lessons = m_parts.lessons;
    if (!lessons.selectLesson(QString::fromStdString(session.lesson->name))) return;
    lessons.setQuick(session.lesson->quick);  // Run lesson measures it the same way
    std::vector<ExperimentResult> parts;
    for (const SessionPart& p : session.parts) parts.push_back(p.result);
    m_parts.lesson.adoptEnded(
        LessonRun::ended(*lessons.current(), session.lesson->quick, std::move(parts)));
    if (!session.lessonOutcome.empty())
        lessons.showOutcomeText(QString::fromStdString(session.lessonOutcome));
    emit showChartWanted(QStringLiteral("lessons"));  // where the lesson ended
}

void FileOpener::loadBaseline(const QString& path, Done done) {
    const QString name = QFileInfo(path).fileName();
    if (!looksLikeSession(path.toStdString())) {
        setBaseline(loadResultFile(path.toStdString()), {}, name);
        if (done) done(QString());
        return;
    }
    emit message(tr("Reading baseline %1\u2026").arg(name));
    m_parts.document.readBaseline(
        path, [this, name, done = std::move(done)](std::shared_ptr<Session> loaded,
                                                   std::shared_ptr<TimelineChart::PreparedRun>,
                                                   const QString& error) {
            if (error.isEmpty()) {
                // A lesson's session: the part the window shows, where the window shows one
                // of the same lesson; else its last part.
                Session& s = *loaded;
                std::size_t part = s.parts.size() - 1;
                const std::shared_ptr<Session>& shown = m_parts.document.session();
                if (shown && shown->lesson && s.lesson && shown->lesson->name == s.lesson->name)
                    part = std::min(part, static_cast<std::size_t>(m_parts.document.shownPart()));
                setBaseline(std::move(s.parts[part].result), s.ipcLab,
                            s.parts.size() > 1 ? tr("%1 (part %2)").arg(name).arg(part + 1) : name);
            }
            if (done) done(error);
        });
}

void FileOpener::setBaseline(std::optional<ExperimentResult> baseline,
                             const std::vector<IpcMeasurement>& ipcLab, const QString& name) {
    m_parts.views.setBaseline(std::move(baseline), ipcLab, name);
    emit message(m_parts.views.hasBaseline()
                     ? tr("Baseline %1 loaded: faded curves on the speedup and IPC charts, "
                          "outlines on the bars, and the \"vs baseline\" column of the table.")
                           .arg(name)
                     : tr("Baseline cleared."));
}

FileOpener::Done FileOpener::errorReporter(const QString& what) {
    return [this, what](const QString& error) {
        if (!error.isEmpty()) emit failed(what.isEmpty() ? tr("Cannot open") : what, error);
    };
}

void FileOpener::openWithDialog() {
    askAndOpen(tr("Open experiment, result or session"),
               tr("CoreDuel files (*.json *.coreduel);;Sessions (*.coreduel);;All files (*)"),
               tr("Cannot open"), [this](const QString& path, Done done) { open(path, done); });
}

void FileOpener::loadBaselineWithDialog() {
    askAndOpen(tr("Load baseline result or session"),
               tr("CoreDuel results and sessions (*.json *.coreduel);;All files (*)"),
               tr("Cannot load baseline"),
               [this](const QString& path, Done done) { loadBaseline(path, done); });
}

void FileOpener::askAndOpen(const QString& title, const QString& filter, const QString& what,
                            const std::function<void(const QString&, Done)>& read) {
    const QString path = QFileDialog::getOpenFileName(
        &m_parts.window, title, m_parts.dialogs.path(QStringLiteral("open")), filter);
    if (path.isEmpty()) return;
    m_parts.dialogs.remember(QStringLiteral("open"), path);
    try {
        read(path, errorReporter(what));
    } catch (const std::exception& e) {
        emit failed(what, QString::fromUtf8(e.what()));
    }
}

void FileOpener::acceptDrag(QDragEnterEvent& event) const {
    for (const QUrl& url : event.mimeData()->urls()) {
        const QString path = url.toLocalFile();
        if (url.isLocalFile() &&
            (path.endsWith(QLatin1String(".json")) || path.endsWith(QLatin1String(".coreduel")))) {
            event.acceptProposedAction();
            return;
        }
    }
}

void FileOpener::openDropped(const QDropEvent& event) {
    for (const QUrl& url : event.mimeData()->urls()) {
        if (!url.isLocalFile()) continue;
        try {
            open(url.toLocalFile(), errorReporter());
        } catch (const std::exception& e) {
            emit failed(tr("Cannot open"), QString::fromUtf8(e.what()));
        }
        return;
    }
}

}  // namespace coreduel::ui
