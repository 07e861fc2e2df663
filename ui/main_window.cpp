#include "ui/main_window.h"

#include <qcustomplot.h>

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPushButton>
#include <QScreen>
#include <QScrollArea>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QStatusBar>
#include <QTableView>
#include <QVBoxLayout>

#include "core/report/json_report.h"
#include "core/report/schema.h"
#include "core/report/table_report.h"
#include "core/util/clock.h"
#include "core/workloads/params.h"
#include "ui/experiment_panel.h"
#include "ui/exporter.h"
#include "ui/lessons_panel.h"
#include "ui/plots/breakdown_chart.h"
#include "ui/plots/core_heat_chart.h"
#include "ui/plots/ipc_chart.h"
#include "ui/plots/resources_chart.h"
#include "ui/plots/speedup_chart.h"
#include "ui/plots/timeline_chart.h"
#include "ui/presentation_window.h"
#include "ui/results_model.h"

namespace coreduel::ui {
namespace {

/// A table view whose Ctrl+C copies the selection as tab-separated text with headers, which
/// pastes into a spreadsheet as cells.
class CopyableTableView : public QTableView {
public:
    using QTableView::QTableView;

protected:
    void keyPressEvent(QKeyEvent* event) override {
        if (event->matches(QKeySequence::Copy)) {
            copySelection();
            return;
        }
        QTableView::keyPressEvent(event);
    }

private:
    void copySelection() {
        QModelIndexList cells = selectionModel()->selectedIndexes();
        if (cells.isEmpty()) return;
        std::sort(cells.begin(), cells.end());
        int minCol = cells.front().column(), maxCol = minCol;
        for (const QModelIndex& c : cells) {
            minCol = std::min(minCol, c.column());
            maxCol = std::max(maxCol, c.column());
        }
        QStringList lines;
        QStringList header;
        for (int c = minCol; c <= maxCol; ++c) {
            header << model()->headerData(c, Qt::Horizontal, Qt::DisplayRole).toString();
        }
        lines << header.join(QLatin1Char('\t'));
        int row = -1;
        QStringList line;
        for (const QModelIndex& c : cells) {
            if (c.row() != row) {
                if (row >= 0) lines << line.join(QLatin1Char('\t'));
                line = QStringList();
                for (int i = minCol; i <= maxCol; ++i) line << QString();
                row = c.row();
            }
            line[c.column() - minCol] = c.data(Qt::DisplayRole).toString();
        }
        lines << line.join(QLatin1Char('\t'));
        QApplication::clipboard()->setText(lines.join(QLatin1Char('\n')) + QLatin1Char('\n'));
    }
};

/// Sorts by the raw number (Qt::UserRole), not the text.
class NumericSortProxy : public QSortFilterProxyModel {
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;

protected:
    bool lessThan(const QModelIndex& a, const QModelIndex& b) const override {
        const QVariant x = a.data(Qt::UserRole);
        const QVariant y = b.data(Qt::UserRole);
        if (!x.isValid()) return y.isValid();  // blanks first
        if (!y.isValid()) return false;
        return QVariant::compare(x, y) == QPartialOrdering::Less;
    }
};

bool looksLikeResult(const nlohmann::json& j) {
    return j.is_object() && j.contains("schema") && j["schema"].is_string() &&
           j["schema"].get<std::string>() == kResultSchema;
}

}  // namespace

MainWindow::MainWindow(Options options, QWidget* parent)
    : QMainWindow(parent), m_options(std::move(options)), m_environment(probeEnvironment()) {
    setWindowTitle(QStringLiteral("CoreDuel"));
    setWindowIcon(QIcon::fromTheme(QStringLiteral("coreduel"),
                                   QIcon(QStringLiteral(":/coreduel/coreduel.svg"))));
    setAcceptDrops(true);
    setDockOptions(AnimatedDocks | AllowTabbedDocks | AllowNestedDocks);
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
    resize(1600, 1000);
    if (m_options.persistSettings) restoreSettings();
    if (!m_options.theme.isEmpty())
        setThemeByName(m_options.theme);
    else if (!m_options.persistSettings)
        setThemeByName(QStringLiteral("light"));
}

MainWindow::~MainWindow() {
    m_pythonCancel = true;  // m_pythonThread joins once the script's tree is gone
}

void MainWindow::buildDocks() {
    m_panel = new ExperimentPanel;
    auto* scroll = new QScrollArea;
    scroll->setWidget(m_panel);
    scroll->setWidgetResizable(true);
    scroll->setMinimumWidth(390);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    auto* panelDock = new QDockWidget(tr("Experiment"), this);
    panelDock->setObjectName(QStringLiteral("dock-experiment"));
    panelDock->setWidget(scroll);
    addDockWidget(Qt::LeftDockWidgetArea, panelDock);
    m_docks[QStringLiteral("experiment")] = panelDock;

    m_lessons = new LessonsPanel(nullptr, m_options.persistSettings);
    auto* lessonsScroll = new QScrollArea;
    lessonsScroll->setWidget(m_lessons);
    lessonsScroll->setWidgetResizable(true);
    lessonsScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    auto* lessonsDock = new QDockWidget(tr("Lessons"), this);
    lessonsDock->setObjectName(QStringLiteral("dock-lessons"));
    lessonsDock->setWidget(lessonsScroll);
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

    m_heat = new CoreHeatChart;
    setCentralWidget(m_heat);
    m_currentChart = m_heat;

    auto dock = [this](const QString& slug, const QString& title, QWidget* w,
                       Qt::DockWidgetArea area) {
        auto* d = new QDockWidget(title, this);
        d->setObjectName(QStringLiteral("dock-") + slug);
        d->setWidget(w);
        d->setToolTip(tr("Double-click the title to float and enlarge"));
        addDockWidget(area, d);
        m_docks[slug] = d;
        return d;
    };

    m_timeline = new TimelineChart;
    auto* timelineBox = new QWidget;
    auto* timelineLayout = new QVBoxLayout(timelineBox);
    timelineLayout->setContentsMargins(0, 0, 0, 0);
    m_runPicker = new QComboBox;
    m_runPicker->setToolTip(tr("Which run the timeline shows; \"newest\" follows the live run."));
    timelineLayout->addWidget(m_runPicker);
    timelineLayout->addWidget(m_timeline, 1);
    auto* timelineDock = dock(QStringLiteral("timeline"), tr("Worker timeline"), timelineBox,
                              Qt::BottomDockWidgetArea);
    connect(m_timeline, &TimelineChart::runsChanged, this, &MainWindow::refreshRunPicker);
    connect(m_runPicker, &QComboBox::activated, this,
            [this](int index) { m_timeline->showRun(m_runPicker->itemData(index).toInt()); });

    m_speedup = new SpeedupChart;
    auto* speedupDock =
        dock(QStringLiteral("speedup"), tr("Speedup"), m_speedup, Qt::RightDockWidgetArea);
    m_breakdown = new BreakdownChart;
    auto* breakdownDock = dock(QStringLiteral("breakdown"), tr("Where the time went"), m_breakdown,
                               Qt::RightDockWidgetArea);
    m_resources = new ResourcesChart;
    auto* resourcesDock = dock(QStringLiteral("resources"), tr("Wall/CPU/memory"), m_resources,
                               Qt::RightDockWidgetArea);
    m_ipc = new IpcChart;
    auto* ipcBox = new QWidget;
    auto* ipcLayout = new QVBoxLayout(ipcBox);
    ipcLayout->setContentsMargins(0, 0, 0, 0);
    auto* ipcButton = new QPushButton(tr("Run IPC lab"));
    ipcButton->setToolTip(
        tr("Round trips from 8 B to 4 MiB over pipe, Unix socket, message "
           "queue and shared memory with an echo process, plus two "
           "in-process baselines (~5 s)."));
    connect(ipcButton, &QPushButton::clicked, this, [this] { runIpcLab(); });
    ipcLayout->addWidget(ipcButton);
    ipcLayout->addWidget(m_ipc, 1);
    auto* ipcDock = dock(QStringLiteral("ipc"), tr("IPC lab"), ipcBox, Qt::RightDockWidgetArea);

    m_model = new ResultsModel(this);
    auto* proxy = new NumericSortProxy(this);
    proxy->setSourceModel(m_model);
    m_table = new CopyableTableView;
    m_table->setModel(proxy);
    m_table->setSortingEnabled(true);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setAlternatingRowColors(true);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->setToolTip(
        tr("Every run with its unit; hover a header for how it was measured. "
           "Ctrl+C copies the selection as tab-separated text."));
    auto* tableDock =
        dock(QStringLiteral("table"), tr("Results"), m_table, Qt::BottomDockWidgetArea);

    tabifyDockWidget(speedupDock, breakdownDock);
    tabifyDockWidget(breakdownDock, resourcesDock);
    tabifyDockWidget(resourcesDock, ipcDock);
    tabifyDockWidget(timelineDock, tableDock);
    speedupDock->raise();
    timelineDock->raise();
    // Sizes apply once the window is laid out; a saved layout (restoreState) wins over them.
    QTimer::singleShot(0, this, [this, panelDock, speedupDock, timelineDock] {
        if (m_layoutRestored) return;
        resizeDocks({panelDock, speedupDock}, {400, (width() - 400) / 2}, Qt::Horizontal);
        resizeDocks({timelineDock}, {height() * 2 / 5}, Qt::Vertical);
    });

    for (Chart* c : charts()) {
        auto it = m_docks.find(c->slug());
        if (it == m_docks.end()) continue;
        connect(it->second, &QDockWidget::visibilityChanged, this, [this, c](bool visible) {
            if (visible) m_currentChart = c;
        });
    }
    connect(m_panel, &ExperimentPanel::runRequested, this, &MainWindow::onRun);
    connect(m_panel, &ExperimentPanel::stopRequested, this, &MainWindow::stop);
    connect(&m_ipcLab, &IpcLabRunner::measured, m_ipc, &IpcChart::addMeasurement);
    connect(&m_ipcLab, &IpcLabRunner::finished, this, [this](const QString& error) {
        statusBar()->showMessage(error.isEmpty() ? tr("IPC lab finished.")
                                                 : tr("IPC lab failed: %1").arg(error));
        emit ipcLabDone(error);
    });
}

void MainWindow::buildMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Open experiment or result…"), QKeySequence::Open, this,
                    &MainWindow::onOpen);
    file->addAction(tr("Save &experiment…"), QKeySequence(QStringLiteral("Ctrl+Shift+S")), this,
                    &MainWindow::onSaveExperiment);
    file->addAction(tr("&Save result…"), QKeySequence::Save, this, &MainWindow::onSaveResult);
    file->addSeparator();
    file->addAction(tr("Load &baseline result…"), this, &MainWindow::onLoadBaseline);
    file->addAction(tr("&Clear baseline"), this, [this] { setBaseline(std::nullopt); });
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

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
    QAction* full = view->addAction(
        tr("&Full screen"), this, [this] { setWindowState(windowState() ^ Qt::WindowFullScreen); });
    full->setShortcut(QKeySequence::FullScreen);

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About CoreDuel"), this, &MainWindow::onAbout);
}

void MainWindow::connectBridge() {
    connect(&m_bridge, &EngineBridge::experimentStarted, this,
            [this](quint64, int planned) { m_plannedRuns = planned; });
    connect(&m_bridge, &EngineBridge::runStarted, this,
            [this](quint64, int run, const RunConfig& config) {
                m_runConfigs[run] = config;
                m_timeline->beginRun(run, config);
                QString label = QString::fromStdString(modelLabel(config));
                if (config.model != Model::Sequential)
                    label += QStringLiteral(" ×%1").arg(config.workers);
                m_panel->setStatus(tr("Run %1 of %2: %3%4")
                                       .arg(run + 1)
                                       .arg(m_plannedRuns)
                                       .arg(label)
                                       .arg(config.warmup ? tr(" (warm-up)") : QString()));
            });
    connect(&m_bridge, &EngineBridge::taskEvents, this,
            [this](quint64, int run, const std::vector<TaskEvent>& events) {
                m_timeline->addEvents(run, events);
                std::int64_t first = events.front().startNs, last = events.front().endNs;
                for (const TaskEvent& e : events) {
                    first = std::min(first, e.startNs);
                    last = std::max(last, e.endNs);
                }
                m_heat->addRunSpan(run, m_runConfigs[run], first, last);
            });
    connect(&m_bridge, &EngineBridge::utilization, this,
            [this](quint64, const std::vector<UtilizationSample>& samples) {
                m_heat->addSamples(samples);
            });
    connect(&m_bridge, &EngineBridge::progress, this,
            [this](quint64, int run, qint64 done, qint64 total) {
                const double within = total > 0 ? double(done) / double(total) : 0;
                const double f = m_plannedRuns > 0 ? (run + within) / m_plannedRuns : 0;
                const double elapsed = m_elapsed.elapsed() / 1000.0;
                m_panel->setProgress(run, m_plannedRuns, f, f > 0.02 ? elapsed * (1 - f) / f : -1);
            });
    connect(&m_bridge, &EngineBridge::runFinished, this, [this](quint64, int, const RunResult& r) {
        if (r.config.warmup) return;
        m_live.runs.push_back(r);
        m_model->addRun(r);
        updateLiveCharts();
    });
    connect(
        &m_bridge, &EngineBridge::experimentFinished, this,
        [this](quint64, const ExperimentResult& r) {
            if (m_stopping) m_stopLatencyMs = m_stopClock.elapsed();
            m_stopping = false;
            m_guiCpuPercent = m_elapsed.elapsed() > 0
                                  ? 100.0 * static_cast<double>(threadCpuNs() - m_guiCpuStartNs) /
                                        (m_elapsed.elapsed() * 1e6)
                                  : 0;
            m_panel->setRunning(false);
            showResult(r);
            const QString verdict = QString::fromStdString(formatVerdict(r)).trimmed();
            QString status =
                r.cancelled ? tr("Stopped after %1 s (stop took %2 ms).")
                                  .arg(m_elapsed.elapsed() / 1000.0, 0, 'f', 1)
                                  .arg(m_stopLatencyMs, 0, 'f', 0)
                            : tr("Finished in %1 s.").arg(m_elapsed.elapsed() / 1000.0, 0, 'f', 1);
            if (!r.allOk() && !r.cancelled) status += tr(" Some runs failed: see the table.");
            status += tr(" The window's own thread used %1 % of one core meanwhile (getrusage).")
                          .arg(m_guiCpuPercent, 0, 'f', 1);
            m_panel->setStatus(status + QStringLiteral("\n") + verdict);
            m_panel->setProgress(std::max(0, m_plannedRuns - 1), m_plannedRuns, r.cancelled ? 0 : 1,
                                 -1);
            updateStallLabel();
            if (m_lessonRunning) lessonPartDone(r);
            emit experimentDone(r.allOk() && !r.cancelled);
        });
    connect(&m_bridge, &EngineBridge::experimentFailed, this,
            [this](quint64, const QString& message) {
                if (m_stopping) m_stopLatencyMs = m_stopClock.elapsed();
                m_stopping = false;
                m_panel->setRunning(false);
                m_panel->setStatus(tr("Failed: %1").arg(message));
                statusBar()->showMessage(tr("Experiment failed: %1").arg(message));
                if (m_lessonRunning) failLesson(message);
                emit experimentDone(false);
            });
}

std::vector<Chart*> MainWindow::charts() const {
    return {m_heat, m_timeline, m_speedup, m_breakdown, m_resources, m_ipc};
}

Chart* MainWindow::chart(const QString& slug) const {
    for (Chart* c : charts()) {
        if (c->slug() == slug) return c;
    }
    return nullptr;
}

QString MainWindow::statusText() const {
    return m_panel->status();
}

bool MainWindow::runExperiment(const Experiment& e) {
    if (m_pythonRunning) {
        m_panel->setStatus(tr("A real-Python lesson part is running; wait for it or Stop it."));
        return false;
    }
    if (m_ipcLab.running()) {
        // Two measurements at once would skew each other.
        m_panel->setStatus(tr("The IPC lab is running; start the experiment when it is done."));
        return false;
    }
    if (e.startMethod == StartMethod::Fork) {
        // Defence in depth: the panel never offers fork, but experiments also come from
        // files and lessons. This process is multithreaded: fork without exec is unsafe here.
        m_panel->setStatus(
            tr("Cannot run: the desktop app never forks without exec (it is "
               "multithreaded). Use spawn or forkserver, or coreduel-cli for fork."));
        return false;
    }
    quint64 id = 0;
    try {
        // Reset the live views first: the bridge's first signals may follow immediately.
        m_live = ExperimentResult{};
        m_live.experiment = e;
        m_live.environment = m_environment;
        m_runConfigs.clear();
        m_plannedRuns = static_cast<int>(planRuns(e).size());
        for (Chart* c : charts()) {
            if (c != m_ipc) c->clearData();
        }
        m_model->clear();
        m_heat->setOrigin(monotonicNs());
        id = m_bridge.start(e);
    } catch (const std::exception& ex) {
        m_panel->setStatus(tr("Cannot run: %1").arg(QString::fromUtf8(ex.what())));
        return false;
    }
    Q_UNUSED(id);
    m_result.reset();
    m_stopping = false;
    m_stopLatencyMs = -1;
    m_elapsed.start();
    m_guiCpuStartNs = threadCpuNs();
    m_stall.reset();
    m_panel->setRunning(true);
    m_panel->setStatus(tr("Starting %1 runs…").arg(m_plannedRuns));
    if (m_options.persistSettings) {
        QSettings().setValue(QStringLiteral("experiment"),
                             QString::fromStdString(toJson(e).dump()));
    }
    return true;
}

void MainWindow::onRun() {
    if (m_bridge.running()) return;
    if (m_lessonRunning) {
        m_panel->setStatus(tr("A lesson is running; Stop it first."));
        return;
    }
    try {
        runExperiment(m_panel->experiment());
    } catch (const std::exception& ex) {
        m_panel->setStatus(tr("Cannot run: %1").arg(QString::fromUtf8(ex.what())));
    }
}

void MainWindow::stop() {
    if (m_ipcLab.running()) m_ipcLab.stop();
    if (m_pythonRunning) m_pythonCancel = true;  // the profiler kills the script's tree
    if (!m_bridge.running() || m_stopping) return;
    m_stopping = true;
    m_stopClock.start();
    m_bridge.cancel();
    m_panel->setStatus(tr("Stopping…"));
}

void MainWindow::updateLiveCharts() {
    // The analysis of the runs so far: the speedup curve grows point by point.
    m_live.analysis = analyze(m_live);
    m_speedup->setResult(m_live);
    m_breakdown->setRuns(m_live.runs);
    m_resources->setRuns(m_live.runs);
}

void MainWindow::showResult(const ExperimentResult& r) {
    m_result = r;
    m_live = r;
    m_speedup->setResult(r);
    m_breakdown->setRuns(r.runs);
    m_resources->setRuns(r.runs);
    m_model->setRuns(r.runs);
}

void MainWindow::setBaseline(std::optional<ExperimentResult> baseline) {
    m_speedup->setBaseline(std::move(baseline));
    statusBar()->showMessage(m_speedup->hasBaseline() ? tr("Baseline loaded: drawn faded behind.")
                                                      : tr("Baseline cleared."));
}

void MainWindow::refreshRunPicker() {
    const int shown = m_timeline->shownRun();
    const bool following = m_runPicker->currentIndex() <= 0;
    m_runPicker->clear();
    m_runPicker->addItem(tr("newest run (live)"), -1);
    for (const auto& [index, label] : m_timeline->runLabels()) m_runPicker->addItem(label, index);
    if (!following) {
        const int i = m_runPicker->findData(shown);
        m_runPicker->setCurrentIndex(i < 0 ? 0 : i);
    }
}

void MainWindow::openFile(const QString& path) {
    const nlohmann::json j = readJsonFile(path.toStdString());
    if (looksLikeResult(j)) {
        ExperimentResult r = resultFromJson(j, path.toStdString());
        for (Chart* c : charts()) {
            if (c != m_ipc) c->clearData();
        }
        showResult(r);
        m_panel->setExperiment(r.experiment);
        m_panel->setStatus(tr("Loaded result %1 (%2 runs). Live views (cores, timeline) are "
                              "not stored in result files.")
                               .arg(QFileInfo(path).fileName())
                               .arg(r.runs.size()));
    } else {
        m_panel->setExperiment(loadExperimentFile(path.toStdString()));
        m_panel->setStatus(tr("Loaded experiment %1. Press Run.").arg(QFileInfo(path).fileName()));
    }
}

void MainWindow::reportError(const QString& what, const QString& message) {
    statusBar()->showMessage(QStringLiteral("%1: %2").arg(what, message));
    m_panel->setStatus(QStringLiteral("%1: %2").arg(what, message));
    if (isVisible() && QGuiApplication::platformName() != QLatin1String("offscreen")) {
        QMessageBox::critical(this, what, message);
    }
}

void MainWindow::onOpen() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Open experiment or result"),
                                                      QString(), tr("CoreDuel files (*.json)"));
    if (path.isEmpty()) return;
    try {
        openFile(path);
    } catch (const std::exception& e) {
        reportError(tr("Cannot open"), QString::fromUtf8(e.what()));
    }
}

void MainWindow::saveTo(const QString& title, const QString& suggested, const QString& filter,
                        const std::function<void(const QString&)>& write) {
    const QString path = QFileDialog::getSaveFileName(this, title, suggested, filter);
    if (path.isEmpty()) return;
    try {
        write(path);
        statusBar()->showMessage(tr("Written: %1").arg(path));
    } catch (const std::exception& e) {
        reportError(tr("%1 failed").arg(title), QString::fromUtf8(e.what()));
    }
}

void MainWindow::onSaveExperiment() {
    Experiment e;
    try {
        e = m_panel->experiment();
    } catch (const std::exception& ex) {
        reportError(tr("Cannot save"), QString::fromUtf8(ex.what()));
        return;
    }
    saveTo(tr("Save experiment"), QStringLiteral("experiment.json"), tr("Experiment (*.json)"),
           [e](const QString& path) {
               writeAtomically(path, QByteArray::fromStdString(toJson(e).dump(2) + "\n"));
           });
}

void MainWindow::onSaveResult() {
    if (!m_result) {
        reportError(tr("Nothing to save"), tr("Run an experiment first."));
        return;
    }
    saveTo(tr("Save result"), QStringLiteral("result.json"), tr("Result (*.json)"),
           [this](const QString& path) {
               exportResult(*m_result,
                            path.endsWith(QLatin1String(".json")) ? path : path + ".json");
           });
}

void MainWindow::onLoadBaseline() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Load baseline result"), QString(),
                                                      tr("Result (*.json)"));
    if (path.isEmpty()) return;
    try {
        setBaseline(loadResultFile(path.toStdString()));
    } catch (const std::exception& e) {
        reportError(tr("Cannot load baseline"), QString::fromUtf8(e.what()));
    }
}

void MainWindow::onExportChart() {
    Chart* chart = m_currentChart ? m_currentChart.data() : m_heat;
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export chart: %1").arg(chart->title()), chart->slug() + QStringLiteral(".png"),
        tr("PNG image (*.png);;PDF (*.pdf);;SVG (*.svg)"));
    if (path.isEmpty()) return;
    ImageOptions options;
    if (QFileInfo(path).suffix().toLower() == QLatin1String("png")) {
        QDialog dialog(this);
        dialog.setWindowTitle(tr("PNG size"));
        auto* form = new QFormLayout(&dialog);
        auto* w = new QSpinBox(&dialog);
        auto* h = new QSpinBox(&dialog);
        auto* dpi = new QSpinBox(&dialog);
        w->setRange(16, 16384);
        h->setRange(16, 16384);
        dpi->setRange(36, 1200);
        w->setValue(1920);
        h->setValue(1080);
        dpi->setValue(144);
        w->setSuffix(QStringLiteral(" px"));
        h->setSuffix(QStringLiteral(" px"));
        dpi->setToolTip(tr("Higher DPI draws fonts and lines larger relative to the image."));
        form->addRow(tr("Width"), w);
        form->addRow(tr("Height"), h);
        form->addRow(tr("DPI"), dpi);
        auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
        form->addRow(buttons);
        connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
        connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
        if (dialog.exec() != QDialog::Accepted) return;
        options.pixels = QSize(w->value(), h->value());
        options.dpi = dpi->value();
    }
    try {
        exportChart(*chart, path, options);
        statusBar()->showMessage(tr("Exported %1").arg(path));
    } catch (const std::exception& e) {
        reportError(tr("Export failed"), QString::fromUtf8(e.what()));
    }
}

void MainWindow::onExportAllCharts() {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Export all charts to"));
    if (dir.isEmpty()) return;
    int n = 0;
    try {
        for (Chart* c : charts()) {
            if (!c->hasData()) continue;
            for (const char* ext : {"png", "pdf", "svg"}) {
                exportChart(*c, dir + QStringLiteral("/%1.%2").arg(c->slug(), QLatin1String(ext)));
                ++n;
            }
        }
        statusBar()->showMessage(tr("Exported %1 files to %2").arg(n).arg(dir));
    } catch (const std::exception& e) {
        reportError(tr("Export failed"), QString::fromUtf8(e.what()));
    }
}

void MainWindow::onExportTable() {
    if (!m_result) {
        reportError(tr("Nothing to export"), tr("Run an experiment first."));
        return;
    }
    saveTo(tr("Export table"), QStringLiteral("results.csv"), tr("CSV (*.csv);;JSON (*.json)"),
           [this](const QString& path) { exportResult(*m_result, path); });
}

void MainWindow::exportReport(const QString& path) {
    if (!m_result) throw ExportError("no result to report yet: run an experiment first");
    ui::exportReport(*m_result, charts(), path);
}

void MainWindow::onExportReport() {
    saveTo(tr("Export report"), QStringLiteral("report.pdf"), tr("PDF (*.pdf);;HTML (*.html)"),
           [this](const QString& path) { exportReport(path); });
}

void MainWindow::saveScreenshot(const QString& path) {
    for (Chart* c : charts()) c->replot(QCustomPlot::rpImmediateRefresh);
    // In presentation mode the audience sees the presentation window: capture that.
    const QPixmap pixmap =
        m_presentation && m_presentation->isVisible() ? m_presentation->grab() : grab();
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    if (!pixmap.save(&buffer, "PNG")) throw ExportError("could not encode the screenshot");
    writeAtomically(path, bytes);
}

void MainWindow::showChart(const QString& slug) {
    auto it = m_docks.find(slug);
    if (it == m_docks.end()) return;
    it->second->show();
    it->second->raise();
}

bool MainWindow::runLesson() {
    const Lesson* lesson = m_lessons->current();
    if (lesson == nullptr || m_bridge.running() || m_lessonRunning || m_pythonRunning) return false;
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
    m_lessonResults.clear();
    m_lessonPart = 0;
    m_lessonRunning = true;
    startLessonPart();
    return m_lessonRunning;
}

void MainWindow::lessonPartDone(const ExperimentResult& r) {
    m_lessonResults.push_back(r);
    const Lesson* lesson = m_lessons->current();
    if (lesson != nullptr && r.allOk() && !r.cancelled && m_lessonPart + 1 < lesson->parts.size()) {
        // The next part, once this event is handled (it clears the charts).
        ++m_lessonPart;
        QTimer::singleShot(0, this, &MainWindow::startLessonPart);
        return;
    }
    m_lessonRunning = false;
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
    m_lessons->showOutcome(m_lessonResults, note);
    if (m_presentation) m_presentation->runFinished();
    emit lessonDone(r.allOk() && !r.cancelled);
}

void MainWindow::failLesson(const QString& message, bool announce) {
    m_lessonRunning = false;
    m_lessons->showFailure(message);
    if (m_presentation) m_presentation->runFinished();
    if (announce) emit lessonDone(false);
}

void MainWindow::startLessonPart() {
    const Lesson* lesson = m_lessons->current();
    if (lesson == nullptr || m_lessonPart >= lesson->parts.size()) {
        m_lessonRunning = false;
        return;
    }
    if (!lesson->parts[m_lessonPart].python.empty()) {
        // Real CPython through the profiler, off the GUI thread.
        if (pythonExecutable().empty()) {
            ExperimentResult skipped;  // no runs: the lesson explains without Python
            skipped.environment = m_environment;
            QTimer::singleShot(0, this, [this, skipped] { lessonPartDone(skipped); });
            return;
        }
        if (m_pythonThread.joinable()) m_pythonThread.join();
        m_pythonCancel = false;
        m_pythonRunning = true;
        m_panel->setStatus(
            tr("Lesson part %1 of %2: %3 (real CPython, python3 %4)…")
                .arg(m_lessonPart + 1)
                .arg(lesson->parts.size())
                .arg(QString::fromStdString(lesson->parts[m_lessonPart].label))
                .arg(QString::fromStdString(lesson->parts[m_lessonPart].python.front())));
        m_panel->setRunning(true);
        const Lesson copy = *lesson;
        const std::size_t part = m_lessonPart;
        const bool quick = m_lessons->quick();
        QPointer<MainWindow> self(this);
        m_pythonThread = std::jthread([self, copy, part, quick, cancel = &m_pythonCancel] {
            ExperimentResult r;
            QString error;
            try {
                r = runPythonPart(copy, part, quick, cancel);
            } catch (const std::exception& e) {
                error = QString::fromUtf8(e.what());
            }
            QMetaObject::invokeMethod(
                self,
                [self, r, error] {
                    if (!self) return;
                    self->m_pythonRunning = false;
                    self->m_panel->setRunning(false);
                    if (!error.isEmpty()) {
                        self->failLesson(error);
                        return;
                    }
                    self->lessonPartDone(r);
                },
                Qt::QueuedConnection);
        });
        return;
    }
    const Experiment e = lessonExperiment(*lesson, m_lessons->quick(), m_lessonPart);
    m_panel->setExperiment(e);
    if (!runExperiment(e)) {
        // Part 1 failing to start is runLesson's false; a later part ends the lesson.
        failLesson(m_panel->status(), /*announce=*/m_lessonPart > 0);
        return;
    }
    if (lesson->parts.size() > 1) {
        m_panel->setStatus(tr("Lesson part %1 of %2: %3")
                               .arg(m_lessonPart + 1)
                               .arg(lesson->parts.size())
                               .arg(QString::fromStdString(lesson->parts[m_lessonPart].label)));
    }
    showChart(QString::fromStdString(lesson->chart));
}

void MainWindow::present() {
    const Lesson* lesson = m_lessons->current();
    if (lesson == nullptr) return;
    if (m_presentation) m_presentation->close();
    Chart* c = chart(QString::fromStdString(lesson->chart));
    if (c == nullptr) c = m_speedup;
    m_presentation = new PresentationWindow(*m_lessons, *c, this);
    connect(m_presentation, &PresentationWindow::runRequested, this, &MainWindow::runLesson);
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

void MainWindow::exportHandout(const QString& path) {
    const Lesson* lesson = m_lessons->current();
    if (lesson == nullptr) throw ExportError("no lesson selected");
    if (m_lessonResults.empty() || m_lessonRunning) {
        throw ExportError("run the lesson first: a handout quotes its numbers");
    }
    Chart* c = chart(QString::fromStdString(lesson->chart));
    ui::exportHandout(*lesson, m_lessons->outcomeText(), c != nullptr ? *c : *m_speedup,
                      m_lessonResults.back(), path);
}

void MainWindow::showTimelineRun(int index) {
    m_timeline->showRun(index);
    const int i = m_runPicker->findData(index);
    if (i >= 0) m_runPicker->setCurrentIndex(i);
}

void MainWindow::setThemeByName(const QString& name) {
    m_theme = Theme::byName(name);
    if (auto* app = qobject_cast<QApplication*>(QCoreApplication::instance()))
        applyTheme(*app, m_theme);
    for (Chart* c : charts()) c->setTheme(m_theme);
    if (auto* a = findChild<QAction*>(QStringLiteral("theme-") + m_theme.name)) a->setChecked(true);
    if (m_options.persistSettings) QSettings().setValue(QStringLiteral("theme"), m_theme.name);
}

void MainWindow::runIpcLab(double secondsPerPoint) {
    if (m_bridge.running() || m_ipcLab.running() || m_pythonRunning || m_lessonRunning) {
        statusBar()->showMessage(tr("Busy: wait for the running measurement to finish."));
        return;
    }
    m_ipc->clearData();
    IpcLabOptions options;
    options.secondsPerPoint = secondsPerPoint;
    m_ipcLab.start(options);
    showChart(QStringLiteral("ipc"));
    statusBar()->showMessage(tr("IPC lab running…"));
}

void MainWindow::updateStallLabel() {
    m_stallLabel->setText(tr("GUI stall: max %1 ms since run start (%2 over 50 ms)")
                              .arg(m_stall.maxStallMs(), 0, 'f', 0)
                              .arg(m_stall.stallsOver50Ms()));
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

void MainWindow::closeEvent(QCloseEvent* event) {
    if (m_options.persistSettings) saveSettings();
    m_bridge.cancel();
    m_ipcLab.stop();
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    for (const QUrl& url : event->mimeData()->urls()) {
        if (url.isLocalFile() && url.toLocalFile().endsWith(QLatin1String(".json"))) {
            event->acceptProposedAction();
            return;
        }
    }
}

void MainWindow::dropEvent(QDropEvent* event) {
    for (const QUrl& url : event->mimeData()->urls()) {
        if (!url.isLocalFile()) continue;
        try {
            openFile(url.toLocalFile());
        } catch (const std::exception& e) {
            reportError(tr("Cannot open"), QString::fromUtf8(e.what()));
        }
        break;
    }
}

}  // namespace coreduel::ui

namespace coreduel::ui {
PresentationWindow* MainWindow::presentation() const {
    return m_presentation.data();
}
}  // namespace coreduel::ui
