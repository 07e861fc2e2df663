// LessonController: a lesson run part by part in the window, and presentation mode.
#include "ui/window/lesson_controller.h"

#include <QGuiApplication>
#include <QScreen>
#include <QTimer>
#include <QWidget>

#include "core/lessons/lesson.h"
#include "core/report/table_report.h"
#include "ui/live/run_views.h"
#include "ui/panels/experiment_panel.h"
#include "ui/panels/lessons_panel.h"
#include "ui/panels/presentation_window.h"
#include "ui/panels/user_code_consent.h"
#include "ui/window/run_controller.h"
#include "ui/window/session_document.h"

namespace coreduel::ui {

LessonController::LessonController(Parts parts, QObject* parent) : QObject(parent), m_parts(parts) {
    RunController& runs = m_parts.runs;
    connect(&runs, &RunController::partEnded, this, &LessonController::partDone);
    connect(&runs, &RunController::partFailed, this, [this](const QString& m) { fail(m); });
    connect(&runs, &RunController::stopRequested, this, [this] {
        if (m_pythonJob != 0) m_pythonJobs.cancel(m_pythonJob);  // the profiler kills its tree
    });
}

bool LessonController::mayRun(const Lesson& lesson) {
    LessonsPanel& lessons = m_parts.lessons;
    if (m_parts.document.busy()) {
        lessons.showFailure(
            tr("a session file is being read or exported; run the lesson when it is done."));
        return false;
    }
    for (const LessonPart& part : lesson.parts) {
        if (part.experiment.startMethod == StartMethod::Fork) {
            lessons.showFailure(
                tr("this lesson forks the engine process, which the desktop app never does (it "
                   "is multithreaded, and fork without exec is unsafe there). Run it in a "
                   "terminal: coreduel-cli lesson %1")
                    .arg(QString::fromStdString(lesson.name).section(QLatin1Char('-'), 1)));
            return false;
        }
    }
    // A lesson written around the user's own code asks once, as Run does.
    for (std::size_t i = 0; i < lesson.parts.size(); ++i) {
        if (!lesson.parts[i].python.empty()) continue;  // the lessons' own scripts
        Experiment part;
        try {
            part = lessonExperiment(lesson, lessons.quick(), i);
        } catch (const std::exception&) {
            continue;  // the part says what is wrong with it when it runs
        }
        if (!m_parts.consent.allow(&m_parts.window, part)) {
            lessons.showFailure(tr("the lesson's code was not confirmed, so it did not run."));
            return false;
        }
    }
    return true;
}

bool LessonController::run() {
    const Lesson* lesson = m_parts.lessons.current();
    if (lesson == nullptr || m_parts.runs.activity() != RunController::Activity::Idle) return false;
    if (!mayRun(*lesson)) return false;
    m_lessonRun.emplace(*lesson, m_parts.lessons.quick(), !pythonExecutable().empty());
    m_parts.document.startRecording(QString::fromStdString(lesson->name));  // one for all parts
    m_parts.runs.setLesson(true);
    try {
        m_userExperiment = m_parts.panel.experiment();
    } catch (const std::exception&) {
        m_userExperiment.reset();  // an invalid panel: nothing worth keeping
    }
    startPart();
    return m_parts.runs.activity() == RunController::Activity::Lesson;
}

void LessonController::partDone(const ExperimentResult& r) {
    m_lessonRun->partDone(r);
    if (m_lessonRun->next()) {
        // The next part, once this event is handled (it clears the charts).
        QTimer::singleShot(0, this, &LessonController::startPart);
        return;
    }
    m_parts.runs.setLesson(false);
    // On a small machine the window's own drawing competes with the workers; say so next to
    // numbers that may be quoted.
    QString note;
    const double gui = m_parts.runs.guiCpuPercent();
    if (gui > 5 && m_parts.environment.logicalCpus <= 4) {
        note = tr("Note: this window used %1 % of one core while the lesson ran, on a %2-CPU "
                  "machine; runs with one worker per CPU lost that much. coreduel-cli lesson "
                  "measures without a window.")
                   .arg(gui, 0, 'f', 0)
                   .arg(m_parts.environment.logicalCpus);
    }
    m_parts.lessons.showOutcome(*m_lessonRun, note);
    restoreUserExperiment();
    // The presentation explains once every part can be shown (readBackSession).
    readBackSession(r.allOk() && !r.cancelled);  // then lessonDone
}

void LessonController::fail(const QString& message, bool announce) {
    m_parts.runs.setLesson(false);
    if (m_lessonRun) m_lessonRun->fail(message.toStdString());
    m_parts.lessons.showFailure(message);
    restoreUserExperiment();
    // The parts that ran stay reachable; lessonDone(false) follows when announced.
    readBackSession(false, announce);
}

void LessonController::restoreUserExperiment() {
    if (!m_userExperiment) return;
    ExperimentPanel& panel = m_parts.panel;
    panel.setExperiment(*m_userExperiment);
    m_userExperiment.reset();
    const QString note =
        tr("The lesson ran its own experiments; your experiment is back in the panel.");
    panel.setStatus(panel.status().isEmpty() ? note : panel.status() + QStringLiteral("\n") + note);
}

void LessonController::startPart() {
    const auto step = m_lessonRun ? m_lessonRun->next() : std::nullopt;
    if (!step) {
        m_parts.runs.setLesson(false);
        restoreUserExperiment();
        return;
    }
    const Lesson& lesson = m_lessonRun->lesson();
    if (step->kind != LessonRun::Kind::Experiment) {
        startPythonPart(*step);
        return;
    }
    ExperimentPanel& panel = m_parts.panel;
    panel.setExperiment(step->experiment);
    if (!m_parts.runs.runExperiment(step->experiment, step->session)) {
        // Part 1 failing to start is run()'s false; a later part ends the lesson.
        fail(panel.status(), /*announce=*/step->part > 0);
        return;
    }
    if (lesson.parts.size() > 1) {
        panel.setStatus(tr("Lesson part %1 of %2: %3")
                            .arg(step->part + 1)
                            .arg(lesson.parts.size())
                            .arg(QString::fromStdString(lesson.parts[step->part].label)));
    }
    emit showChartWanted(QString::fromStdString(lesson.chart));
    emit partsChanged();
}

void LessonController::startPythonPart(const LessonRun::Step& step) {
    // Real CPython through the profiler, off the GUI thread; its result joins the session as a
    // part of its own (or a skipped one without python3, so parts keep their numbers).
    const Lesson& lesson = m_lessonRun->lesson();
    const LessonPart& part = lesson.parts[step.part];
    const bool noPython = step.kind == LessonRun::Kind::SkipPython;
    ExperimentPanel& panel = m_parts.panel;
    panel.setStatus(noPython ? tr("Lesson part %1 of %2: python3 is not installed, skipped.")
                                   .arg(step.part + 1)
                                   .arg(lesson.parts.size())
                             : tr("Lesson part %1 of %2: %3 (real CPython, python3 %4)…")
                                   .arg(step.part + 1)
                                   .arg(lesson.parts.size())
                                   .arg(QString::fromStdString(part.label))
                                   .arg(QString::fromStdString(part.python.front())));
    panel.setRunning(true);
    emit partsChanged();
    // Written by the job, read in its Done.
    auto result = std::make_shared<ExperimentResult>();
    auto recordError = std::make_shared<std::string>();
    if (noPython) result->environment = m_parts.environment;  // explained without Python
    m_parts.document.beginLive();  // whole again once the part is recorded
    m_parts.runs.setPythonPart(true);
    m_pythonJob = m_pythonJobs.start(
        [copy = lesson, index = step.part, quick = m_lessonRun->quick(), result, recordError,
         noPython, path = m_parts.document.recordPath().toStdString(),
         info = step.session](JobContext& context) {
            if (!noPython) *result = runPythonPart(copy, index, quick, context.stopFlag());
            try {
                SessionRecorder(path, info)
                    .recordResultPart(*result, noPython ? "skipped" : "python");
            } catch (const std::exception& e) {
                *recordError = e.what();  // the lesson goes on without its session
            }
        },
        [this, result, recordError](const QString& error) {
            pythonPartDone(*result, *recordError, error);
        });
}

void LessonController::pythonPartDone(const ExperimentResult& result,
                                      const std::string& recordError, const QString& error) {
    m_pythonJob = 0;
    m_parts.runs.setPythonPart(false);
    m_parts.panel.setRunning(false);
    m_parts.document.liveRecorded(recordError.empty());
    if (!recordError.empty())
        emit message(
            tr("The session is not recorded: %1").arg(QString::fromStdString(recordError)));
    if (!error.isEmpty()) {
        fail(error);
        return;
    }
    partDone(result);
}

void LessonController::readBackSession(bool ok, bool announce) {
    const Lesson* lesson = m_parts.lessons.current();
    const bool several = lesson != nullptr && lesson->parts.size() > 1;
    m_parts.document.completeLesson(
        m_parts.lessons.outcomeText().toStdString(), several,
        [this, ok, announce](std::shared_ptr<Session> loaded,
                             std::shared_ptr<TimelineChart::PreparedRun>, const QString& error) {
            if (!error.isEmpty()) {
                emit message(tr("The lesson's session could not be completed: %1").arg(error));
            } else if (loaded && !loaded->parts.empty() && !m_parts.runs.chartsLive()) {
                // The charts already show the last part, as it ran. Each part's result as its
                // run handed it over, as Save result writes it: the file's copy lost facts on
                // the way back (the environment's memory and compiler), and the window's
                // reports must say what the run measured.
                const std::vector<ExperimentResult>& ran =
                    m_lessonRun ? m_lessonRun->results() : std::vector<ExperimentResult>{};
                for (std::size_t i = 0; i < loaded->parts.size() && i < ran.size(); ++i) {
                    ExperimentResult& stored = loaded->parts[i].result;
                    if (stored.experiment.workload == ran[i].experiment.workload) stored = ran[i];
                }
                const int last = static_cast<int>(loaded->parts.size()) - 1;
                m_parts.document.adopt(std::move(loaded), last, QString());
            }
            emit partsChanged();
            finishPresentation();
            if (announce) emit lessonDone(ok);
        });
}

void LessonController::present() {
    const Lesson* lesson = m_parts.lessons.current();
    if (lesson == nullptr) return;
    if (m_presentation) m_presentation->close();
    Chart* c = m_parts.views.chart(QString::fromStdString(lesson->chart));
    if (c == nullptr) c = m_parts.views.chart(QStringLiteral("speedup"));
    m_presentation = new PresentationWindow(m_parts.lessons, *c, &m_parts.window);
    connect(m_presentation, &PresentationWindow::runRequested, this, &LessonController::run);
    connect(m_presentation, &PresentationWindow::partWanted, this, &LessonController::partWanted);
    m_presentation->setLiveRefreshMs(m_parts.runs.liveRefreshMs());
    connect(&m_parts.runs, &RunController::liveRefreshChanged, m_presentation,
            &PresentationWindow::setLiveRefreshMs);
    if (QGuiApplication::platformName() == QLatin1String("offscreen")) {
        m_presentation->resize(1600, 900);
        m_presentation->show();
    } else {
        // Without a window manager (a bare X server, some kiosks) full screen is only a hint:
        // take the screen's size ourselves.
        m_presentation->setGeometry(m_parts.window.screen()->geometry());
        m_presentation->showFullScreen();
    }
    m_presentation->activateWindow();
    m_presentation->setFocus();
}

PresentationWindow* LessonController::presentation() const {
    return m_presentation.data();
}

void LessonController::finishPresentation() {
    if (!m_presentation) return;
    const std::shared_ptr<Session>& session = m_parts.document.session();
    const int parts = m_parts.document.partCount();
    if (m_parts.lessons.current() == nullptr || parts < 2) {
        m_presentation->runFinished();  // one part: its words over its chart
        return;
    }
    // Page by page, each over the chart of the part it talks about: the verdict, the
    // predictions and part 1's sentences first, then each part's own (a part whose numbers the
    // explanation never quotes is told by its own verdict).
    const QStringList told = m_parts.lessons.outcomePages();
    std::vector<PresentationWindow::Page> pages;
    for (int i = 0; i < parts; ++i) {
        const SessionPart& part = session->parts[static_cast<std::size_t>(i)];
        PresentationWindow::Page page;
        page.heading = tr("Part %1 of %2: %3")
                           .arg(i + 1)
                           .arg(parts)
                           .arg(QString::fromStdString(
                               part.label.empty() ? part.result.experiment.workload : part.label));
        const bool split = told.size() == parts;
        page.text = split && !told[i].isEmpty() ? told[i]
                    : !split && i == 0
                        ? m_parts.lessons.outcomeText()
                        : QString::fromStdString(formatVerdict(part.result)).trimmed();
        page.part = i;
        pages.push_back(std::move(page));
    }
    m_presentation->runFinished(std::move(pages));
}

}  // namespace coreduel::ui
