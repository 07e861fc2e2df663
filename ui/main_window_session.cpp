// MainWindow's sessions: every experiment streams to a session file as it runs (core/session);
// File › Save session keeps it, opening one restores every chart as it was at the end of the
// run (timeline and its run picker, per-core strip, GIL intervals, IPC lab, table, speedup),
// and Export › Trace writes it for Perfetto, chrome://tracing or speedscope.
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QStandardPaths>
#include <QStatusBar>
#include <algorithm>
#include <fstream>
#include <limits>

#include "core/session/chrome_trace.h"
#include "core/session/session.h"
#include "ui/experiment_panel.h"
#include "ui/exporter.h"
#include "ui/lessons_panel.h"
#include "ui/main_window.h"
#include "ui/model_names.h"
#include "ui/plots/chart.h"
#include "ui/plots/core_heat_chart.h"
#include "ui/plots/ipc_chart.h"
#include "ui/plots/timeline_chart.h"
#include "ui/results_model.h"
#include "ui/run_views.h"

namespace coreduel::ui {

QString MainWindow::defaultRecordPath(bool persistent) {
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

bool MainWindow::isOpening() const {
    return (m_openJob != 0 && m_sessionJobs.running(m_openJob)) ||
           (m_baselineJob != 0 && m_sessionJobs.running(m_baselineJob)) ||
           (m_traceJob != 0 && m_sessionJobs.running(m_traceJob));
}

void MainWindow::openSession(const QString& path, OpenDone done) {
    // A million task events take a good part of a second to read: never on this thread. The
    // charts keep what they show until the session is in; a newer open replaces this one.
    if (m_openJob != 0) m_sessionJobs.abandon(m_openJob);
    const std::string file = path.toStdString();
    auto loaded = std::make_shared<std::shared_ptr<Session>>();
    auto prepared = std::make_shared<std::shared_ptr<TimelineChart::PreparedRun>>();
    m_panel->setStatus(tr("Reading session %1\u2026").arg(QFileInfo(path).fileName()));
    m_openJob = m_sessionJobs.start(
        [file, loaded, prepared](JobContext&) {
            *loaded = std::make_shared<Session>(loadSession(file));
            // The run the timeline will show (the last part's newest): its lanes are built
            // here too, so the GUI thread only moves them in.
            SessionPart& last = (*loaded)->parts.back();
            if (!last.runs.empty()) {
                SessionRun& run = last.runs.rbegin()->second;
                *prepared = TimelineChart::prepareRun(run.config, run.events, run.gil);
            }
        },
        [this, path, loaded, prepared, done = std::move(done)](const QString& error) {
            m_openJob = 0;
            QString why = error;
            if (why.isEmpty() && chartsLive())
                why = tr("%1: a run started while it was being read; open it again after the run")
                          .arg(QFileInfo(path).fileName());
            if (why.isEmpty()) {
                try {
                    showOpenedSession(path, *loaded, *prepared);
                } catch (const std::exception& e) {
                    why = QString::fromUtf8(e.what());
                }
            }
            if (!why.isEmpty()) m_panel->setStatus(tr("Cannot open: %1").arg(why));
            if (done) done(why);
        });
}

void MainWindow::showOpenedSession(const QString& path, std::shared_ptr<Session> session,
                                   std::shared_ptr<TimelineChart::PreparedRun> prepared) {
    for (Chart* c : charts()) c->clearData();
    for (const IpcMeasurement& m : session->ipcLab) m_views->ipc()->addMeasurement(m);
    // As the window was at the end of the run: the last part on the charts (a lesson ends on
    // it), the others a pick away.
    const int shown = static_cast<int>(session->parts.size()) - 1;
    adoptSession(session, shown, std::move(prepared));
    if (session->parts.size() == 1) m_panel->setExperiment(session->parts[0].result.experiment);
    m_sessionFile = path;
    if (session->lesson) {
        // The Lessons panel as the lesson left it: the lesson, its explanation, its parts'
        // results (for the handout).
        if (m_lessons->selectLesson(QString::fromStdString(session->lesson->name))) {
            m_lessons->setQuick(session->lesson->quick);  // Run lesson measures it the same way
            std::vector<ExperimentResult> parts;
            for (const SessionPart& p : session->parts) parts.push_back(p.result);
            m_lessonRun =
                LessonRun::ended(*m_lessons->current(), session->lesson->quick, std::move(parts));
            if (!session->lessonOutcome.empty())
                m_lessons->showOutcomeText(QString::fromStdString(session->lessonOutcome));
            showChart(QStringLiteral("lessons"));  // where the lesson ended
        }
    }
    const SessionPart& s = session->parts[static_cast<std::size_t>(shown)];
    QString status;
    if (session->parts.size() > 1 || session->lesson) {
        status = tr("Opened session %1: %2, %3 of %4 parts (%5 task events); part %6 is shown, "
                    "the others are in the part picker.")
                     .arg(QFileInfo(path).fileName(),
                          session->lesson ? tr("lesson \u201c%1\u201d")
                                                .arg(QString::fromStdString(session->lesson->title))
                                          : tr("a session"))
                     .arg(session->parts.size())
                     .arg(session->plannedParts)
                     .arg(session->taskEvents)
                     .arg(shown + 1);
    } else {
        status = tr("Opened session %1: %2 runs, %3 task events, %4 per-core samples%5.")
                     .arg(QFileInfo(path).fileName())
                     .arg(s.result.runs.size())
                     .arg(session->taskEvents)
                     .arg(s.samples.size())
                     .arg(session->ipcLab.empty()
                              ? QString()
                              : tr(", %1 IPC-lab points").arg(session->ipcLab.size()));
    }
    // Damage (flipped bytes inside the file) and an interruption (a cut at its end) are told
    // apart, as the reader told them: a damaged file's missing parts were not "stopped".
    if (session->damaged()) {
        const auto stretches = static_cast<int>(session->damage.size());
        status += QStringLiteral(" ") +
                  (stretches == 1 ? tr("The session file is damaged: what was in the damaged "
                                       "stretch is lost, every intact record is shown.")
                                  : tr("The session file is damaged: what was in its %1 damaged "
                                       "stretches is lost, every intact record is shown.")
                                        .arg(stretches));
        for (const SessionDamage& d : session->damage)
            status += QStringLiteral(" ") + QString::fromStdString(d.text) + QStringLiteral(".");
    } else if (!session->complete) {
        status += QStringLiteral(" ") +
                  (session->parts.size() < session->plannedParts || s.complete
                       ? tr("The lesson did not finish (stopped or killed): the parts that ran "
                            "are shown.")
                       : tr("The experiment did not finish (stopped or killed): the runs that "
                            "finished are shown."));
    }
    if (!session->truncation.empty())
        status += QStringLiteral(" ") + QString::fromStdString(session->truncation);
    m_panel->setStatus(status);
    if (session->lesson) statusBar()->showMessage(status);  // the Lessons tab is in front
}

void MainWindow::adoptSession(std::shared_ptr<Session> session, int part,
                              std::shared_ptr<TimelineChart::PreparedRun> prepared) {
    m_session = std::move(session);
    m_shownPart = part;
    // The part replayed into the views, the road a live run's events take.
    m_views->replay(m_session->parts.at(static_cast<std::size_t>(part)), std::move(prepared));
    refreshPartsBar();
}

void MainWindow::saveSession(const QString& path) {
    if (m_sessionFile.isEmpty())
        throw ExportError(
            tr("No session yet: run an experiment or open a session first.").toStdString());
    if (QFileInfo(path).absoluteFilePath() == QFileInfo(m_sessionFile).absoluteFilePath()) return;
    // Copied next to the target and renamed over it: a failed copy leaves the old file.
    const QString tmp = path + QStringLiteral(".part");
    QFile::remove(tmp);
    if (!QFile::copy(m_sessionFile, tmp))
        throw ExportError(tr("cannot write %1").arg(tmp).toStdString());
    if (std::rename(tmp.toLocal8Bit().constData(), path.toLocal8Bit().constData()) != 0) {
        QFile::remove(tmp);
        throw ExportError(tr("cannot write %1").arg(path).toStdString());
    }
    m_unsavedRun = false;
}

void MainWindow::exportTrace(const QString& path, OpenDone done) {
    if (m_sessionFile.isEmpty())
        throw ExportError(
            tr("No session yet: run an experiment or open a session first.").toStdString());
    // Read and written off this thread: seconds for a million tasks. Runs wait for it (the
    // next run would rewrite the session file it reads).
    if (m_traceJob != 0) m_sessionJobs.abandon(m_traceJob);
    const std::string file = m_sessionFile.toStdString();
    const std::string target = path.toStdString();
    m_traceJob = m_sessionJobs.start(
        [file, target](JobContext&) {
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

void MainWindow::recordIpcLabInSession() {
    if (m_sessionFile.isEmpty() || m_views->ipc()->measurements().empty()) return;
    nlohmann::json points = nlohmann::json::array();
    for (const IpcMeasurement& m : m_views->ipc()->measurements()) points.push_back(toJson(m));
    try {
        appendSessionRecord(m_sessionFile.toStdString(), RecordType::IpcLab,
                            nlohmann::json{{"points", points}}.dump());
    } catch (const std::exception& e) {
        statusBar()->showMessage(tr("The IPC lab's points could not be added to the session: %1")
                                     .arg(QString::fromUtf8(e.what())));
    }
}

void MainWindow::onSaveSession() {
    saveTo(tr("Save session"), QStringLiteral("session.coreduel"),
           tr("CoreDuel sessions (*.coreduel)"), [this](const QString& p) { saveSession(p); });
}

void MainWindow::onExportTrace() {
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export trace"),
        m_dialogs.path(QStringLiteral("save"), QStringLiteral("trace.json")),
        tr("Chrome trace (*.json)"));
    if (path.isEmpty()) return;
    m_dialogs.remember(QStringLiteral("save"), path);
    try {
        statusBar()->showMessage(tr("Writing the trace %1\u2026").arg(path));
        exportTrace(path, [this, path](const QString& error) {
            if (error.isEmpty())
                statusBar()->showMessage(tr("Written: %1").arg(path));
            else
                reportError(tr("Export trace failed"), error);
        });
    } catch (const std::exception& e) {
        reportError(tr("Export trace failed"), QString::fromUtf8(e.what()));
    }
}

}  // namespace coreduel::ui
