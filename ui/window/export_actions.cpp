// ExportActions: the Save and Export dialogs of the window.
#include "ui/window/export_actions.h"

#include <QDialog>
#include <QFileDialog>
#include <QFileInfo>

#include "core/report/schema.h"
#include "ui/export/chart_export.h"
#include "ui/export/dialog_memory.h"
#include "ui/export/export_dialog.h"
#include "ui/live/run_views.h"
#include "ui/panels/experiment_panel.h"
#include "ui/plots/chart.h"
#include "ui/window/session_document.h"

namespace coreduel::ui {
namespace {

QString filterFor(const QString& format) {
    if (format == QLatin1String("svg")) return QObject::tr("SVG (*.svg)");
    if (format == QLatin1String("pdf")) return QObject::tr("PDF (*.pdf)");
    return QObject::tr("PNG image (*.png)");
}

}  // namespace

ExportActions::ExportActions(Parts parts, QObject* parent)
    : QObject(parent), m_parts(std::move(parts)) {}

void ExportActions::saveTo(const QString& title, const QString& suggested, const QString& filter,
                           const std::function<void(const QString&)>& write) {
    DialogMemory& dialogs = m_parts.dialogs;
    const QString path = QFileDialog::getSaveFileName(
        &m_parts.window, title, dialogs.path(QStringLiteral("save"), suggested), filter);
    if (path.isEmpty()) return;
    dialogs.remember(QStringLiteral("save"), path);
    try {
        write(path);
        emit message(tr("Written: %1").arg(path));
    } catch (const std::exception& e) {
        emit failed(tr("%1 failed").arg(title), QString::fromUtf8(e.what()));
    }
}

void ExportActions::saveExperiment() {
    Experiment e;
    try {
        e = m_parts.panel.experiment();
    } catch (const std::exception& ex) {
        emit failed(tr("Cannot save"), QString::fromUtf8(ex.what()));
        return;
    }
    saveTo(tr("Save experiment"), QStringLiteral("experiment.json"), tr("Experiment (*.json)"),
           [e](const QString& path) {
               writeAtomically(path, QByteArray::fromStdString(toJson(e).dump(2) + "\n"));
           });
}

void ExportActions::saveResult() {
    if (!m_parts.views.result()) {
        emit failed(tr("Nothing to save"), tr("Run an experiment first."));
        return;
    }
    saveTo(tr("Save result"), QStringLiteral("result.json"), tr("Result (*.json)"),
           [this](const QString& path) {
               exportResult(*m_parts.views.result(),
                            path.endsWith(QLatin1String(".json")) ? path : path + ".json");
           });
}

void ExportActions::saveSession() {
    saveTo(tr("Save session"), QStringLiteral("session.coreduel"),
           tr("CoreDuel sessions (*.coreduel)"),
           [this](const QString& p) { m_parts.document.save(p); });
}

bool ExportActions::saveSessionBeforeQuit() {
    const QString path = QFileDialog::getSaveFileName(
        &m_parts.window, tr("Save session"),
        m_parts.dialogs.path(QStringLiteral("save"), QStringLiteral("session.coreduel")),
        tr("CoreDuel sessions (*.coreduel)"));
    if (path.isEmpty()) return false;
    try {
        m_parts.document.save(path);
        return true;
    } catch (const std::exception& e) {
        emit failed(tr("Could not save the session"), QString::fromStdString(e.what()));
        return false;
    }
}

void ExportActions::exportTrace() {
    DialogMemory& dialogs = m_parts.dialogs;
    const QString path = QFileDialog::getSaveFileName(
        &m_parts.window, tr("Export trace"),
        dialogs.path(QStringLiteral("save"), QStringLiteral("trace.json")),
        tr("Chrome trace (*.json)"));
    if (path.isEmpty()) return;
    dialogs.remember(QStringLiteral("save"), path);
    try {
        emit message(tr("Writing the trace %1\u2026").arg(path));
        m_parts.document.exportTrace(path, [this, path](const QString& error) {
            if (error.isEmpty())
                emit message(tr("Written: %1").arg(path));
            else
                emit failed(tr("Export trace failed"), error);
        });
    } catch (const std::exception& e) {
        emit failed(tr("Export trace failed"), QString::fromUtf8(e.what()));
    }
}

QString ExportActions::experimentName() const {
    // The workload the charts show, for file names: the result's, else the one being edited;
    // a lesson's part is named too, so that one part's charts never overwrite another's.
    if (m_parts.views.result()) {
        QString name = QString::fromStdString(m_parts.views.result()->experiment.workload);
        if (m_parts.document.partCount() > 1)
            name += QStringLiteral("-part%1").arg(m_parts.document.shownPart() + 1);
        return name;
    }
    try {
        return QString::fromStdString(m_parts.panel.experiment().workload);
    } catch (const std::exception&) {
        return {};
    }
}

bool ExportActions::askImageOptions(const QString& title) {
    ExportDialog dialog(title, &m_parts.window);
    dialog.setFormat(m_parts.dialogs.format());
    dialog.setOptions(m_imageOptions);
    if (dialog.exec() != QDialog::Accepted) return false;
    m_parts.dialogs.setFormat(dialog.format());
    m_imageOptions = dialog.options();
    return true;
}

void ExportActions::exportChart() {
    Chart* chart = m_parts.currentChart();
    const QString title = tr("Export chart: %1").arg(chart->title());
    if (!askImageOptions(title)) return;
    DialogMemory& dialogs = m_parts.dialogs;
    QString path = QFileDialog::getSaveFileName(
        &m_parts.window, title,
        dialogs.path(QStringLiteral("export"),
                     chartFileName(*chart, experimentName(), dialogs.format())),
        filterFor(dialogs.format()));
    if (path.isEmpty()) return;
    dialogs.remember(QStringLiteral("export"), path);
    if (QFileInfo(path).suffix().isEmpty()) path += QLatin1Char('.') + dialogs.format();
    try {
        ui::exportChart(*chart, path, m_imageOptions);
        emit message(tr("Exported %1").arg(path));
    } catch (const std::exception& e) {
        emit failed(tr("Export failed"), QString::fromUtf8(e.what()));
    }
}

void ExportActions::exportAllCharts() {
    if (!askImageOptions(tr("Export all charts"))) return;
    DialogMemory& dialogs = m_parts.dialogs;
    const QString dir = QFileDialog::getExistingDirectory(
        &m_parts.window, tr("Export all charts to"), dialogs.path(QStringLiteral("export")));
    if (dir.isEmpty()) return;
    dialogs.remember(QStringLiteral("export"), dir, /*isFolder=*/true);
    try {
        const ExportAllResult r = ui::exportAllCharts(m_parts.views.charts(), dir, experimentName(),
                                                      dialogs.format(), m_imageOptions);
        emit message(
            tr("Exported %n chart(s) as %1 to %2", nullptr, r.written)
                .arg(dialogs.format().toUpper(), dir) +
            (r.skipped > 0 ? tr("; %n without data skipped", nullptr, r.skipped) : QString()));
    } catch (const std::exception& e) {
        emit failed(tr("Export failed"), QString::fromUtf8(e.what()));
    }
}

ExportAllResult ExportActions::exportChartsTo(const QString& dir, const QString& format,
                                              const ImageOptions& options) {
    return ui::exportAllCharts(m_parts.views.charts(), dir, experimentName(), format, options);
}

void ExportActions::exportTable() {
    if (!m_parts.views.result()) {
        emit failed(tr("Nothing to export"), tr("Run an experiment first."));
        return;
    }
    saveTo(tr("Export table"), QStringLiteral("results.csv"), tr("CSV (*.csv);;JSON (*.json)"),
           [this](const QString& path) { exportResult(*m_parts.views.result(), path); });
}

void ExportActions::exportReport() {
    saveTo(tr("Export report"), QStringLiteral("report.pdf"), tr("PDF (*.pdf);;HTML (*.html)"),
           m_parts.writeReport);
}

void ExportActions::exportHandout() {
    saveTo(tr("Save handout"), QStringLiteral("handout.pdf"), tr("PDF (*.pdf)"),
           m_parts.writeHandout);
}

}  // namespace coreduel::ui
