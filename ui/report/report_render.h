#pragma once
// The report's and the handout's renderers: a ReportDocument laid out as A4 PDF pages
// (report_pdf.cpp) or as one self-contained HTML page (report_html.cpp), and a lesson's
// one-page handout (report_handout.cpp). Each returns the file's bytes; exporter.cpp writes
// them atomically.

#include <QByteArray>
#include <QString>
#include <functional>
#include <vector>

#include "core/lessons/lesson.h"
#include "core/run/result.h"
#include "ui/report/report_document.h"

namespace coreduel::ui {

class Chart;

QByteArray renderReportPdf(const ReportDocument& document);
QByteArray renderReportHtml(const ReportDocument& document);

/// Called with a document's `part` before its charts are drawn, to load that part's data.
using ShowPart = std::function<void(int part)>;
/// Several documents as one report (a lesson: a cover, then each part): in the PDF each starts
/// on a new page, the pages numbered through; in the HTML one after another. Figures are
/// numbered through as well.
QByteArray renderReportPdf(const std::vector<ReportDocument>& documents, const ShowPart& showPart);
QByteArray renderReportHtml(const std::vector<ReportDocument>& documents, const ShowPart& showPart);
QByteArray renderHandoutPdf(const Lesson& lesson, const QString& outcome, Chart& chart,
                            const ExperimentResult& result);

}  // namespace coreduel::ui
