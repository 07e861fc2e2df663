#pragma once
// The report's and the handout's renderers: a ReportDocument laid out as A4 PDF pages
// (report_pdf.cpp) or as one self-contained HTML page (report_html.cpp), and a lesson's
// one-page handout (report_handout.cpp). Each returns the file's bytes; exporter.cpp writes
// them atomically.

#include <QByteArray>
#include <QString>

#include "core/lessons/lesson.h"
#include "core/run/result.h"
#include "ui/report_document.h"

namespace coreduel::ui {

class Chart;

QByteArray renderReportPdf(const ReportDocument& document);
QByteArray renderReportHtml(const ReportDocument& document);
QByteArray renderHandoutPdf(const Lesson& lesson, const QString& outcome, Chart& chart,
                            const ExperimentResult& result);

}  // namespace coreduel::ui
