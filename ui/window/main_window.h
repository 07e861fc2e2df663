#pragma once
// The main window: the experiment panel on the left, the live per-core heat strip in the
// middle, and the other charts and the results table in docks that can be rearranged,
// tabbed, floated and enlarged. All engine work happens on the EngineBridge's thread; every
// slot here only copies data into charts and models.

#include <QMainWindow>
#include <QPointer>
#include <functional>
#include <map>
#include <memory>
#include <optional>

#include "core/measure/ipc_lab.h"
#include "core/run/result.h"
#include "ui/export/dialog_memory.h"
#include "ui/live/run_views.h"
#include "ui/panels/user_code_consent.h"
#include "ui/theme.h"
#include "ui/window/file_opener.h"
#include "ui/window/lesson_controller.h"
#include "ui/window/run_controller.h"
#include "ui/window/session_document.h"
#include "ui/window/window_printer.h"

class QDockWidget;
class QLabel;
class QPushButton;

namespace coreduel::ui {

class Chart;
class ExperimentPanel;
class ExportActions;
class FileOpener;
class LessonController;
class LessonsPanel;
class PartsBar;
class PresentationWindow;
class ResultsModel;
class RunController;
class RunViews;
class SessionDocument;
class StallMonitor;

// The main window keeps the menus, the docks and the actions; the work is done by the parts it
// wires together, each of which the views subscribe to:
//   SessionDocument   where runs record, the session shown, the file work off this thread
//   RunController     the experiment, a lesson's engine parts and the IPC lab, one at a time
//   LessonController  a lesson part by part, presentation mode
//   FileOpener        experiments, results, sessions and baselines into the window
//   ExportActions     the Save and Export dialogs
//   WindowPrinter     reports and handouts of what the user selected
//   RunViews          every chart and the table (live events and replayed sessions alike)
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
    /// Nothing waits here: the bridge, the IPC lab and the Python jobs abandon their work (stop
    /// flags set); the threads wind down and are reaped without a join on the GUI thread.
    ~MainWindow() override = default;

    /// Starts `e` (validated by the engine); false and a status message if it is invalid.
    bool runExperiment(const Experiment& e) { return m_runs->runExperiment(e); }
    void stop() { m_runs->stop(); }
    [[nodiscard]] bool isRunning() const { return m_runs->engineRunning(); }

    /// The last finished (or loaded) result.
    [[nodiscard]] const std::optional<ExperimentResult>& result() const {
        return m_views->result();
    }
    [[nodiscard]] std::vector<Chart*> charts() const { return m_views->charts(); }
    [[nodiscard]] Chart* chart(const QString& slug) const { return m_views->chart(slug); }
    [[nodiscard]] ResultsModel* resultsModel() const { return m_views->model(); }
    [[nodiscard]] ExperimentPanel* panel() const { return m_panel; }
    [[nodiscard]] StallMonitor& stallMonitor() { return m_runs->stallMonitor(); }
    /// Milliseconds from Stop to the engine's last event for that experiment; -1 if none yet.
    [[nodiscard]] double lastStopLatencyMs() const { return m_runs->lastStopLatencyMs(); }
    [[nodiscard]] QString statusText() const;
    /// CPU time the GUI thread used during the last run, % of one core (it competes with the
    /// workers for the same cores, which matters on a small machine).
    [[nodiscard]] double guiCpuPercent() const { return m_runs->guiCpuPercent(); }
    /// The slowest the live charts were redrawn during the last run to keep the view within
    /// its budget (LiveBudget), in milliseconds.
    [[nodiscard]] int slowestLiveRefreshMs() const { return m_runs->slowestLiveRefreshMs(); }

    /// What openFile and loadBaseline call on the GUI thread once the file is in (error
    /// empty) or could not be read (error says why).
    using OpenDone = std::function<void(const QString& error)>;
    /// Opens an experiment, result or session file (by its content). An experiment or result is
    /// read at once and throws on a bad file. A session is read on a background thread, so the
    /// window stays live however large it is; every chart, the table and the run picker are
    /// restored when it has been read. `done` follows in both cases.
    void openFile(const QString& path, OpenDone done = {}) {
        m_opener->open(path, std::move(done));
    }
    /// A session is being read (openFile, loadBaseline) or written as a trace (exportTrace):
    /// runs wait for it, as the next run rewrites the window's session file.
    [[nodiscard]] bool isOpening() const { return m_document->busy(); }
    /// The current session (the last run's, or the one opened): copied to `path`, or written
    /// as a Chrome trace. Throw ExportError when there is none or the file cannot be written.
    void saveSession(const QString& path) { m_document->save(path); }
    /// The trace is written on a background thread (a session of a million tasks takes
    /// seconds); `done` follows on the GUI thread. Throws ExportError at once when there is no
    /// session.
    void exportTrace(const QString& path, OpenDone done = {}) {
        m_document->exportTrace(path, std::move(done));
    }
    /// The session file behind what the window shows; empty when there is none.
    [[nodiscard]] const QString& sessionFile() const { return m_document->file(); }
    /// A lesson's session holds a part per experiment: how many the window can show (0 while
    /// none is loaded, e.g. during a run), which one it shows (0-based), and showing another:
    /// every chart, the table, the run picker and the panel as at the end of that part.
    [[nodiscard]] int partCount() const { return m_document->partCount(); }
    [[nodiscard]] int shownPart() const { return m_document->shownPart(); }
    void showPart(int index);
    /// The user's cache (persistent) or a per-process temporary file.
    static QString defaultRecordPath(bool persistent) {
        return SessionDocument::defaultRecordPath(persistent);
    }
    void showResult(const ExperimentResult& r) { m_views->showResult(r); }
    /// Draws a saved result (and a session's IPC-lab points) behind every chart where that
    /// means something, and compares each configuration in the table; std::nullopt clears it.
    void setBaseline(std::optional<ExperimentResult> baseline,
                     const std::vector<IpcMeasurement>& ipcLab = {},
                     const QString& name = QStringLiteral("baseline")) {
        m_opener->setBaseline(std::move(baseline), ipcLab, name);
    }
    /// A result or session file as the baseline: a result is read at once (throws on a bad
    /// file), a session on a background thread; `done` follows in both cases.
    void loadBaseline(const QString& path, OpenDone done = {}) {
        m_opener->loadBaseline(path, std::move(done));
    }
    /// What a report or handout prints, taken from the window before anything is drawn: the
    /// part shown, the timeline as the user sees it (its run and zoom), when it was measured.
    using PrintSelection = WindowPrinter::Selection;
    [[nodiscard]] PrintSelection printSelection() const { return m_printer->selection(); }
    /// Throws ExportError. A lesson's session reports every part (a cover with the lesson's
    /// explanation, then each part) unless `everyPart` is false; the part shown is printed
    /// with the timeline run and zoom the user picked. The window is left exactly as it was
    /// (part, run picker, zoom, theme).
    void exportReport(const QString& path, bool everyPart = true) {
        m_printer->exportReport(path, everyPart);
    }
    void saveScreenshot(const QString& path);
    /// Every chart with data into `dir`, as File › Export › All charts does with these
    /// options; throws ExportError. Returns the files written.
    QStringList exportCharts(const QString& dir, const QString& format, QSize pixels);
    /// Raises the dock that holds the chart (or "table").
    void showChart(const QString& slug);
    /// Shows run `index` (0-based, as the run picker lists them) on the timeline.
    void showTimelineRun(int index) { m_views->showTimelineRun(index); }
    void setThemeByName(const QString& name);
    /// Sizes the window to `available` (a screen's available geometry) and proportions the
    /// docks so every chart has room; also what View › Reset layout does.
    void fitToScreen(const QRect& available);
    /// The chart that Export › Current chart exports: the last one the user pointed at,
    /// clicked or scrolled, if still visible; else a visible one.
    [[nodiscard]] Chart* currentChart() const;
    void runIpcLab(double secondsPerPoint = 0.05);
    void runIpcLab(const IpcLabOptions& options) { m_runs->runIpcLab(options); }
    [[nodiscard]] bool isIpcLabRunning() const { return m_runs->ipcLabRunning(); }
    /// A real-Python lesson part is running (on a BackgroundJobs thread).
    [[nodiscard]] bool isPythonRunning() const { return m_lesson->pythonPartRunning(); }

    [[nodiscard]] LessonsPanel* lessonsPanel() const { return m_lessons; }
    /// Runs the lesson selected in the Lessons panel; false if it could not start.
    bool runLesson() { return m_lesson->run(); }
    /// Opens presentation mode for the selected lesson (full screen on a real display).
    void present() { m_lesson->present(); }
    [[nodiscard]] PresentationWindow* presentation() const { return m_lesson->presentation(); }
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
    void dragEnterEvent(QDragEnterEvent* event) override { m_opener->acceptDrag(*event); }
    void dropEvent(QDropEvent* event) override { m_opener->openDropped(*event); }

private:
    void buildDocks();
    QDockWidget* addDock(const QString& slug, const QString& title, QWidget* widget,
                         Qt::DockWidgetArea area);
    void buildIpcDock();
    /// The parts behind the window, once the views exist; their signals to the window.
    void buildParts();
    void connectParts();
    void proportionDocks();
    /// The available area of the screen the window is on (or will open on).
    [[nodiscard]] QRect availableArea() const;
    void buildMenus();
    void buildFileMenu();
    void buildViewMenu();
    void restoreSettings();
    void saveSettings();
    void reportError(const QString& what, const QString& message);
    /// The parts bar above the live strip: what the lesson runs, or the session's parts.
    void refreshPartsBar();
    void onRun();

    Options m_options;
    Theme m_theme = Theme::light();
    Environment m_environment;
    DialogMemory m_dialogs;
    UserCodeConsent m_consent;  // the user's own code runs only once they said yes

    ExperimentPanel* m_panel = nullptr;
    LessonsPanel* m_lessons = nullptr;
    PartsBar* m_partsBar = nullptr;
    /// Every chart and the table: they take a live run's events and a reopened part's alike.
    RunViews* m_views = nullptr;
    SessionDocument* m_document = nullptr;
    RunController* m_runs = nullptr;
    LessonController* m_lesson = nullptr;
    FileOpener* m_opener = nullptr;
    ExportActions* m_exports = nullptr;
    std::unique_ptr<WindowPrinter> m_printer;

    QPushButton* m_ipcButton = nullptr;
    std::map<QString, QDockWidget*> m_docks;  // by chart slug, and "table"
    QPointer<Chart> m_currentChart;
    bool m_layoutRestored = false;
    QByteArray m_defaultState;  // the dock arrangement as built, for View › Reset layout
};

}  // namespace coreduel::ui
