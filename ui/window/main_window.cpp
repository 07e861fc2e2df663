// MainWindow: the docks, the menus and their actions, the theme, settings and closing. The
// work behind the actions is done by the parts listed in main_window.h.
#include "ui/window/main_window.h"

#include <qcustomplot.h>

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QBuffer>
#include <QCloseEvent>
#include <QDockWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QScreen>
#include <QSettings>
#include <QStatusBar>
#include <QVBoxLayout>
#include <memory>

#include "core/lessons/lesson.h"
#include "ui/export/exporter.h"
#include "ui/live/run_views.h"
#include "ui/panels/experiment_panel.h"
#include "ui/panels/lessons_panel.h"
#include "ui/panels/presentation_window.h"
#include "ui/plots/breakdown_chart.h"
#include "ui/plots/core_heat_chart.h"
#include "ui/plots/ipc_chart.h"
#include "ui/plots/resources_chart.h"
#include "ui/plots/speedup_chart.h"
#include "ui/window/export_actions.h"
#include "ui/window/file_opener.h"
#include "ui/window/help_dialogs.h"
#include "ui/window/lesson_controller.h"
#include "ui/window/parts_bar.h"
#include "ui/window/recent_sessions_menu.h"
#include "ui/window/run_controller.h"
#include "ui/window/session_document.h"
#include "ui/window/session_text.h"
#include "ui/window/stall_label.h"

namespace coreduel::ui {

MainWindow::MainWindow(Options options, QWidget* parent)
    : QMainWindow(parent),
      m_options(std::move(options)),
      m_environment(probeEnvironment()),
      m_dialogs(m_options.persistSettings) {
    m_document = SessionDocument::forWindow(m_options.persistSettings, m_options.sessionPath,
                                            m_options.historyDir, this);
    setWindowTitle(QStringLiteral("CoreDuel"));
    setWindowIcon(QIcon::fromTheme(QStringLiteral("coreduel"),
                                   QIcon(QStringLiteral(":/coreduel/coreduel.svg"))));
    setAcceptDrops(true);
    setDockOptions(AnimatedDocks | AllowTabbedDocks | AllowNestedDocks);
    // The panel and the right-hand charts run the full height; the timeline sits under the
    // live strip only, so no column is squeezed to a sliver on a 768-pixel screen.
    setCorner(Qt::BottomLeftCorner, Qt::LeftDockWidgetArea);
    setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);
    buildDocks();
    buildParts();
    connectParts();
    buildMenus();
    auto* stall = new StallLabel(*m_runs, this);
    statusBar()->addPermanentWidget(stall);
    // A message longer than the room left of the stall label is cut with "…" (whole in the
    // tooltip) instead of running into the label, as a session's long summary did at 1366.
    auto shortened = std::make_shared<QString>();  // the cut message this shows itself
    connect(statusBar(), &QStatusBar::messageChanged, this,
            [this, stall, shortened](const QString& text) {
                if (!text.isEmpty() && text == *shortened) return;
                const int room = stall->x() - 18;  // the bar's own 6 px inset, and a gap
                const QString fitted =
                    statusBar()->fontMetrics().elidedText(text, Qt::ElideRight, room);
                const bool cut = room > 0 && fitted != text;
                statusBar()->setToolTip(cut ? text : QString());
                *shortened = cut ? fitted : QString();
                if (cut) statusBar()->showMessage(fitted);
            });
    m_defaultState = saveState();
    fitToScreen(availableArea());
    if (m_options.persistSettings) restoreSettings();
    if (!m_options.theme.isEmpty())
        setThemeByName(m_options.theme);
    else if (!m_options.persistSettings)
        setThemeByName(QStringLiteral("light"));
}

void MainWindow::buildDocks() {
    // The panel scrolls its own fields and keeps Run/Stop and the status in view.
    m_panel = new ExperimentPanel;
    m_lessons = new LessonsPanel(nullptr, m_options.persistSettings);
    QDockWidget* panelDock =
        addDock(QStringLiteral("experiment"), tr("Experiment"), m_panel, Qt::LeftDockWidgetArea);
    tabifyDockWidget(panelDock, addDock(QStringLiteral("lessons"), tr("Lessons"), m_lessons,
                                        Qt::LeftDockWidgetArea));
    panelDock->raise();

    m_views = new RunViews(this);
    auto* centre = new QWidget;
    auto* centreLayout = new QVBoxLayout(centre);
    centreLayout->setContentsMargins(0, 0, 0, 0);
    centreLayout->setSpacing(0);
    // A lesson's session has a part per experiment; every chart shows one part at a time.
    m_partsBar = new PartsBar;
    connect(m_partsBar, &PartsBar::partPicked, this, &MainWindow::showPart);
    centreLayout->addWidget(m_partsBar);
    centreLayout->addWidget(m_views->warningsStrip());
    centreLayout->addWidget(m_views->heat(), 1);
    setCentralWidget(centre);
    m_currentChart = m_views->heat();

    auto* timelineDock = addDock(QStringLiteral("timeline"), tr("Worker timeline"),
                                 m_views->timelineBox(), Qt::BottomDockWidgetArea);
    auto* speedupDock = addDock(QStringLiteral("speedup"), tr("Speedup"), m_views->speedup(),
                                Qt::RightDockWidgetArea);
    auto* breakdownDock = addDock(QStringLiteral("breakdown"), tr("Where the time went"),
                                  m_views->breakdown(), Qt::RightDockWidgetArea);
    auto* resourcesDock = addDock(QStringLiteral("resources"), tr("Wall/CPU/memory"),
                                  m_views->resources(), Qt::RightDockWidgetArea);
    buildIpcDock();
    auto* tableDock =
        addDock(QStringLiteral("table"), tr("Results"), m_views->table(), Qt::BottomDockWidgetArea);
    tabifyDockWidget(speedupDock, breakdownDock);
    tabifyDockWidget(breakdownDock, resourcesDock);
    tabifyDockWidget(resourcesDock, m_docks[QStringLiteral("ipc")]);
    tabifyDockWidget(timelineDock, tableDock);
    speedupDock->raise();
    timelineDock->raise();
    // The chart the user is looking at: the one pointed at, clicked or scrolled last.
    for (Chart* c : charts()) c->installEventFilter(this);
}

QDockWidget* MainWindow::addDock(const QString& slug, const QString& title, QWidget* widget,
                                 Qt::DockWidgetArea area) {
    auto* d = new QDockWidget(title, this);
    d->setObjectName(QStringLiteral("dock-") + slug);
    d->setWidget(widget);
    // On the title bar only: a chart answers tooltip requests itself (its values).
    if (area != Qt::LeftDockWidgetArea)
        d->setToolTip(tr("Double-click the title to float and enlarge"));
    addDockWidget(area, d);
    m_docks[slug] = d;
    return d;
}

void MainWindow::buildIpcDock() {
    auto* box = new QWidget;
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    m_ipcButton = new QPushButton(tr("Run IPC lab"));
    m_ipcButton->setObjectName(QStringLiteral("ipc-lab-button"));
    m_ipcButton->setToolTip(
        tr("Round trips from 8 B to 4 MiB over pipe, Unix socket, message "
           "queue and shared memory with an echo process, plus two "
           "in-process baselines (~5 s)."));
    connect(m_ipcButton, &QPushButton::clicked, this, [this] {
        // While the lab runs the button is its Stop.
        if (m_runs->ipcLabRunning())
            m_runs->stopIpcLab();
        else
            runIpcLab();
    });
    layout->addWidget(m_ipcButton);
    layout->addWidget(m_views->ipc(), 1);
    addDock(QStringLiteral("ipc"), tr("IPC lab"), box, Qt::RightDockWidgetArea);
}

void MainWindow::buildParts() {
    m_runs = new RunController({m_options.measuringRefreshMs, m_options.persistSettings}, *m_views,
                               *m_panel, *m_document, m_environment, this);
    m_lesson = new LessonController(
        {*m_runs, *m_document, *m_views, *m_lessons, *m_panel, m_consent, m_environment, *this},
        this);
    m_opener = new FileOpener(
        {*m_views, *m_panel, *m_document, *m_runs, *m_lessons, *m_lesson, m_dialogs, *this}, this);
    m_printer = std::make_unique<WindowPrinter>(
        *m_views, *m_document, [this](int part) { showPart(part); }, [this] { return m_theme; });
    m_exports = new ExportActions(
        {*m_views, *m_panel, *m_document, m_dialogs, *this, [this] { return currentChart(); },
         [this](const QString& path) { exportReport(path); },
         [this](const QString& path) { exportHandout(path); }},
        this);
}

void MainWindow::connectParts() {
    auto status = [this](const QString& text) {
        if (text.isEmpty())
            statusBar()->clearMessage();
        else
            statusBar()->showMessage(text);
    };
    connect(m_panel, &ExperimentPanel::runRequested, this, &MainWindow::onRun);
    connect(m_panel, &ExperimentPanel::stopRequested, this, &MainWindow::stop);
    connect(m_lessons, &LessonsPanel::runRequested, this, &MainWindow::runLesson);
    connect(m_lessons, &LessonsPanel::presentRequested, this, &MainWindow::present);
    connect(m_lessons, &LessonsPanel::handoutRequested, m_exports, &ExportActions::exportHandout);

    connect(m_runs, &RunController::message, this, status);
    connect(m_runs, &RunController::started, this, &MainWindow::refreshPartsBar);
    connect(m_runs, &RunController::experimentDone, this, &MainWindow::experimentDone);
    connect(m_runs, &RunController::ipcLabDone, this, &MainWindow::ipcLabDone);
    connect(m_runs, &RunController::ipcLabRunningChanged, this, [this](bool running) {
        m_ipcButton->setText(running ? tr("Stop IPC lab") : tr("Run IPC lab"));
        if (running) showChart(QStringLiteral("ipc"));
    });

    connect(m_lesson, &LessonController::message, this, status);
    connect(m_lesson, &LessonController::showChartWanted, this, &MainWindow::showChart);
    connect(m_lesson, &LessonController::partsChanged, this, &MainWindow::refreshPartsBar);
    connect(m_lesson, &LessonController::partWanted, this, &MainWindow::showPart);
    connect(m_lesson, &LessonController::lessonDone, this, &MainWindow::lessonDone);

    connect(m_opener, &FileOpener::message, this, status);
    connect(m_opener, &FileOpener::failed, this, &MainWindow::reportError);
    connect(m_opener, &FileOpener::showChartWanted, this, &MainWindow::showChart);
    connect(m_opener, &FileOpener::partsChanged, this, &MainWindow::refreshPartsBar);
    connect(m_exports, &ExportActions::message, this, status);
    connect(m_exports, &ExportActions::failed, this, &MainWindow::reportError);
}

QRect MainWindow::availableArea() const {
    QScreen* s = screen() != nullptr ? screen() : QGuiApplication::primaryScreen();
    return s != nullptr ? s->availableGeometry() : QRect(0, 0, 1366, 728);
}

void MainWindow::fitToScreen(const QRect& available) {
    // The window manager's frame: known once shown, else a typical title bar and border.
    QSize frame = frameGeometry().size() - geometry().size();
    if (!isVisible() || frame.isEmpty()) frame = QSize(4, 32);
    QSize size = available.size() - frame;
    // On a large screen leave some of the desktop around the window; a small one it fills.
    if (available.width() > 1600)
        size.setWidth(std::min(size.width(), available.width() * 92 / 100));
    if (available.height() > 1000)
        size.setHeight(std::min(size.height(), available.height() * 92 / 100));
    const QPoint topLeft =
        available.topLeft() + QPoint((available.width() - size.width() - frame.width()) / 2,
                                     (available.height() - size.height() - frame.height()) / 2);
    setGeometry(
        QRect(topLeft + QPoint(frame.width() / 2, frame.height() - frame.width() / 2), size));
    m_layoutRestored = false;
    proportionDocks();
    // Dock sizes apply once the window is laid out: again after the events that lay it out.
    QTimer::singleShot(0, this, [this] {
        if (!m_layoutRestored) proportionDocks();
    });
}

void MainWindow::proportionDocks() {
    const int w = width();
    const int h = height();
    // The panel as narrow as its content allows; the charts share the rest: the right-hand
    // docks (speedup, breakdown, resources, IPC) as wide as the live strip in the middle.
    const int panel = std::clamp(w * 22 / 100, 330, 420);
    const int right = (w - panel) / 2;
    resizeDocks({m_docks[QStringLiteral("experiment")], m_docks[QStringLiteral("speedup")]},
                {panel, right}, Qt::Horizontal);
    // On a laptop's or projector's 768 lines the per-core strip above the timeline shares its
    // column with a lesson's part bar and the warnings: the timeline leaves it a bit more.
    resizeDocks({m_docks[QStringLiteral("timeline")]}, {h * (h < 800 ? 46 : 52) / 100},
                Qt::Vertical);
}

bool MainWindow::eventFilter(QObject* watched, QEvent* event) {
    const QEvent::Type t = event->type();
    const bool looked = t == QEvent::Enter || t == QEvent::MouseButtonPress || t == QEvent::Wheel ||
                        t == QEvent::FocusIn;
    if (auto* c = qobject_cast<Chart*>(watched); looked && c != nullptr) m_currentChart = c;
    return QMainWindow::eventFilter(watched, event);
}

Chart* MainWindow::currentChart() const {
    if (m_currentChart && m_currentChart->isVisible()) return m_currentChart;
    // Else the chart under the pointer, else the first visible one (the live strip first).
    for (Chart* c : charts()) {
        if (c->isVisible() && c->rect().contains(c->mapFromGlobal(QCursor::pos()))) return c;
    }
    for (Chart* c : charts()) {
        if (c->isVisible()) return c;
    }
    return m_views->heat();
}

void MainWindow::setThemeByName(const QString& name) {
    m_theme = Theme::byName(name);
    if (auto* app = qobject_cast<QApplication*>(QCoreApplication::instance()))
        applyTheme(*app, m_theme);
    for (Chart* c : charts()) c->setTheme(m_theme);
    if (auto* a = findChild<QAction*>(QStringLiteral("theme-") + m_theme.name)) a->setChecked(true);
    if (m_options.persistSettings) QSettings().setValue(QStringLiteral("theme"), m_theme.name);
}

void MainWindow::restoreSettings() {
    QSettings s;
    restoreGeometry(s.value(QStringLiteral("geometry")).toByteArray());
    m_layoutRestored = restoreState(s.value(QStringLiteral("windowState")).toByteArray());
    // A layout saved on a larger screen (or another monitor) that no longer fits: fitted again.
    const QRect available = availableArea();
    if (!available.contains(frameGeometry()) && !isMaximized() && !isFullScreen())
        fitToScreen(available);
    setThemeByName(s.value(QStringLiteral("theme"), QStringLiteral("light")).toString());
    if (auto saved = m_panel->savedExperiment()) m_panel->setExperiment(*saved);
}

void MainWindow::saveSettings() {
    QSettings s;
    s.setValue(QStringLiteral("geometry"), saveGeometry());
    s.setValue(QStringLiteral("windowState"), saveState());
    s.setValue(QStringLiteral("theme"), m_theme.name);
    m_panel->rememberExperiment();
}

void MainWindow::buildFileMenu() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Open experiment, result or session…"), QKeySequence::Open, m_opener,
                    &FileOpener::openWithDialog);
    file->addAction(tr("Save &experiment…"), QKeySequence(QStringLiteral("Ctrl+Shift+S")),
                    m_exports, &ExportActions::saveExperiment);
    // Ctrl+S keeps everything (the session: every event, sample and part); the result file
    // (numbers only) is the lesser save.
    file->addAction(tr("&Save session (everything, to reopen)…"), QKeySequence::Save, m_exports,
                    &ExportActions::saveSession);
    file->addAction(tr("Save &result (numbers only)…"), QKeySequence(QStringLiteral("Ctrl+Alt+S")),
                    m_exports, &ExportActions::saveResult);
    if (SessionHistory* history = m_document->history()) {
        auto* recent = new RecentSessionsMenu(
            *history, [this] { return m_document->file(); }, this);
        connect(recent, &RecentSessionsMenu::openRequested, this,
                [this](const QString& path) { openFile(path, m_opener->errorReporter()); });
        file->addMenu(recent);
    }
    file->addSeparator();
    file->addAction(tr("Load &baseline result or session…"), m_opener,
                    &FileOpener::loadBaselineWithDialog);
    file->addAction(tr("&Clear baseline"), this, [this] { setBaseline(std::nullopt); });
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);
}

void MainWindow::buildMenus() {
    buildFileMenu();

    QMenu* run = menuBar()->addMenu(tr("&Run"));
    run->addAction(tr("&Run experiment"), QKeySequence(QStringLiteral("Ctrl+R")), this,
                   &MainWindow::onRun);
    QAction* stopAction = run->addAction(tr("&Stop"), this, &MainWindow::stop);
    stopAction->setShortcut(QKeySequence(Qt::Key_Escape));
    // Window, not application, context: in presentation mode Esc must leave the presentation.
    stopAction->setShortcutContext(Qt::WindowShortcut);
    run->addAction(tr("Run &IPC lab"), this, [this] { runIpcLab(); });
    run->addAction(tr("Run the selected &lesson"), this, &MainWindow::runLesson);
    QAction* presentAction = run->addAction(tr("&Present the lesson"), this, &MainWindow::present);
    presentAction->setShortcut(QKeySequence(Qt::Key_F5));

    QMenu* exp = menuBar()->addMenu(tr("&Export"));
    exp->addAction(tr("Current &chart (PNG, PDF, SVG)…"), QKeySequence(QStringLiteral("Ctrl+E")),
                   m_exports, &ExportActions::exportChart);
    exp->addAction(tr("&All charts to a folder…"), m_exports, &ExportActions::exportAllCharts);
    exp->addAction(tr("&Table (CSV, JSON)…"), m_exports, &ExportActions::exportTable);
    exp->addAction(tr("T&race for Perfetto (JSON)…"), m_exports, &ExportActions::exportTrace);
    exp->addAction(tr("&Report (PDF, HTML)…"), QKeySequence(QStringLiteral("Ctrl+Shift+E")),
                   m_exports, &ExportActions::exportReport);

    buildViewMenu();

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&Keyboard shortcuts"), this,
                    [this] { showShortcutsDialog(*menuBar(), this); });
    help->addAction(tr("&About CoreDuel"), this,
                    [this] { showAboutDialog(m_environment.compiler, this); });
}

void MainWindow::buildViewMenu() {
    QMenu* view = menuBar()->addMenu(tr("&View"));
    for (const auto& [slug, dock] : m_docks) view->addAction(dock->toggleViewAction());
    view->addSeparator();
    auto* themes = new QActionGroup(this);
    for (const QString& name : {QStringLiteral("light"), QStringLiteral("dark")}) {
        QAction* a =
            view->addAction(tr("%1 theme").arg(name), this, [this, name] { setThemeByName(name); });
        a->setCheckable(true);
        a->setObjectName(QStringLiteral("theme-") + name);
        themes->addAction(a);
    }
    view->addAction(tr("&Reset layout"), this, [this] {
        restoreState(m_defaultState);
        for (auto& [slug, dock] : m_docks) dock->show();
        showChart(QStringLiteral("speedup"));
        showChart(QStringLiteral("timeline"));
        showChart(QStringLiteral("experiment"));
        fitToScreen(availableArea());
    });
    QAction* full = view->addAction(
        tr("&Full screen"), this, [this] { setWindowState(windowState() ^ Qt::WindowFullScreen); });
    full->setShortcut(QKeySequence::FullScreen);
}

void MainWindow::refreshPartsBar() {
    // The user's own experiment: a lesson's parts shown before it are not its parts.
    if (m_runs->activity() == RunController::Activity::Experiment) {
        m_partsBar->showSession(nullptr, 0);
        return;
    }
    const Lesson* lesson = m_lessons->current();
    if (m_runs->activity() == RunController::Activity::Lesson && lesson != nullptr &&
        lesson->parts.size() > 1) {
        const auto& run = m_lesson->lessonRun();
        m_partsBar->showRunning(*lesson, run ? run->results().size() : 0);
        return;
    }
    m_partsBar->showSession(m_document->session().get(), m_document->shownPart());
}

void MainWindow::showPart(int index) {
    const std::shared_ptr<Session>& session = m_document->session();
    if (!session || index < 0 || index >= partCount() || m_runs->chartsLive()) return;
    const SessionPart& part = session->parts[static_cast<std::size_t>(index)];
    if (index != m_document->shownPart()) {
        m_document->setShownPart(index);
        m_views->replay(part);
    }
    m_partsBar->setCurrent(index);
    statusBar()->showMessage(
        tr("Part %1: %2 runs, %3 task events.")
            .arg(partTitle(part, static_cast<std::size_t>(index), session->plannedParts))
            .arg(part.result.runs.size())
            .arg(part.taskEvents));
}

void MainWindow::showChart(const QString& slug) {
    auto it = m_docks.find(slug);
    if (it == m_docks.end()) return;
    it->second->show();
    it->second->raise();
    if (Chart* c = chart(slug)) m_currentChart = c;
}

QString MainWindow::statusText() const {
    return m_panel->status();
}

void MainWindow::runIpcLab(double secondsPerPoint) {
    IpcLabOptions options;
    options.secondsPerPoint = secondsPerPoint;
    runIpcLab(options);
}

void MainWindow::exportHandout(const QString& path) {
    const Lesson* lesson = m_lessons->current();
    if (lesson == nullptr) throw ExportError("no lesson selected");
    const auto& run = m_lesson->lessonRun();
    if (!run || run->results().empty() || m_runs->activity() == RunController::Activity::Lesson)
        throw ExportError("run the lesson first: a handout quotes its numbers");
    m_printer->exportHandout(*lesson, m_lessons->outcomeText(), m_lessons->outcomePages(),
                             run->results(), path);
}

void MainWindow::onRun() {
    if (m_runs->activity() == RunController::Activity::Experiment) return;
    if (m_runs->activity() == RunController::Activity::Lesson) {
        m_panel->setStatus(tr("A lesson is running; Stop it first."));
        return;
    }
    try {
        Experiment e = m_panel->experiment();
        if (!m_consent.allowAsItIsNow(this, e)) {
            m_panel->setStatus(tr("Not run: your code was not confirmed."));
            return;
        }
        runExperiment(e);
    } catch (const std::exception& ex) {
        m_panel->setStatus(tr("Cannot run: %1").arg(QString::fromUtf8(ex.what())));
    }
}

void MainWindow::reportError(const QString& what, const QString& message) {
    statusBar()->showMessage(QStringLiteral("%1: %2").arg(what, message));
    m_panel->setStatus(QStringLiteral("%1: %2").arg(what, message));
    if (isVisible() && QGuiApplication::platformName() != QLatin1String("offscreen"))
        QMessageBox::critical(this, what, message);
}

void MainWindow::saveScreenshot(const QString& path) {
    for (Chart* c : charts()) c->replot(QCustomPlot::rpImmediateRefresh);
    // In presentation mode the audience sees the presentation window: capture that.
    PresentationWindow* shown = presentation();
    const QPixmap pixmap = shown != nullptr && shown->isVisible() ? shown->grab() : grab();
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    if (!pixmap.save(&buffer, "PNG")) throw ExportError("could not encode the screenshot");
    writeAtomically(path, bytes);
}

QStringList MainWindow::exportCharts(const QString& dir, const QString& format, QSize pixels) {
    ImageOptions options;
    options.pixels = pixels;
    return m_exports->exportChartsTo(dir, format, options).files;
}

bool MainWindow::mayQuit() {
    if (!m_options.confirmQuit) return true;
    // A run being measured is work in progress even when every part of it is recorded.
    if (m_runs->activity() != RunController::Activity::Idle) {
        const auto answer = QMessageBox::question(
            this, tr("Quit CoreDuel"),
            tr("A run is in progress. Stop it and quit? What it measured so far stays in File › "
               "Recent sessions."),
            QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
        return answer == QMessageBox::Yes;
    }
    if (!m_document->unsaved() || m_document->file().isEmpty()) return true;
    const auto answer = QMessageBox::question(
        this, tr("Quit CoreDuel"),
        tr("The last run's session (every event, sample and part) is not saved: the next "
           "start of CoreDuel overwrites it. Save it before quitting?"),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Discard) return true;
    return answer == QMessageBox::Save && m_exports->saveSessionBeforeQuit();
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (!mayQuit()) {
        event->ignore();
        return;
    }
    if (m_options.persistSettings) saveSettings();
    m_runs->abandon();
    event->accept();
}

}  // namespace coreduel::ui
