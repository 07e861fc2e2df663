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
/// `forPrint`: for Qt's own renderer (the PDF), whose squeezed cells break "0.0016" after
/// its point unless a word joiner follows it; a browser's page keeps its numbers clean (its
/// style sheet says right-aligned cells never wrap), so they copy into a spreadsheet as numbers.
QString tableHtml(const ReportTable& table, std::size_t from, std::size_t to, bool withNote,
                  bool continued = false, bool forPrint = true);
QString blockHtml(const ReportBlock& block);  ///< paragraphs or bullets (not tables)

}  // namespace coreduel::ui
