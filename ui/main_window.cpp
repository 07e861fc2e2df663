// MainWindow: building the window (docks, menus), the theme, settings and closing. The run
// session, the files and the lessons are in main_window_run/_files/_lessons.cpp.
#include "ui/main_window.h"

#include <qcustomplot.h>

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDockWidget>
#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QScreen>
#include <QScrollArea>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QVBoxLayout>

#include "core/report/schema.h"
#include "core/workloads/params.h"
#include "ui/experiment_panel.h"
#include "ui/lessons_panel.h"
#include "ui/plots/breakdown_chart.h"
#include "ui/plots/core_heat_chart.h"
#include "ui/plots/ipc_chart.h"
#include "ui/plots/resources_chart.h"
#include "ui/plots/speedup_chart.h"
#include "ui/plots/timeline_chart.h"
#include "ui/presentation_window.h"
#include "ui/recent_sessions_menu.h"
#include "ui/results_model.h"
#include "ui/results_table_view.h"
#include "ui/run_views.h"

namespace coreduel::ui {

MainWindow::MainWindow(Options options, QWidget* parent)
    : QMainWindow(parent), m_options(std::move(options)), m_environment(probeEnvironment()) {
    m_recordPath = m_options.sessionPath.isEmpty() ? defaultRecordPath(m_options.persistSettings)
                                                   : m_options.sessionPath;
    QString historyDir = m_options.historyDir;
    if (historyDir.isEmpty() && m_options.persistSettings && m_options.sessionPath.isEmpty())
        historyDir = QStandardPaths::writableLocation(QStandardPaths::CacheLocation) +
                     QStringLiteral("/sessions");
    if (!historyDir.isEmpty()) m_history.emplace(historyDir);
    m_dialogs = DialogMemory(m_options.persistSettings);
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
    buildMenus();
    connectBridge();
    m_stallLabel = new QLabel(this);
    m_stallLabel->setToolTip(
        tr("How late a 10 ms timer on the GUI thread fired at worst since "
           "the last run started: the longest the window was unresponsive."));
    statusBar()->addPermanentWidget(m_stallLabel);
    auto* stallTimer = new QTimer(this);
    connect(stallTimer, &QTimer::timeout, this, &MainWindow::updateStallLabel);
    stallTimer->start(500);
    m_defaultState = saveState();
    fitToScreen(availableArea());
    if (m_options.persistSettings) restoreSettings();
    if (!m_options.theme.isEmpty())
        setThemeByName(m_options.theme);
    else if (!m_options.persistSettings)
        setThemeByName(QStringLiteral("light"));
}

// Nothing waits here: the bridge, the IPC lab and m_pythonJobs abandon their jobs (stop flags
// set); the threads wind down and are reaped without a join on this thread.
MainWindow::~MainWindow() {
    // A scripted or test window's per-process session file goes with it (the user's cache file
    // stays: it is what File › Open finds after a crash). An engine thread still writing to it
    // keeps writing to the unlinked file until it ends.
    if (!m_options.persistSettings && m_options.sessionPath.isEmpty()) QFile::remove(m_recordPath);
}

void MainWindow::buildDocks() {
    // The panel scrolls its own fields and keeps Run/Stop and the status in view.
    m_panel = new ExperimentPanel;
    auto* panelDock = new QDockWidget(tr("Experiment"), this);
    panelDock->setObjectName(QStringLiteral("dock-experiment"));
    panelDock->setWidget(m_panel);
    addDockWidget(Qt::LeftDockWidgetArea, panelDock);
    m_docks[QStringLiteral("experiment")] = panelDock;

    m_lessons = new LessonsPanel(nullptr, m_options.persistSettings);
    auto* lessonsDock = new QDockWidget(tr("Lessons"), this);
    lessonsDock->setObjectName(QStringLiteral("dock-lessons"));
    lessonsDock->setWidget(m_lessons);
    addDockWidget(Qt::LeftDockWidgetArea, lessonsDock);
    tabifyDockWidget(panelDock, lessonsDock);
    panelDock->raise();
    m_docks[QStringLiteral("lessons")] = lessonsDock;
    connect(m_lessons, &LessonsPanel::runRequested, this, &MainWindow::runLesson);
    connect(m_lessons, &LessonsPanel::presentRequested, this, &MainWindow::present);
    connect(m_lessons, &LessonsPanel::handoutRequested, this, [this] {
        saveTo(tr("Save handout"), QStringLiteral("handout.pdf"), tr("PDF (*.pdf)"),
               [this](const QString& path) { exportHandout(path); });
    });

    m_views = new RunViews(this);
    auto* centre = new QWidget;
    auto* centreLayout = new QVBoxLayout(centre);
    centreLayout->setContentsMargins(0, 0, 0, 0);
    centreLayout->setSpacing(0);
    // A lesson's session has a part per experiment; every chart shows one part at a time.
    m_partsBar = new QWidget;
    m_partsBar->setObjectName(QStringLiteral("parts-bar"));
    auto* partsLayout = new QHBoxLayout(m_partsBar);
    partsLayout->setContentsMargins(8, 3, 8, 3);
    m_partsLabel = new QLabel(tr("Lesson part:"));
    m_partPicker = new QComboBox;
    m_partPicker->setObjectName(QStringLiteral("part-picker"));
    // Narrower than its longest label when the window is: the current text is elided, the
    // list shows every label whole.
    m_partPicker->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_partPicker->setMinimumContentsLength(16);
    m_partsLabel->setBuddy(m_partPicker);
    partsLayout->addWidget(m_partsLabel);
    partsLayout->addWidget(m_partPicker, 1);
    connect(m_partPicker, &QComboBox::activated, this, [this](int index) { showPart(index); });
    m_partsBar->hide();
    centreLayout->addWidget(m_partsBar);
    centreLayout->addWidget(m_views->warningsStrip());
    centreLayout->addWidget(m_views->heat(), 1);
    setCentralWidget(centre);
    m_currentChart = m_views->heat();

    auto dock = [this](const QString& slug, const QString& title, QWidget* w,
                       Qt::DockWidgetArea area) {
        auto* d = new QDockWidget(title, this);
        d->setObjectName(QStringLiteral("dock-") + slug);
        d->setWidget(w);
        // On the title bar only: a chart answers tooltip requests itself (its values).
        d->setToolTip(tr("Double-click the title to float and enlarge"));
        addDockWidget(area, d);
        m_docks[slug] = d;
        return d;
    };

    auto* timelineDock = dock(QStringLiteral("timeline"), tr("Worker timeline"),
                              m_views->timelineBox(), Qt::BottomDockWidgetArea);
    auto* speedupDock =
        dock(QStringLiteral("speedup"), tr("Speedup"), m_views->speedup(), Qt::RightDockWidgetArea);
    auto* breakdownDock = dock(QStringLiteral("breakdown"), tr("Where the time went"),
                               m_views->breakdown(), Qt::RightDockWidgetArea);
    auto* resourcesDock = dock(QStringLiteral("resources"), tr("Wall/CPU/memory"),
                               m_views->resources(), Qt::RightDockWidgetArea);
    auto* ipcBox = new QWidget;
    auto* ipcLayout = new QVBoxLayout(ipcBox);
    ipcLayout->setContentsMargins(0, 0, 0, 0);
    auto* ipcButton = new QPushButton(tr("Run IPC lab"));
    ipcButton->setObjectName(QStringLiteral("ipc-lab-button"));
    m_ipcButton = ipcButton;
    ipcButton->setToolTip(
        tr("Round trips from 8 B to 4 MiB over pipe, Unix socket, message "
           "queue and shared memory with an echo process, plus two "
           "in-process baselines (~5 s)."));
    connect(ipcButton, &QPushButton::clicked, this, [this] {
        // While the lab runs the button is its Stop.
        if (m_ipcLab.running())
            m_ipcLab.stop();
        else
            runIpcLab();
    });
    ipcLayout->addWidget(ipcButton);
    ipcLayout->addWidget(m_views->ipc(), 1);
    auto* ipcDock = dock(QStringLiteral("ipc"), tr("IPC lab"), ipcBox, Qt::RightDockWidgetArea);

    auto* tableDock =
        dock(QStringLiteral("table"), tr("Results"), m_views->table(), Qt::BottomDockWidgetArea);

    tabifyDockWidget(speedupDock, breakdownDock);
    tabifyDockWidget(breakdownDock, resourcesDock);
    tabifyDockWidget(resourcesDock, ipcDock);
    tabifyDockWidget(timelineDock, tableDock);
    speedupDock->raise();
    timelineDock->raise();
    // The chart the user is looking at: the one pointed at, clicked or scrolled last.
    for (Chart* c : charts()) c->installEventFilter(this);
    connect(m_panel, &ExperimentPanel::runRequested, this, &MainWindow::onRun);
    connect(m_panel, &ExperimentPanel::stopRequested, this, &MainWindow::stop);
    connect(&m_ipcLab, &IpcLabRunner::measured, this, &MainWindow::ipcLabMeasured);
    connect(&m_ipcLab, &IpcLabRunner::finished, this, &MainWindow::ipcLabFinished);
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
    resizeDocks({m_docks[QStringLiteral("timeline")]}, {h * 52 / 100}, Qt::Vertical);
}

bool MainWindow::eventFilter(QObject* watched, QEvent* event) {
    switch (event->type()) {
        case QEvent::Enter:
        case QEvent::MouseButtonPress:
        case QEvent::Wheel:
        case QEvent::FocusIn:
            if (auto* c = qobject_cast<Chart*>(watched)) m_currentChart = c;
            break;
        default:
            break;
    }
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

void MainWindow::buildFileMenu() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Open experiment, result or session…"), QKeySequence::Open, this,
                    &MainWindow::onOpen);
    file->addAction(tr("Save &experiment…"), QKeySequence(QStringLiteral("Ctrl+Shift+S")), this,
                    &MainWindow::onSaveExperiment);
    // Ctrl+S keeps everything (the session: every event, sample and part); the result file
    // (numbers only) is the lesser save.
    file->addAction(tr("&Save session (everything, to reopen)…"), QKeySequence::Save, this,
                    &MainWindow::onSaveSession);
    file->addAction(tr("Save &result (numbers only)…"), QKeySequence(QStringLiteral("Ctrl+Alt+S")),
                    this, &MainWindow::onSaveResult);
    if (m_history) {
        auto* recent = new RecentSessionsMenu(
            *m_history, [this] { return m_sessionFile; }, this);
        connect(recent, &RecentSessionsMenu::openRequested, this,
                [this](const QString& path) { openFile(path, openErrorReporter()); });
        file->addMenu(recent);
    }
    file->addSeparator();
    file->addAction(tr("Load &baseline result or session…"), this, &MainWindow::onLoadBaseline);
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
                   this, &MainWindow::onExportChart);
    exp->addAction(tr("&All charts to a folder…"), this, &MainWindow::onExportAllCharts);
    exp->addAction(tr("&Table (CSV, JSON)…"), this, &MainWindow::onExportTable);
    exp->addAction(tr("T&race for Perfetto (JSON)…"), this, &MainWindow::onExportTrace);
    exp->addAction(tr("&Report (PDF, HTML)…"), QKeySequence(QStringLiteral("Ctrl+Shift+E")), this,
                   &MainWindow::onExportReport);

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

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&Keyboard shortcuts"), this, [this] {
        QStringList rows;
        for (QAction* menu : menuBar()->actions()) {
            if (menu->menu() == nullptr) continue;
            for (QAction* a : menu->menu()->actions()) {
                if (a->shortcut().isEmpty()) continue;
                rows << QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>")
                            .arg(a->shortcut().toString(QKeySequence::NativeText).toHtmlEscaped(),
                                 a->text().remove(QLatin1Char('&')).toHtmlEscaped());
            }
        }
        QMessageBox::information(
            this, tr("Keyboard shortcuts"),
            QStringLiteral("<table cellspacing=6>%1</table>").arg(rows.join(QString())));
    });
    help->addAction(tr("&About CoreDuel"), this, &MainWindow::onAbout);
}

std::vector<Chart*> MainWindow::charts() const {
    return m_views->charts();
}

Chart* MainWindow::chart(const QString& slug) const {
    for (Chart* c : charts()) {
        if (c->slug() == slug) return c;
    }
    return nullptr;
}

void MainWindow::showChart(const QString& slug) {
    auto it = m_docks.find(slug);
    if (it == m_docks.end()) return;
    it->second->show();
    it->second->raise();
    if (Chart* c = chart(slug)) m_currentChart = c;
}

void MainWindow::setThemeByName(const QString& name) {
    m_theme = Theme::byName(name);
    if (auto* app = qobject_cast<QApplication*>(QCoreApplication::instance()))
        applyTheme(*app, m_theme);
    for (Chart* c : charts()) c->setTheme(m_theme);
    if (auto* a = findChild<QAction*>(QStringLiteral("theme-") + m_theme.name)) a->setChecked(true);
    if (m_options.persistSettings) QSettings().setValue(QStringLiteral("theme"), m_theme.name);
}

void MainWindow::onAbout() {
    QMessageBox::about(
        this, tr("About CoreDuel"),
        tr("<h3>CoreDuel %1</h3><p>The same workload as sequential code, threads, threads behind "
           "a simulated GIL, and worker processes — measured, verified and compared.</p>"
           "<p>Qt %2 (built with %3)<br>QCustomPlot %4<br>Compiler: %5</p>")
            .arg(QStringLiteral(COREDUEL_VERSION), QString::fromLatin1(qVersion()),
                 QStringLiteral(QT_VERSION_STR), QStringLiteral(QCUSTOMPLOT_VERSION_STR),
                 QString::fromStdString(m_environment.compiler)));
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
    const QString saved = s.value(QStringLiteral("experiment")).toString();
    if (!saved.isEmpty()) {
        try {
            m_panel->setExperiment(
                experimentFromJson(nlohmann::json::parse(saved.toStdString()), "saved settings"));
        } catch (const std::exception&) {
            // A setting from an older version: the defaults are a fine start.
        }
    }
}

void MainWindow::saveSettings() {
    QSettings s;
    s.setValue(QStringLiteral("geometry"), saveGeometry());
    s.setValue(QStringLiteral("windowState"), saveState());
    s.setValue(QStringLiteral("theme"), m_theme.name);
    try {
        s.setValue(QStringLiteral("experiment"),
                   QString::fromStdString(toJson(m_panel->experiment()).dump()));
    } catch (const std::exception&) {
        // An invalid panel is not worth remembering.
    }
}

bool MainWindow::mayQuit() {
    if (!m_options.confirmQuit || !m_unsavedRun || m_sessionFile.isEmpty()) return true;
    const auto answer = QMessageBox::question(
        this, tr("Quit CoreDuel"),
        tr("The last run's session (every event, sample and part) is not saved: the next "
           "start of CoreDuel overwrites it. Save it before quitting?"),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Discard) return true;
    if (answer != QMessageBox::Save) return false;
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Save session"),
        m_dialogs.path(QStringLiteral("save"), QStringLiteral("session.coreduel")),
        tr("CoreDuel sessions (*.coreduel)"));
    if (path.isEmpty()) return false;
    try {
        saveSession(path);
        return true;
    } catch (const std::exception& e) {
        reportError(tr("Could not save the session"), QString::fromStdString(e.what()));
        return false;
    }
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (!mayQuit()) {
        event->ignore();
        return;
    }
    if (m_options.persistSettings) saveSettings();
    m_bridge.cancel();
    m_ipcLab.stop();
    if (m_pythonJob != 0) m_pythonJobs.cancel(m_pythonJob);
    event->accept();
}

}  // namespace coreduel::ui
