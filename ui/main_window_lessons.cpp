// MainWindow's lessons: running a lesson part by part (engine experiments and real-CPython
// parts, both off the GUI thread), its outcome, presentation mode and the handout.
#include <QGuiApplication>
#include <QScreen>
#include <QStatusBar>

#include "core/lessons/lesson.h"
#include "core/report/table_report.h"
#include "ui/experiment_panel.h"
#include "ui/exporter.h"
#include "ui/lessons_panel.h"
#include "ui/main_window.h"
#include "ui/plots/speedup_chart.h"
#include "ui/plots/timeline_chart.h"
#include "ui/presentation_window.h"
#include "ui/run_views.h"

namespace coreduel::ui {

bool MainWindow::runLesson() {
    const Lesson* lesson = m_lessons->current();
    if (lesson == nullptr || m_activity != Activity::Idle) return false;
    if (isOpening()) {
        m_lessons->showFailure(
            tr("a session file is being read or exported; run the lesson when it is done."));
        return false;
    }
    for (const LessonPart& part : lesson->parts) {
        if (part.experiment.startMethod == StartMethod::Fork) {
            m_lessons->showFailure(
                tr("this lesson forks the engine process, which the desktop app never does (it "
                   "is multithreaded, and fork without exec is unsafe there). Run it in a "
                   "terminal: coreduel-cli lesson %1")
                    .arg(QString::fromStdString(lesson->name).section(QLatin1Char('-'), 1)));
            return false;
        }
    }
    // A lesson written around the user's own code asks once, as Run does.
    for (std::size_t i = 0; i < lesson->parts.size(); ++i) {
        if (!lesson->parts[i].python.empty()) continue;  // the lessons' own scripts
        Experiment part;
        try {
            part = lessonExperiment(*lesson, m_lessons->quick(), i);
        } catch (const std::exception&) {
            continue;  // the part says what is wrong with it when it runs
        }
        if (!m_consent.allow(this, part)) {
            m_lessons->showFailure(tr("the lesson's code was not confirmed, so it did not run."));
            return false;
        }
    }
    m_lessonRun.emplace(*lesson, m_lessons->quick(), !pythonExecutable().empty());
    startRecording(QString::fromStdString(lesson->name));  // one session for all its parts
    m_activity = Activity::Lesson;
    try {
        m_userExperiment = m_panel->experiment();
    } catch (const std::exception&) {
        m_userExperiment.reset();  // an invalid panel: nothing worth keeping
    }
    startLessonPart();
    return m_activity == Activity::Lesson;
}

void MainWindow::lessonPartDone(const ExperimentResult& r) {
    m_lessonRun->partDone(r);
    if (m_lessonRun->next()) {
        // The next part, once this event is handled (it clears the charts).
        QTimer::singleShot(0, this, &MainWindow::startLessonPart);
        return;
    }
    m_activity = Activity::Idle;
    // On a small machine the window's own drawing competes with the workers; say
    // so next to numbers that may be quoted.
    QString note;
    if (m_guiCpuPercent > 5 && m_environment.logicalCpus <= 4) {
        note = tr("Note: this window used %1 % of one core while the lesson ran, on "
                  "a %2-CPU machine; runs with one worker per CPU lost that much. "
                  "coreduel-cli lesson measures without a window.")
                   .arg(m_guiCpuPercent, 0, 'f', 0)
                   .arg(m_environment.logicalCpus);
    }
    m_lessons->showOutcome(*m_lessonRun, note);
    restoreUserExperiment();
    // The presentation explains once every part can be shown (readBackLessonSession).
    readBackLessonSession(r.allOk() && !r.cancelled);  // then lessonDone
}

void MainWindow::failLesson(const QString& message, bool announce) {
    m_activity = Activity::Idle;
    if (m_lessonRun) m_lessonRun->fail(message.toStdString());
    m_lessons->showFailure(message);
    restoreUserExperiment();
    // The parts that ran stay reachable; lessonDone(false) follows when announced.
    readBackLessonSession(false, announce);
}

void MainWindow::restoreUserExperiment() {
    if (!m_userExperiment) return;
    m_panel->setExperiment(*m_userExperiment);
    m_userExperiment.reset();
    const QString note =
        tr("The lesson ran its own experiments; your experiment is back in the panel.");
    m_panel->setStatus(
        m_panel->status().isEmpty() ? note : m_panel->status() + QStringLiteral("\n") + note);
}

void MainWindow::startLessonPart() {
    const auto step = m_lessonRun ? m_lessonRun->next() : std::nullopt;
    if (!step) {
        m_activity = Activity::Idle;
        restoreUserExperiment();
        return;
    }
    const Lesson& lesson = m_lessonRun->lesson();
    const LessonPart& part = lesson.parts[step->part];
    if (step->kind != LessonRun::Kind::Experiment) {
        startPythonPart(*step);
        return;
    }
    m_panel->setExperiment(step->experiment);
    if (!runExperiment(step->experiment, step->session)) {
        // Part 1 failing to start is runLesson's false; a later part ends the lesson.
        failLesson(m_panel->status(), /*announce=*/step->part > 0);
        return;
    }
    if (lesson.parts.size() > 1) {
        m_panel->setStatus(tr("Lesson part %1 of %2: %3")
                               .arg(step->part + 1)
                               .arg(lesson.parts.size())
                               .arg(QString::fromStdString(part.label)));
    }
    showChart(QString::fromStdString(lesson.chart));
    refreshPartsBar();
}

void MainWindow::startPythonPart(const LessonRun::Step& step) {
    // Real CPython through the profiler, off the GUI thread; its result joins the session as a
    // part of its own (or a skipped one without python3, so parts keep their numbers).
    const Lesson& lesson = m_lessonRun->lesson();
    const LessonPart& part = lesson.parts[step.part];
    const bool noPython = step.kind == LessonRun::Kind::SkipPython;
    m_panel->setStatus(noPython ? tr("Lesson part %1 of %2: python3 is not installed, skipped.")
                                      .arg(step.part + 1)
                                      .arg(lesson.parts.size())
                                : tr("Lesson part %1 of %2: %3 (real CPython, python3 %4)…")
                                      .arg(step.part + 1)
                                      .arg(lesson.parts.size())
                                      .arg(QString::fromStdString(part.label))
                                      .arg(QString::fromStdString(part.python.front())));
    m_panel->setRunning(true);
    refreshPartsBar();
    // Written by the job, read in Done.
    auto result = std::make_shared<ExperimentResult>();
    auto recordError = std::make_shared<std::string>();
    if (noPython) result->environment = m_environment;  // no runs: explained without Python
    m_sessionFile.clear();                              // whole again once the part is recorded
    m_sessionFailed = false;
    m_session.reset();
    m_pythonJob = m_pythonJobs.start(
        [copy = lesson, index = step.part, quick = m_lessonRun->quick(), result, recordError,
         noPython, path = m_recordPath.toStdString(), info = step.session](JobContext& context) {
            if (!noPython) *result = runPythonPart(copy, index, quick, context.stopFlag());
            try {
                SessionRecorder(path, info)
                    .recordResultPart(*result, noPython ? "skipped" : "python");
            } catch (const std::exception& e) {
                *recordError = e.what();  // the lesson goes on without its session
            }
        },
        [this, result, recordError](const QString& error) {
            m_pythonJob = 0;
            m_panel->setRunning(false);
            if (recordError->empty()) {
                m_sessionFile = m_recordPath;
                m_unsavedRun = !m_history;
            } else {
                m_sessionFailed = true;
                statusBar()->showMessage(tr("The session is not recorded: %1")
                                             .arg(QString::fromStdString(*recordError)));
            }
            if (!error.isEmpty()) {
                failLesson(error);
                return;
            }
            lessonPartDone(*result);
        });
}

void MainWindow::present() {
    const Lesson* lesson = m_lessons->current();
    if (lesson == nullptr) return;
    if (m_presentation) m_presentation->close();
    Chart* c = chart(QString::fromStdString(lesson->chart));
    if (c == nullptr) c = m_views->speedup();
    m_presentation = new PresentationWindow(*m_lessons, *c, this);
    connect(m_presentation, &PresentationWindow::runRequested, this, &MainWindow::runLesson);
    connect(m_presentation, &PresentationWindow::partWanted, this, &MainWindow::showPart);
    if (QGuiApplication::platformName() == QLatin1String("offscreen")) {
        m_presentation->resize(1600, 900);
        m_presentation->show();
    } else {
        // Without a window manager (a bare X server, some kiosks) full screen is only a hint:
        // take the screen's size ourselves.
        m_presentation->setGeometry(screen()->geometry());
        m_presentation->showFullScreen();
    }
    m_presentation->activateWindow();
    m_presentation->setFocus();
}

void MainWindow::finishPresentation() {
    if (!m_presentation) return;
    const Lesson* lesson = m_lessons->current();
    std::vector<PresentationWindow::Page> pages;
    if (lesson == nullptr || partCount() < 2) {
        m_presentation->runFinished();  // one part: its words over its chart
        return;
    }
    // Page by page, each over the chart of the part it talks about: the explanation and the
    // predictions quote part 1, each later part is told by its own verdict.
    for (int i = 0; i < partCount(); ++i) {
        const SessionPart& part = m_session->parts[static_cast<std::size_t>(i)];
        PresentationWindow::Page page;
        page.heading = tr("Part %1 of %2: %3")
                           .arg(i + 1)
                           .arg(partCount())
                           .arg(QString::fromStdString(
                               part.label.empty() ? part.result.experiment.workload : part.label));
        page.text = i == 0 ? m_lessons->outcomeText()
                           : QString::fromStdString(formatVerdict(part.result)).trimmed();
        page.part = i;
        pages.push_back(std::move(page));
    }
    m_presentation->runFinished(std::move(pages));
}

void MainWindow::exportHandout(const QString& path) {
    const Lesson* lesson = m_lessons->current();
    if (lesson == nullptr) throw ExportError("no lesson selected");
    if (!m_lessonRun || m_lessonRun->results().empty() || m_activity == Activity::Lesson) {
        throw ExportError("run the lesson first: a handout quotes its numbers");
    }
    Chart* c = chart(QString::fromStdString(lesson->chart));
    // The part and the timeline run the user looks at, as for a report; the window is put back.
    const WindowView keep = captureView();
    const PrintSelection& what = keep.selection;
    const std::vector<ExperimentResult>& parts = m_lessonRun->results();
    const std::size_t part = what.part >= 0
                                 ? std::min(static_cast<std::size_t>(what.part), parts.size() - 1)
                                 : parts.size() - 1;
    try {
        withPrintTheme([&] {
            m_views->timeline()->setView(what.timeline);
            ui::exportHandout(*lesson, m_lessons->outcomeText(),
                              c != nullptr ? *c : *m_views->speedup(), parts[part], path);
        });
    } catch (...) {
        restoreView(keep);
        throw;
    }
    restoreView(keep);
}

PresentationWindow* MainWindow::presentation() const {
    return m_presentation.data();
}

}  // namespace coreduel::ui
