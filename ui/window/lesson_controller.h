#pragma once
// A lesson in the window: core's one sequencing (LessonRun, as coreduel-cli's) driven part by
// part — engine experiments through the RunController, real-CPython parts on a job of their
// own — its outcome in the Lessons panel, its session completed and read back so every part
// can be shown, and presentation mode, which explains each page over the chart of the part it
// talks about.

#include <QObject>
#include <QPointer>
#include <optional>

#include "core/lessons/lesson_run.h"
#include "ui/live/background_jobs.h"

class QWidget;

namespace coreduel::ui {

class ExperimentPanel;
class LessonsPanel;
class PresentationWindow;
class RunController;
class RunViews;
class SessionDocument;
class UserCodeConsent;

class LessonController : public QObject {
    Q_OBJECT
public:
    struct Parts {  // what the controller works with; all outlive it
        RunController& runs;
        SessionDocument& document;
        RunViews& views;
        LessonsPanel& lessons;
        ExperimentPanel& panel;
        UserCodeConsent& consent;
        const Environment& environment;
        QWidget& window;  ///< dialogs' and the presentation's parent
    };
    explicit LessonController(Parts parts, QObject* parent = nullptr);

    /// Runs the lesson selected in the Lessons panel; false if it could not start.
    bool run();
    /// Opens presentation mode for the selected lesson (full screen on a real display).
    void present();
    [[nodiscard]] PresentationWindow* presentation() const;
    /// The selected lesson's run: its parts so far and how it ended; also a reopened lesson
    /// session's (adoptEnded).
    [[nodiscard]] const std::optional<LessonRun>& lessonRun() const { return m_lessonRun; }
    /// A reopened lesson session: the lesson as it ended, with its parts' results.
    void adoptEnded(const LessonRun& ended) { m_lessonRun = ended; }
    [[nodiscard]] bool pythonPartRunning() const { return m_pythonJob != 0; }

signals:
    void showChartWanted(const QString& slug);
    /// The parts bar has something new to show (a part started, the session was read back).
    void partsChanged();
    /// The presentation asks for a part on the charts.
    void partWanted(int part);
    void message(const QString& text);
    /// A lesson's last part ended (or one failed): the Lessons panel has its outcome, and its
    /// session's parts are ready to pick.
    void lessonDone(bool ok);

private:
    [[nodiscard]] bool mayRun(const Lesson& lesson);
    void startPart();
    /// A real-Python part (or one skipped without python3) on a job's thread.
    void startPythonPart(const LessonRun::Step& step);
    void pythonPartDone(const ExperimentResult& result, const std::string& recordError,
                        const QString& error);
    /// A part ended (experiment or Python): stores it, starts the next or finishes the lesson.
    void partDone(const ExperimentResult& r);
    /// The running lesson cannot go on: says why in the panel (and the presentation).
    void fail(const QString& message, bool announce = true);
    /// The user's own experiment, put back in the panel when the lesson ends.
    void restoreUserExperiment();
    /// The lesson ended: its explanation joins the session file, which is then read back on a
    /// job's thread so every part can be picked; lessonDone(ok) follows.
    void readBackSession(bool ok, bool announce = true);
    /// Every part can be shown now: presentation mode explains it, page by page.
    void finishPresentation();

    Parts m_parts;
    std::optional<LessonRun> m_lessonRun;
    std::optional<Experiment> m_userExperiment;
    BackgroundJobs m_pythonJobs;  // a real-Python part (the profiler blocks until it ends)
    quint64 m_pythonJob = 0;      // the lesson's Python part running now, or 0
    QPointer<PresentationWindow> m_presentation;
};

}  // namespace coreduel::ui
