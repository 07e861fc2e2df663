// MainWindow's files: opening experiments and results (menu and drag and drop), saving them,
// the baseline, and every export (charts, table, report, screenshot).
#include <QApplication>
#include <QBuffer>
#include <QDialog>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QMimeData>
#include <QStatusBar>

#include "core/report/json_report.h"
#include "core/report/schema.h"
#include "core/session/session.h"
#include "ui/chart_export.h"
#include "ui/experiment_panel.h"
#include "ui/export_dialog.h"
#include "ui/exporter.h"
#include "ui/main_window.h"
#include "ui/plots/chart.h"
#include "ui/plots/core_heat_chart.h"
#include "ui/plots/ipc_chart.h"
#include "ui/presentation_window.h"
#include "ui/run_views.h"
#include "ui/theme.h"

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

void MainWindow::openFile(const QString& path, OpenDone done) {
    if (looksLikeSession(path.toStdString())) {
        openSession(path, std::move(done));
        return;
    }
    const nlohmann::json j = readJsonFile(path.toStdString());
    if (looksLikeResult(j)) {
        ExperimentResult r = resultFromJson(j, path.toStdString());
        for (Chart* c : charts()) {
            if (c != m_views->ipc()) c->clearData();
        }
        showResult(r);
        m_panel->setExperiment(r.experiment);
        m_sessionFile.clear();
        m_session.reset();
        m_measuredAt.clear();  // a result file does not say when it was measured
        refreshPartsBar();
        m_panel->setStatus(tr("Loaded result %1 (%2 runs). Live views (cores, timeline) are "
                              "not stored in result files: open a session (.coreduel) for them.")
                               .arg(QFileInfo(path).fileName())
                               .arg(r.runs.size()));
    } else {
        m_panel->setExperiment(loadExperimentFile(path.toStdString()));
        m_panel->setStatus(tr("Loaded experiment %1. Press Run.").arg(QFileInfo(path).fileName()));
    }
    if (done) done(QString());
}

void MainWindow::reportError(const QString& what, const QString& message) {
    statusBar()->showMessage(QStringLiteral("%1: %2").arg(what, message));
    m_panel->setStatus(QStringLiteral("%1: %2").arg(what, message));
    if (isVisible() && QGuiApplication::platformName() != QLatin1String("offscreen")) {
        QMessageBox::critical(this, what, message);
    }
}

void MainWindow::onOpen() {
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open experiment, result or session"), m_dialogs.path(QStringLiteral("open")),
        tr("CoreDuel files (*.json *.coreduel);;Sessions (*.coreduel);;All files (*)"));
    if (path.isEmpty()) return;
    m_dialogs.remember(QStringLiteral("open"), path);
    try {
        openFile(path, openErrorReporter());
    } catch (const std::exception& e) {
        reportError(tr("Cannot open"), QString::fromUtf8(e.what()));
    }
}

MainWindow::OpenDone MainWindow::openErrorReporter(const QString& what) {
    return [this, what](const QString& error) {
        if (!error.isEmpty()) reportError(what.isEmpty() ? tr("Cannot open") : what, error);
    };
}

void MainWindow::saveTo(const QString& title, const QString& suggested, const QString& filter,
                        const std::function<void(const QString&)>& write) {
    const QString path = QFileDialog::getSaveFileName(
        this, title, m_dialogs.path(QStringLiteral("save"), suggested), filter);
    if (path.isEmpty()) return;
    m_dialogs.remember(QStringLiteral("save"), path);
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
    if (!m_views->result()) {
        reportError(tr("Nothing to save"), tr("Run an experiment first."));
        return;
    }
    saveTo(tr("Save result"), QStringLiteral("result.json"), tr("Result (*.json)"),
           [this](const QString& path) {
               exportResult(*m_views->result(),
                            path.endsWith(QLatin1String(".json")) ? path : path + ".json");
           });
}

void MainWindow::loadBaseline(const QString& path, OpenDone done) {
    const QString name = QFileInfo(path).fileName();
    if (!looksLikeSession(path.toStdString())) {
        setBaseline(loadResultFile(path.toStdString()), {}, name);
        if (done) done(QString());
        return;
    }
    // A session is read off this thread, as for File > Open.
    if (m_baselineJob != 0) m_sessionJobs.abandon(m_baselineJob);
    const std::string file = path.toStdString();
    auto loaded = std::make_shared<std::shared_ptr<Session>>();
    statusBar()->showMessage(tr("Reading baseline %1\u2026").arg(name));
    m_baselineJob = m_sessionJobs.start(
        [file, loaded](JobContext&) { *loaded = std::make_shared<Session>(loadSession(file)); },
        [this, name, loaded, done = std::move(done)](const QString& error) {
            m_baselineJob = 0;
            if (error.isEmpty()) {
                // A lesson's session: the part the window shows, where the window shows one
                // of the same lesson; else its last part.
                Session& s = **loaded;
                std::size_t part = s.parts.size() - 1;
                if (m_session && m_session->lesson && s.lesson &&
                    m_session->lesson->name == s.lesson->name)
                    part = std::min(part, static_cast<std::size_t>(m_shownPart));
                setBaseline(std::move(s.parts[part].result), s.ipcLab,
                            s.parts.size() > 1 ? tr("%1 (part %2)").arg(name).arg(part + 1) : name);
            }
            if (done) done(error);
        });
}

void MainWindow::onLoadBaseline() {
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Load baseline result or session"), m_dialogs.path(QStringLiteral("open")),
        tr("CoreDuel results and sessions (*.json *.coreduel);;All files (*)"));
    if (path.isEmpty()) return;
    m_dialogs.remember(QStringLiteral("open"), path);
    try {
        loadBaseline(path, openErrorReporter(tr("Cannot load baseline")));
    } catch (const std::exception& e) {
        reportError(tr("Cannot load baseline"), QString::fromUtf8(e.what()));
    }
}

namespace {

// The last size and resolution chosen in the export dialog, offered again (this process; the
// format and the folder are remembered across starts, DialogMemory).
ImageOptions g_lastOptions;

QString filterFor(const QString& format) {
    if (format == QLatin1String("svg")) return QObject::tr("SVG (*.svg)");
    if (format == QLatin1String("pdf")) return QObject::tr("PDF (*.pdf)");
    return QObject::tr("PNG image (*.png)");
}

/// The workload the charts show, for file names: the result's, else the one being edited.
QString experimentName(const std::optional<ExperimentResult>& result, ExperimentPanel& panel) {
    if (result) return QString::fromStdString(result->experiment.workload);
    try {
        return QString::fromStdString(panel.experiment().workload);
    } catch (const std::exception&) {
        return {};
    }
}

}  // namespace

void MainWindow::onExportChart() {
    Chart* chart = currentChart();
    ExportDialog dialog(tr("Export chart: %1").arg(chart->title()), this);
    dialog.setFormat(m_dialogs.format());
    dialog.setOptions(g_lastOptions);
    if (dialog.exec() != QDialog::Accepted) return;
    m_dialogs.setFormat(dialog.format());
    g_lastOptions = dialog.options();
    QString path = QFileDialog::getSaveFileName(
        this, tr("Export chart: %1").arg(chart->title()),
        m_dialogs.path(
            QStringLiteral("export"),
            chartFileName(*chart, experimentName(m_views->result(), *m_panel), m_dialogs.format())),
        filterFor(m_dialogs.format()));
    if (path.isEmpty()) return;
    m_dialogs.remember(QStringLiteral("export"), path);
    if (QFileInfo(path).suffix().isEmpty()) path += QLatin1Char('.') + m_dialogs.format();
    try {
        exportChart(*chart, path, g_lastOptions);
        statusBar()->showMessage(tr("Exported %1").arg(path));
    } catch (const std::exception& e) {
        reportError(tr("Export failed"), QString::fromUtf8(e.what()));
    }
}

void MainWindow::onExportAllCharts() {
    ExportDialog dialog(tr("Export all charts"), this);
    dialog.setFormat(m_dialogs.format());
    dialog.setOptions(g_lastOptions);
    if (dialog.exec() != QDialog::Accepted) return;
    m_dialogs.setFormat(dialog.format());
    g_lastOptions = dialog.options();
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Export all charts to"),
                                                          m_dialogs.path(QStringLiteral("export")));
    if (dir.isEmpty()) return;
    m_dialogs.remember(QStringLiteral("export"), dir, /*isFolder=*/true);
    try {
        const ExportAllResult r =
            exportAllCharts(charts(), dir, experimentName(m_views->result(), *m_panel),
                            m_dialogs.format(), g_lastOptions);
        statusBar()->showMessage(
            tr("Exported %n chart(s) as %1 to %2", nullptr, r.written)
                .arg(m_dialogs.format().toUpper(), dir) +
            (r.skipped > 0 ? tr("; %n without data skipped", nullptr, r.skipped) : QString()));
    } catch (const std::exception& e) {
        reportError(tr("Export failed"), QString::fromUtf8(e.what()));
    }
}

void MainWindow::onExportTable() {
    if (!m_views->result()) {
        reportError(tr("Nothing to export"), tr("Run an experiment first."));
        return;
    }
    saveTo(tr("Export table"), QStringLiteral("results.csv"), tr("CSV (*.csv);;JSON (*.json)"),
           [this](const QString& path) { exportResult(*m_views->result(), path); });
}

// exportReport and withPrintTheme: ui/main_window_print.cpp.

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

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    for (const QUrl& url : event->mimeData()->urls()) {
        const QString path = url.toLocalFile();
        if (url.isLocalFile() &&
            (path.endsWith(QLatin1String(".json")) || path.endsWith(QLatin1String(".coreduel")))) {
            event->acceptProposedAction();
            return;
        }
    }
}

void MainWindow::dropEvent(QDropEvent* event) {
    for (const QUrl& url : event->mimeData()->urls()) {
        if (!url.isLocalFile()) continue;
        try {
            openFile(url.toLocalFile(), openErrorReporter());
        } catch (const std::exception& e) {
            reportError(tr("Cannot open"), QString::fromUtf8(e.what()));
        }
        break;
    }
}

}  // namespace coreduel::ui
