#include "ui/export/exporter.h"

#include <QBuffer>
#include <QDateTime>
#include <QFileInfo>
#include <QPageLayout>
#include <QPageSize>
#include <QPdfWriter>
#include <QSvgGenerator>
#include <QTextDocument>
#include <system_error>

#include "core/report/formats.h"
#include "core/report/json_report.h"
#include "core/report/schema.h"
#include "core/report/table_report.h"
#include "ui/plots/chart.h"
#include "ui/report/report_document.h"
#include "ui/report/report_render.h"

namespace coreduel::ui {
namespace {

QString suffixOf(const QString& path) {
    return QFileInfo(path).suffix().toLower();
}

}  // namespace

void writeAtomically(const QString& path, const QByteArray& bytes) {
    try {
        writeFileAtomically(path.toStdString(), bytes.toStdString());
    } catch (const std::system_error& e) {
        throw ExportError(path.toStdString() + ": " + e.code().message());
    } catch (const std::exception& e) {
        throw ExportError(path.toStdString() + ": " + e.what());
    }
}

// renderPng, renderPdf, renderSvg and exportChart: ui/chart_export.cpp.

void exportResult(const ExperimentResult& result, const QString& path) {
    const QString ext = suffixOf(path);
    std::string text;
    if (ext == QLatin1String("csv")) {
        text = toCsv(result);
    } else if (ext == QLatin1String("json")) {
        text = toJson(result).dump(2) + "\n";
    } else {
        throw ExportError(path.toStdString() + ": unknown table format (use .csv or .json)");
    }
    writeAtomically(path, QByteArray::fromStdString(text));
}

void exportHandout(const Lesson& lesson, const QString& outcome, Chart& chart,
                   const ExperimentResult& result, const QString& path) {
    if (suffixOf(path) != QLatin1String("pdf")) {
        throw ExportError(path.toStdString() + ": a handout is a PDF (.pdf)");
    }
    writeAtomically(path, renderHandoutPdf(lesson, outcome, chart, result));
}

void exportReport(const ExperimentResult& result, const std::vector<Chart*>& charts,
                  const QString& path, const ReportContext& context) {
    const QString ext = suffixOf(path);
    if (ext == QLatin1String("pdf")) {
        writeAtomically(path, renderReportPdf(buildReportDocument(result, charts, context)));
    } else if (ext == QLatin1String("html") || ext == QLatin1String("htm")) {
        writeAtomically(path, renderReportHtml(buildReportDocument(result, charts, context)));
    } else {
        throw ExportError(path.toStdString() + ": unknown report format (use .pdf or .html)");
    }
}

}  // namespace coreduel::ui
