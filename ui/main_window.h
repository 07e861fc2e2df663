#pragma once
// The main window: the experiment panel on the left, the live per-core heat strip in the
// middle, and the other charts and the results table in docks that can be rearranged,
// tabbed, floated and enlarged. All engine work happens on the EngineBridge's thread; every
// slot here only copies data into charts and models.

#include <QElapsedTimer>
#include <QMainWindow>
#include <QPointer>
#include <functional>
#include <map>
#include <optional>

#include "core/lessons/lesson_run.h"
#include "core/run/result.h"
#include "core/session/session.h"
#include "ui/background_jobs.h"
#include "ui/dialog_memory.h"
#include "ui/engine_bridge.h"
#include "ui/ipc_lab_runner.h"
#include "ui/plots/timeline_chart.h"  // TimelineChart::PreparedRun
#include "ui/session_history.h"
#include "ui/stall_monitor.h"
#include "ui/theme.h"
#include "ui/user_code_consent.h"

class QComboBox;
class QDockWidget;
class QLabel;
class QPushButton;
class QTableView;

namespace coreduel::ui {

class Chart;
class CoreHeatChart;
class TimelineChart;
class SpeedupChart;
class BreakdownChart;
class ResourcesChart;
class IpcChart;
class ExperimentPanel;
class ResultsModel;
class LessonsPanel;
class PresentationWindow;
class RunViews;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    struct Options {
        bool persistSettings = true;  ///< read and write QSettings (tests turn it off)
        QString theme;                ///< empty: the saved one, else light
        /// Where each experiment streams its session; empty: defaultRecordPath().
        QString sessionPath;
        /// Ask before quitting while the last run's session is not saved (the next run would
        /// overwrite it). The program turns it on; tests and scripted runs leave it off.
        bool confirmQuit = false;
        /// While a run is measured: how often the engine's events reach the window and the
        /// charts redraw (ms). Each redraw takes CPU from the workers being measured: at 1 s
        /// the window costs about 1 % of one core (coreduel-cli bench measures it).
        int measuringRefreshMs = 1000;
        /// Where every run's session is kept (File › Recent sessions); empty: the user's cache
        /// when persistSettings, else no history (one per-process file, as tests want).
        QString historyDir;
    };
    explicit MainWindow(Options options, QWidget* parent = nullptr);
    MainWindow() : MainWindow(Options{}) {}
    ~MainWindow() override;

    /// Starts `e` (validated by the engine); false and a status message if it is invalid.
    bool runExperiment(const Experiment& e);
    void stop();
    [[nodiscard]] bool isRunning() const { return m_bridge.running(); }

    /// The last finished (or loaded) result.
    [[nodiscard]] const std::optional<ExperimentResult>& result() const;
    [[nodiscard]] std::vector<Chart*> charts() const;
    [[nodiscard]] Chart* chart(const QString& slug) const;
    [[nodiscard]] ResultsModel* resultsModel() const;
    [[nodiscard]] ExperimentPanel* panel() const { return m_panel; }
    [[nodiscard]] StallMonitor& stallMonitor() { return m_stall; }
    /// Milliseconds from Stop to the engine's last event for that experiment; -1 if none yet.
    [[nodiscard]] double lastStopLatencyMs() const { return m_stopLatencyMs; }
    [[nodiscard]] QString statusText() const;
    /// CPU time the GUI thread used during the last run, % of one core (it competes with the
    /// workers for the same cores, which matters on a small machine).
    [[nodiscard]] double guiCpuPercent() const { return m_guiCpuPercent; }

    /// What openFile and loadBaseline call on the GUI thread once the file is in (error
    /// empty) or could not be read (error says why).
    using OpenDone = std::function<void(const QString& error)>;
    /// Opens an experiment, result or session file (by its content). An experiment or result is
    /// read at once and throws on a bad file. A session is read on a background thread, so the
    /// window stays live however large it is; every chart, the table and the run picker are
    /// restored when it has been read. `done` follows in both cases.
    void openFile(const QString& path, OpenDone done = {});
    /// A session is being read (openFile, loadBaseline) or written as a trace (exportTrace):
    /// runs wait for it, as the next run rewrites the window's session file.
    [[nodiscard]] bool isOpening() const;
    /// The current session (the last run's, or the one opened): copied to `path`, or written
    /// as a Chrome trace. Throw ExportError when there is none or the file cannot be written.
    void saveSession(const QString& path);
    /// The trace is written on a background thread (a session of a million tasks takes
    /// seconds); `done` follows on the GUI thread. Throws ExportError at once when there is no
    /// session.
    void exportTrace(const QString& path, OpenDone done = {});
    /// The session file behind what the window shows; empty when there is none.
    [[nodiscard]] const QString& sessionFile() const { return m_sessionFile; }
    /// A lesson's session holds a part per experiment: how many the window can show (0 while
    /// none is loaded, e.g. during a run), which one it shows (0-based), and showing another:
    /// every chart, the table, the run picker and the panel as at the end of that part.
    [[nodiscard]] int partCount() const;
    [[nodiscard]] int shownPart() const { return m_shownPart; }
    void showPart(int index);
    /// The user's cache (persistent) or a per-process temporary file.
    static QString defaultRecordPath(bool persistent);
    void showResult(const ExperimentResult& r);
    /// Draws a saved result (and a session's IPC-lab points) behind every chart where that
    /// means something, and compares each configuration in the table; std::nullopt clears it.
    void setBaseline(std::optional<ExperimentResult> baseline,
                     const std::vector<IpcMeasurement>& ipcLab = {},
                     const QString& name = QStringLiteral("baseline"));
    /// A result or session file as the baseline: a result is read at once (throws on a bad
    /// file), a session on a background thread; `done` follows in both cases.
    void loadBaseline(const QString& path, OpenDone done = {});
    /// What a report or handout prints, taken from the window before anything is drawn (never
    /// read from the window while drawing, which shows other parts meanwhile): the part shown,
    /// the timeline as the user sees it (its run and zoom), and when it was measured.
    struct PrintSelection {
        int part = -1;  ///< the session part shown; -1 without a session of parts
        TimelineChart::View timeline;
        QString measuredAt;  ///< "2026-12-07T08:01:32Z"; empty: not recorded (a result file)
    };
    [[nodiscard]] PrintSelection printSelection() const;
    /// Throws ExportError. A lesson's session reports every part (a cover with the lesson's
    /// explanation, then each part) unless `everyPart` is false; the part shown is printed
    /// with the timeline run and zoom the user picked. The window is left exactly as it was
    /// (part, run picker, zoom, theme).
    void exportReport(const QString& path, bool everyPart = true);
    void saveScreenshot(const QString& path);
    /// Raises the dock that holds the chart (or "table").
    void showChart(const QString& slug);
    /// Shows run `index` (0-based, as the run picker lists them) on the timeline.
    void showTimelineRun(int index);
    void setThemeByName(const QString& name);
    /// Sizes the window to `available` (a screen's available geometry) and proportions the
    /// docks so every chart has room; also what View › Reset layout does.
    void fitToScreen(const QRect& available);
    /// The chart that Export › Current chart exports: the last one the user pointed at,
    /// clicked or scrolled, if still visible; else a visible one.
    [[nodiscard]] Chart* currentChart() const;
    void runIpcLab(double secondsPerPoint = 0.05);
    void runIpcLab(const IpcLabOptions& options);
    [[nodiscard]] bool isIpcLabRunning() const { return m_ipcLab.running(); }
    /// A real-Python lesson part is running (on a BackgroundJobs thread).
    [[nodiscard]] bool isPythonRunning() const { return m_pythonJob != 0; }

    [[nodiscard]] LessonsPanel* lessonsPanel() const { return m_lessons; }
    /// Runs the lesson selected in the Lessons panel; false if it could not start.
    bool runLesson();
    /// Opens presentation mode for the selected lesson (full screen on a real display).
    void present();
    [[nodiscard]] PresentationWindow* presentation() const;
    /// The selected lesson's one-page PDF; throws ExportError (also before its first run).
    void exportHandout(const QString& path);

signals:
    /// An experiment ended: finished (ok says whether every run verified), failed or stopped.
    void experimentDone(bool ok);
    void ipcLabDone(const QString& error);
    /// A lesson's last part ended (or one failed): the Lessons panel has its outcome, and its
    /// session's parts are ready to pick (partCount()).
    void lessonDone(bool ok);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
    void closeEvent(QCloseEvent* event) override;
    /// Asks to save an unsaved run's session before quitting; false: the user chose to stay.
    bool mayQuit();
    /// The engine's last word on an experiment: the result, the status line, the session.
    void onExperimentFinished(const ExperimentResult& r);
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void buildDocks();
    void proportionDocks();
    /// The available area of the screen the window is on (or will open on).
    [[nodiscard]] QRect availableArea() const;
    void buildMenus();
    void buildFileMenu();
    void connectBridge();
    void restoreSettings();
    void saveSettings();
    void reportError(const QString& what, const QString& message);
    /// An OpenDone that reports a failure as `what` (default "Cannot open").
    OpenDone openErrorReporter(const QString& what = QString());
    /// Reads `path` on a job's thread and shows it (openFile's session case).
    void openSession(const QString& path, OpenDone done);
    /// Asks for a file name, runs `write` on it, and reports success or the error.
    void saveTo(const QString& title, const QString& suggested, const QString& filter,
                const std::function<void(const QString&)>& write);
    void updateStallLabel();
    /// A measured run began or ended: the live views slow down to the measuring refresh, and
    /// come back to interactive speed, whole, at its end.
    void setMeasuring(bool measuring);
    /// The progress bar at m_lastRun / m_lastFraction, once the events being handled are.
    void showProgressSoon();
    void ipcLabMeasured(const IpcMeasurement& m);
    void ipcLabFinished(const QString& error);
    void recordIpcLabInSession();
    /// Starts an experiment; `part` places it in the window's session (a lesson's part).
    bool runExperiment(const Experiment& e, const SessionPartInfo& part);
    /// Shows a session read on a job's thread: every chart as at the end of its last part.
    void showOpenedSession(const QString& path, std::shared_ptr<Session> session,
                           std::shared_ptr<TimelineChart::PreparedRun> prepared);
    /// Shows `session` (read on this thread or a job's): its IPC lab, and part `part`.
    /// `prepared`: the lanes of the part's newest run, built on the job's thread, or null.
    void adoptSession(std::shared_ptr<Session> session, int part,
                      std::shared_ptr<TimelineChart::PreparedRun> prepared = {});
    /// The lesson ended: its explanation joins the session file, which is then read back on a
    /// job's thread so every part can be picked; lessonDone(ok) follows.
    void readBackLessonSession(bool ok, bool announce = true);
    /// The parts bar above the live strip: shown for a session of several parts.
    void refreshPartsBar();
    void exportPartsReport(const QString& path, const PrintSelection& what);
    /// What printing changes, to put back afterwards: the selection, the run picker and
    /// every chart's axis ranges (per chart, in axis order).
    struct WindowView {
        PrintSelection selection;
        int pickerIndex = 0;
        std::vector<std::vector<QCPRange>> ranges;
    };
    [[nodiscard]] WindowView captureView() const;
    void restoreView(const WindowView& view);
    /// Shows `part` for printing: the part the user picked with the timeline as it was, any
    /// other part with its newest run.
    void showForPrint(int part, const PrintSelection& what);
    /// Runs `draw` with the light theme on the charts and the application (reports and
    /// handouts are printed on white: dark charts and light text would be unreadable there),
    /// then puts the user's theme back, also when `draw` throws. Nothing is saved.
    void withPrintTheme(const std::function<void()>& draw);
    /// The lesson ended and its parts can be shown: presentation mode explains it, each page
    /// over the chart of the part it talks about.
    void finishPresentation();

    // actions
    void onRun();
    void onOpen();
    void onSaveExperiment();
    void onSaveResult();
    void onSaveSession();
    void onExportTrace();
    void onLoadBaseline();
    void onExportChart();
    void onExportAllCharts();
    void onExportTable();
    void onExportReport();
    void onAbout();

    Options m_options;
    EngineBridge m_bridge;
    IpcLabRunner m_ipcLab;
    // 20 ms: finer would cost the measured run CPU (a wake-up every tick) for stalls too short
    // to matter; a stall longer than a tick is measured to the millisecond.
    StallMonitor m_stall{nullptr, 20};
    Theme m_theme = Theme::light();
    Environment m_environment;

    ExperimentPanel* m_panel = nullptr;
    LessonsPanel* m_lessons = nullptr;
    QPointer<PresentationWindow> m_presentation;
    /// What the window is doing, one thing at a time: the user's experiment on the engine, a
    /// lesson (its parts on the engine or on a Python job, m_pythonJob), or the IPC lab. A
    /// session file being read or written (isOpening) is a job beside Idle that runs wait for.
    enum class Activity { Idle, Experiment, Lesson, IpcLab };
    Activity m_activity = Activity::Idle;
    /// An experiment or a lesson owns the charts (they are live): no part can be shown.
    [[nodiscard]] bool chartsLive() const {
        return m_activity == Activity::Experiment || m_activity == Activity::Lesson;
    }
    /// The selected lesson's run: its parts so far and how it ended (core's one sequencing,
    /// as the CLI's); also a reopened lesson session's.
    std::optional<LessonRun> m_lessonRun;
    /// The user's own experiment, put back in the panel when the lesson ends (a lesson shows
    /// its parts' experiments there while it runs).
    std::optional<Experiment> m_userExperiment;
    void restoreUserExperiment();
    void startLessonPart();
    /// A real-Python part (or one skipped without python3) on a job's thread.
    void startPythonPart(const LessonRun::Step& step);
    /// A part ended (experiment or Python): stores it, starts the next or finishes the lesson.
    void lessonPartDone(const ExperimentResult& r);
    /// The running lesson cannot go on: says why in the panel (and the presentation).
    void failLesson(const QString& message, bool announce = true);
    BackgroundJobs m_pythonJobs;  // a real-Python part (the profiler blocks until it ends)
    quint64 m_pythonJob = 0;      // the lesson's Python part running now, or 0
    /// Every chart and the table: they take a live run's events and a reopened part's alike.
    RunViews* m_views = nullptr;
    QLabel* m_stallLabel = nullptr;
    QPushButton* m_ipcButton = nullptr;
    std::map<QString, QDockWidget*> m_docks;  // by chart slug, and "table"
    QPointer<Chart> m_currentChart;

    int m_lastRun = 0;               // the run the engine reported last (where a Stop leaves it)
    double m_lastFraction = 0;       // of the whole experiment, from its last progress
    bool m_progressPending = false;  // the bar shows m_lastFraction once the drain is done
    QElapsedTimer m_elapsed;
    QString m_measuredAt;  // when the live run started (UTC, ISO 8601), for reports
    QElapsedTimer m_stopClock;
    double m_stopLatencyMs = -1;
    std::int64_t m_guiCpuStartNs = 0;
    double m_guiCpuPercent = 0;
    bool m_stopping = false;
    bool m_layoutRestored = false;
    QByteArray m_defaultState;      // the dock arrangement as built, for View › Reset layout
    QString m_recordPath;           // where each experiment streams its session
    DialogMemory m_dialogs{false};  // set in the constructor (persist or not)
    UserCodeConsent m_consent;      // the user's own code runs only once they said yes
    /// Every run's session kept, each in a file of its own; none for scripted/test windows.
    std::optional<SessionHistory> m_history;
    /// A new run (or lesson) is about to record: with a history, a file of its own.
    void startRecording(const QString& label);
    QString m_sessionFile;  // the session behind what is shown (recorded or opened)
    /// The last run's session exists only as the cache the next run overwrites.
    bool m_unsavedRun = false;
    bool m_sessionFailed = false;
    /// The session the window shows, every part of it (opened, or read back after a lesson);
    /// null during a run. A single part's events are moved into the timeline, not kept here.
    std::shared_ptr<Session> m_session;
    int m_shownPart = 0;
    BackgroundJobs
        m_sessionJobs;      // reading sessions (opened, baseline, a lesson's) off the GUI thread
    quint64 m_openJob = 0;  // the session openFile is reading, or 0
    quint64 m_baselineJob = 0;  // the session loadBaseline is reading, or 0
    quint64 m_traceJob = 0;     // the trace exportTrace is writing, or 0
    QWidget* m_partsBar = nullptr;
    QLabel* m_partsLabel = nullptr;
    QComboBox* m_partPicker = nullptr;
};

}  // namespace coreduel::ui
