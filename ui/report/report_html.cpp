// The report as one self-contained HTML page: the styles inline in <style>, every chart as an
// embedded PNG (data: URI), nothing loaded from elsewhere, so it can be mailed or archived
// as a single file and prints on A4 as well as it reads on a screen.

#include <QSize>

#include "ui/export/exporter.h"
#include "ui/plots/chart.h"
#include "ui/report/report_charts.h"
#include "ui/report/report_markup.h"
#include "ui/report/report_render.h"

namespace coreduel::ui {
namespace {

const char* const kStyle = R"(
body { font-family: "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; font-size: 15px;
       line-height: 1.45; color: #1d232b; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.7rem; margin-bottom: 0.4rem; }
h2 { font-size: 1.25rem; margin-top: 2.2rem; border-bottom: 1px solid #cfd6df; }
table.data { border-collapse: collapse; width: 100%; font-size: 0.85rem; margin: 0.4rem 0; }
table.data th { text-align: left; background: #dfe5ee; vertical-align: bottom; }
table.data th, table.data td { padding: 0.25rem 0.45rem; }
table.data th[align=right], table.data td[align=right] { text-align: right;
       font-variant-numeric: tabular-nums; white-space: nowrap; }
p.note { color: #444; font-size: 0.85rem; }
figure { margin: 1.2rem 0; }
figure img { width: 100%; height: auto; border: 1px solid #e3e7ec; }
figcaption { font-size: 0.9rem; color: #333; margin-top: 0.3rem; }
ul.warnings { background: #fff4e0; border-left: 4px solid #e0a030; padding: 0.6rem 0.6rem 0.6rem 2rem; }
footer { margin-top: 3rem; color: #666; font-size: 0.8rem; }
article + article { margin-top: 3rem; border-top: 3px solid #1d232b; }
@media print { body { max-width: none; margin: 0; } figure, table { break-inside: avoid; } }
)";

QString section(const ReportSection& s, const QString& prefix) {
    QString html = QStringLiteral("<section>\n<h2>%1</h2>\n")
                       .arg(htmlText(prefix.isEmpty() ? s.heading
                                                      : prefix + QStringLiteral(". ") + s.heading));
    for (const ReportBlock& b : s.blocks) {
        html += b.kind == ReportBlock::Kind::Table
                    ? tableHtml(b.table, 0, b.table.rows.size(), true, false, /*forPrint=*/false)
                    : blockHtml(b);
        html += QLatin1Char('\n');
    }
    return html + QStringLiteral("</section>\n");
}

}  // namespace

QByteArray renderReportHtml(const ReportDocument& d) {
    return renderReportHtml(std::vector<ReportDocument>{d}, {});
}

QByteArray renderReportHtml(const std::vector<ReportDocument>& documents,
                            const ShowPart& showPart) {
    if (documents.empty()) return {};
    QString html = QStringLiteral(
                       "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                       "<title>%1</title>\n<style>%2</style>\n</head>\n<body>\n")
                       .arg(htmlText(documents.front().title), QString::fromLatin1(kStyle));
    int number = 0;  // figures are numbered through the parts
    for (const ReportDocument& d : documents) {
        if (d.part >= 0 && showPart) showPart(d.part);
        html += QStringLiteral("<article>\n<h1>%1</h1>\n").arg(htmlText(d.title));
        if (!d.facts.rows.empty())
            html += tableHtml(d.facts, 0, d.facts.rows.size(), false, false, /*forPrint=*/false) +
                    QLatin1Char('\n');
        if (!d.verdict.isEmpty()) html += QStringLiteral("<h2>Verdict</h2>\n");
        for (const QString& s : d.verdict) html += QStringLiteral("<p>%1</p>\n").arg(htmlText(s));
        if (!d.warnings.isEmpty()) {
            html +=
                QStringLiteral("<h2>Read these before the numbers</h2>\n<ul class=\"warnings\">\n");
            for (const QString& w : d.warnings)
                html += QStringLiteral("<li>%1</li>\n").arg(htmlText(w));
            html += QStringLiteral("</ul>\n");
        }
        if (!d.figures.empty()) html += QStringLiteral("<h2>Charts</h2>\n");
        for (const ReportFigure& f : d.figures) {
            // 1600 × 992 at 144 DPI: sharp on a high-density screen, labels as large relative to
            // the chart as in the window.
            const QByteArray png = chartPngForPrint(*f.chart, QSize(1600, 992), 144);
            html += QStringLiteral(
                        "<figure><img alt=\"%1\" src=\"data:image/png;base64,%2\">"
                        "<figcaption><b>Figure %3.</b> %4</figcaption></figure>\n")
                        .arg(f.chart->title().toHtmlEscaped(), QString::fromLatin1(png.toBase64()))
                        .arg(++number)
                        .arg(htmlText(f.caption));
        }
        for (const ReportSection& s : d.sections) html += section(s, QString());
        for (std::size_t i = 0; i < d.appendices.size(); ++i)
            html += section(d.appendices[i], appendixLabel(i));
        html += QStringLiteral("</article>\n");
    }
    html += QStringLiteral("<footer>%1</footer>\n</body>\n</html>\n")
                .arg(htmlText(documents.back().footer));
    return html.toUtf8();
}

}  // namespace coreduel::ui
