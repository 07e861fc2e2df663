#pragma once
// Exports: every chart to PNG (chosen pixel size and DPI), PDF and SVG; a result to CSV and
// JSON; and a report (PDF or self-contained HTML) with every chart, the table, the verdict and
// the environment. Everything is rendered into memory first and then written atomically (a
// temporary file, fsync, rename), so a full disk leaves the old file intact and says so.

#include <QByteArray>
#include <QImage>
#include <QSize>
#include <QString>
#include <stdexcept>
#include <vector>

#include "core/lessons/lesson.h"
#include "core/run/result.h"
#include "ui/report/report_document.h"

namespace coreduel::ui {

class Chart;

/// Export failed; what() says what and why ("out.pdf: No space left on device").
class ExportError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// A chart picture: its size in pixels and its density. The chart is laid out for that size
/// (ui/chart_export.h), so type keeps its share of the picture: a 1920×1080 slide reads from
/// the back of the room, and nothing is cut at any size.
struct ImageOptions {
    QSize pixels{1920, 1080};  ///< PNG: the decoded size; SVG: width and height; PDF: see dpi
    int dpi = 144;  ///< PNG density; the PDF page is pixels at this density (1920 → 960 pt)
    /// A slide beside words that explain it (presentation mode): the subtitle — how the chart
    /// was measured, which a report or an exported picture must carry — is left out.
    bool slide = false;
};

/// The picture renderPng encodes; the presentation window shows it as it is (no PNG round
/// trip: encoding a projector-sized image each refresh cost the measured run CPU).
QImage renderImage(Chart& chart, const ImageOptions& options);
QByteArray renderPng(Chart& chart, const ImageOptions& options);
QByteArray renderPdf(Chart& chart, const ImageOptions& options);
QByteArray renderSvg(Chart& chart, const ImageOptions& options);
/// Picks PNG, PDF or SVG from the extension and writes atomically; throws ExportError.
/// (Implemented in ui/chart_export.cpp, with the layout they share.)
void exportChart(Chart& chart, const QString& path, const ImageOptions& options = {});

/// Table exports: .csv (one row per run) or .json (the shared result schema).
void exportResult(const ExperimentResult& result, const QString& path);

/// A report: .pdf (pages: summary with verdict and environment, one chart per page, the table)
/// or .html (self-contained: charts as embedded PNG). Charts without data are left out.
void exportReport(const ExperimentResult& result, const std::vector<Chart*>& charts,
                  const QString& path, const ReportContext& context = {});

/// A lesson's one-page handout (A4 PDF): title, the guide's claim, the question, the chart,
/// the explanation with this machine's numbers and the predictions against them, and where it
/// was measured. `outcome` is the filled explanation (LessonsPanel::outcome).
void exportHandout(const Lesson& lesson, const QString& outcome, Chart& chart,
                   const ExperimentResult& result, const QString& path);

/// Writes bytes atomically (coreduel::writeFileAtomically); throws ExportError.
void writeAtomically(const QString& path, const QByteArray& bytes);

}  // namespace coreduel::ui
