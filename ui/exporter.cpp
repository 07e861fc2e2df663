#include "ui/exporter.h"

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
#include "ui/report_document.h"
#include "ui/report_render.h"

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

QByteArray renderPng(Chart& chart, const ImageOptions& o) {
    if (o.pixels.width() < 16 || o.pixels.height() < 16 || o.pixels.width() > 16384 ||
        o.pixels.height() > 16384) {
        throw ExportError("image size must be between 16 and 16384 pixels a side");
    }
    if (o.dpi < 36 || o.dpi > 1200) throw ExportError("DPI must be between 36 and 1200");
    // The chart is laid out at pixels / scale and drawn scaled, so at 144 DPI an 11 pt label
    // is as large relative to the image as on a 96 DPI screen at two thirds of the size.
    const double scale = o.dpi / 96.0;
    const int w = std::max(1, static_cast<int>(std::lround(o.pixels.width() / scale)));
    const int h = std::max(1, static_cast<int>(std::lround(o.pixels.height() / scale)));
    QPixmap pixmap = chart.toPixmap(w, h, scale);
    QImage image =
        pixmap.toImage().scaled(o.pixels, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
    const int dpm = static_cast<int>(std::lround(o.dpi / 0.0254));
    image.setDotsPerMeterX(dpm);
    image.setDotsPerMeterY(dpm);
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    if (!image.save(&buffer, "PNG")) throw ExportError("could not encode the PNG image");
    return bytes;
}

QByteArray renderPdf(Chart& chart, const ImageOptions& o) {
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    {
        QPdfWriter writer(&buffer);
        writer.setCreator(QStringLiteral("CoreDuel"));
        writer.setTitle(chart.title());
        const QSizeF points(o.pixels.width() * 0.5, o.pixels.height() * 0.5);  // 1920 → 960 pt
        writer.setPageSize(QPageSize(points, QPageSize::Point));
        writer.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout::Point);
        // 96 DPI: QCustomPlot lays text out with screen font metrics, so the page must map
        // points to pixels as the screen does or labels overlap.
        writer.setResolution(96);
        QCPPainter painter(&writer);
        chart.toPainter(&painter, writer.width(), writer.height());
    }
    return bytes;
}

QByteArray renderSvg(Chart& chart, const ImageOptions& o) {
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    {
        const QSize size(o.pixels.width() / 2, o.pixels.height() / 2);
        QSvgGenerator svg;
        svg.setOutputDevice(&buffer);
        svg.setSize(size);
        svg.setViewBox(QRect(QPoint(0, 0), size));
        svg.setTitle(chart.title());
        svg.setDescription(QStringLiteral("CoreDuel chart"));
        QCPPainter painter(&svg);
        chart.toPainter(&painter, size.width(), size.height());
    }
    return bytes;
}

void exportChart(Chart& chart, const QString& path, const ImageOptions& options) {
    const QString ext = suffixOf(path);
    QByteArray bytes;
    if (ext == QLatin1String("png")) {
        bytes = renderPng(chart, options);
    } else if (ext == QLatin1String("pdf")) {
        bytes = renderPdf(chart, options);
    } else if (ext == QLatin1String("svg")) {
        bytes = renderSvg(chart, options);
    } else {
        throw ExportError(path.toStdString() + ": unknown image format (use .png, .pdf or .svg)");
    }
    writeAtomically(path, bytes);
}

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
                  const QString& path) {
    const QString ext = suffixOf(path);
    if (ext == QLatin1String("pdf")) {
        writeAtomically(path, renderReportPdf(buildReportDocument(result, charts)));
    } else if (ext == QLatin1String("html") || ext == QLatin1String("htm")) {
        writeAtomically(path, renderReportHtml(buildReportDocument(result, charts)));
    } else {
        throw ExportError(path.toStdString() + ": unknown report format (use .pdf or .html)");
    }
}

}  // namespace coreduel::ui
