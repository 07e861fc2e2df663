#pragma once
// The content of a report, apart from how it is laid out: a title block, the verdict in
// sentences, the warnings the result carries, the charts with captions that say what they show
// and how it was measured, the tables (headers with units, cells already formatted) and the
// appendices (statistics, environment, the experiment as key: value). The PDF and the HTML
// renderers (report_pdf.cpp, report_html.cpp) draw the same document, so both say the same
// thing to whoever reads them.

#include <QString>
#include <QStringList>
#include <vector>

#include "core/run/result.h"
#include "core/session/session.h"

namespace coreduel::ui {

class Chart;

struct ReportTable {
    QStringList header;              ///< column titles, units in brackets ("wall [s]")
    std::vector<bool> rightAligned;  ///< per column: numbers are right-aligned
    std::vector<QStringList> rows;   ///< plain text cells (renderers escape them)
    QString note;                    ///< plain text under the table (what the columns mean)
    bool keyValue = false;           ///< two columns, key: value, no header row
};

/// A block of a section: paragraphs of plain text, a bulleted list, or a table.
struct ReportBlock {
    enum class Kind { Paragraph, Bullets, Table } kind = Kind::Paragraph;
    QStringList text;  ///< Paragraph: one entry per paragraph; Bullets: one per item
    ReportTable table;
};

struct ReportSection {
    QString heading;
    std::vector<ReportBlock> blocks;
};

struct ReportFigure {
    Chart* chart = nullptr;
    QString caption;  ///< plain text: what it shows and how it was measured
};

struct ReportDocument {
    QString title;      ///< "CoreDuel report: primes"
    ReportTable facts;  ///< the title block (workload, models, machine, date, version)
    QStringList verdict;
    QStringList warnings;
    std::vector<ReportFigure> figures;  ///< only charts with data
    std::vector<ReportSection> sections;
    std::vector<ReportSection> appendices;  ///< headings without the "Appendix X." prefix
    QString footer;  ///< one short line for every page ("CoreDuel 0.1.0 · primes · 2024-…")
    /// In a report of a lesson's parts: the part whose data the charts must hold while this
    /// document's figures are drawn (the charts hold one part at a time); -1: as they are.
    int part = -1;
};

/// What a report knows beyond the result itself (the window knows it; a result file does not).
struct ReportContext {
    /// When the result was measured, as recorded ("2026-12-07T08:01:32Z", UTC); empty: not
    /// recorded, and the report says so.
    QString measuredAt;
    /// measuredAt is when the session began, not this part (a lesson's later parts).
    bool sessionStart = false;
};

/// Builds the document; `charts` may hold nullptrs and charts without data (left out). The
/// timeline's caption names the run it shows.
ReportDocument buildReportDocument(const ExperimentResult& result,
                                   const std::vector<Chart*>& charts,
                                   const ReportContext& context = {});

/// The first pages of a report of a lesson's session: the lesson, its parts, and the
/// explanation it gave at its end; the parts' own documents follow it.
ReportDocument buildSessionCover(const Session& session);

/// "Appendix A", "Appendix B", ...
QString appendixLabel(std::size_t index);

/// Three significant digits without an exponent: 0.000123, 0.0123, 1.23, 123, 12345.
QString significant(double value, int digits = 3);

}  // namespace coreduel::ui
