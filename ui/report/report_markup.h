#pragma once
// Rich-text markup for the report's parts, in the subset of HTML that both QTextDocument (the
// PDF) and a browser (the HTML report) render: escaped cells, line breaks kept, numbers
// right-aligned, zebra rows. Styling that only a browser understands stays in report_html.cpp.

#include <QString>

#include "ui/report/report_document.h"

namespace coreduel::ui {

/// Plain text as HTML: escaped, "\n" as a line break.
QString htmlText(const QString& plain);
/// Rows [from, to) of `table` as an HTML table (the header on every part); `withNote` adds the
/// note under it. `continued` marks a part after the first.
QString tableHtml(const ReportTable& table, std::size_t from, std::size_t to, bool withNote,
                  bool continued = false);
QString blockHtml(const ReportBlock& block);  ///< paragraphs or bullets (not tables)

}  // namespace coreduel::ui
