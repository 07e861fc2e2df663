// The report as A4 pages: text and tables laid out by QTextDocument (real tables, wrapped
// cells, the header repeated where a table continues on the next page), charts drawn as vector
// graphics at the full text width, and a footer with the page number on every page. Layout
// runs first and only records what goes where, so the footer can say "page 2 of 7".

#include <qcustomplot.h>

#include <QAbstractTextDocumentLayout>
#include <QBuffer>
#include <QPageLayout>
#include <QPageSize>
#include <QPdfWriter>
#include <QTextDocument>
#include <memory>

#include "ui/plots/chart.h"
#include "ui/report/report_charts.h"
#include "ui/report/report_markup.h"
#include "ui/report/report_render.h"

namespace coreduel::ui {
namespace {

const QString kFamily = QStringLiteral("DejaVu Sans");
constexpr double kTitlePt = 19;
constexpr double kHeadingPt = 13;
constexpr double kBodyPt = 9.5;
constexpr double kCaptionPt = 8.5;
constexpr double kTablePt = 8;
constexpr double kFooterSpace = 26;    // px at 96 DPI below the text area for the footer
constexpr double kChartAspect = 0.62;  // height over width: room for the legend below the plot
// Charts are laid out this wide (px) and scaled to the text width (about 660 px on A4), so
// their 11 pt labels print at about 9 pt, the size of the text around them.
constexpr double kChartLayoutWidth = 800;

/// Where everything goes, page by page; drawn afterwards.
class PageFlow {
public:
    PageFlow(QPaintDevice* device, double width, double height)
        : m_device(device), m_width(width), m_height(height) {}

    struct Item {
        int page = 0;
        double y = 0;
        std::shared_ptr<QTextDocument> doc;  // text, or
        Chart* chart = nullptr;              // a chart of `chartHeight`
        double chartHeight = 0;
        int part = -1;  // the session part the chart must show (ReportDocument::part)
    };

    [[nodiscard]] const std::vector<Item>& items() const { return m_items; }
    [[nodiscard]] int pages() const { return m_page + 1; }
    [[nodiscard]] double width() const { return m_width; }

    std::shared_ptr<QTextDocument> makeDoc(const QString& html, double points) const {
        auto doc = std::make_shared<QTextDocument>();
        doc->documentLayout()->setPaintDevice(m_device);
        QFont font(kFamily);
        font.setPointSizeF(points);
        doc->setDefaultFont(font);
        doc->setDocumentMargin(0);
        // Break lines between words only: a number or a word cut in two ("0." / "0639") reads
        // as two values. Table columns then grow to their longest word.
        QTextOption option;
        option.setWrapMode(QTextOption::WordWrap);
        doc->setDefaultTextOption(option);
        doc->setDefaultStyleSheet(
            QStringLiteral("p { margin-top: 0px; margin-bottom: 5px; } ul { margin-top: 0px; }"
                           "li { margin-bottom: 3px; } th { font-weight: bold; }"));
        doc->setTextWidth(m_width);
        doc->setHtml(html);
        return doc;
    }

    void newPage() {
        ++m_page;
        m_y = 0;
    }
    void space(double px) {
        if (m_y > 0) m_y += px;
    }

    /// A block that is not split; a new page first when it does not fit the rest of this one.
    /// `keepWithNext`: room needed after it (a heading stays with what follows).
    void text(const QString& html, double points, double keepWithNext = 0, double after = 6) {
        place(makeDoc(html, points), keepWithNext);
        m_y += after;
    }

    /// A heading stays with at least `keepWithNext` px of what follows it.
    void heading(const QString& title, double keepWithNext = 120) {
        space(10);
        text(QStringLiteral("<p style=\"font-size:%1pt\"><b>%2</b></p>")
                 .arg(kHeadingPt)
                 .arg(htmlText(title)),
             kBodyPt, keepWithNext, 2);
    }

    /// As many rows as fit on each page, the header repeated on every part.
    void table(const ReportTable& t) {
        const std::size_t n = t.rows.size();
        std::size_t from = 0;
        bool first = true;
        if (n == 0) return;
        while (from < n) {
            const double room = m_height - m_y;
            auto docFor = [&](std::size_t to) {
                return makeDoc(tableHtml(t, from, to, to == n, !first), kTablePt);
            };
            std::size_t fits = from;  // rows [from, fits) fit
            if (docFor(n)->size().height() <= room) {
                fits = n;
            } else {
                std::size_t lo = from + 1, hi = n - 1;  // find the largest that fits
                while (lo <= hi) {
                    const std::size_t mid = lo + (hi - lo) / 2;
                    if (docFor(mid)->size().height() <= room) {
                        fits = mid;
                        lo = mid + 1;
                    } else {
                        hi = mid - 1;
                    }
                }
            }
            // Fewer than three rows at the foot of a page read badly: start on the next.
            const bool stub = fits < n && fits - from < 3 && m_y > 0;
            if ((fits == from || stub) && m_y > 0) {
                newPage();
                continue;
            }
            if (fits == from) fits = from + 1;  // a row taller than a page: drawn, cut
            auto doc = docFor(fits);
            m_items.push_back({m_page, m_y, doc, nullptr, 0});
            m_y += doc->size().height() + 8;
            from = fits;
            first = false;
            if (from < n) newPage();
        }
    }

    void figure(Chart* chart, const QString& caption, int number, int part) {
        const double h = std::round(m_width * kChartAspect);
        auto cap = makeDoc(
            QStringLiteral("<p><b>Figure %1.</b> %2</p>").arg(number).arg(htmlText(caption)),
            kCaptionPt);
        const double total = h + 6 + cap->size().height();
        if (m_y > 0 && m_y + total > m_height) newPage();
        m_items.push_back({m_page, m_y, nullptr, chart, h, part});
        m_y += h + 6;
        m_items.push_back({m_page, m_y, cap, nullptr, 0});
        m_y += cap->size().height() + 16;
    }

private:
    void place(std::shared_ptr<QTextDocument> doc, double keepWithNext) {
        const double h = doc->size().height();
        if (m_y > 0 && m_y + h + keepWithNext > m_height) newPage();
        m_items.push_back({m_page, m_y, std::move(doc), nullptr, 0});
        m_y += h;
    }

    QPaintDevice* m_device;
    double m_width;
    double m_height;
    std::vector<Item> m_items;
    int m_page = 0;
    double m_y = 0;
};

void layoutSection(PageFlow& flow, const ReportSection& s, const QString& prefix) {
    flow.heading(prefix.isEmpty() ? s.heading : prefix + QStringLiteral(". ") + s.heading);
    for (const ReportBlock& b : s.blocks) {
        if (b.kind == ReportBlock::Kind::Table) {
            flow.table(b.table);
        } else {
            flow.text(blockHtml(b), kBodyPt);
        }
    }
}

/// `number`: the last figure's number so far (figures are numbered through several documents).
void layoutDocument(PageFlow& flow, const ReportDocument& d, int& number) {
    flow.text(QStringLiteral("<p style=\"font-size:%1pt\"><b>%2</b></p>")
                  .arg(kTitlePt)
                  .arg(htmlText(d.title)),
              kBodyPt, 0, 4);
    flow.table(d.facts);
    if (!d.verdict.isEmpty()) {
        flow.heading(QStringLiteral("Verdict"));
        ReportBlock verdict;
        verdict.text = d.verdict;
        flow.text(blockHtml(verdict), kBodyPt + 0.5);
    }
    if (!d.warnings.isEmpty()) {
        flow.heading(QStringLiteral("Read these before the numbers"));
        ReportBlock warnings;
        warnings.kind = ReportBlock::Kind::Bullets;
        warnings.text = d.warnings;
        flow.text(blockHtml(warnings), kBodyPt);
    }
    if (!d.figures.empty()) {
        flow.heading(QStringLiteral("Charts"), std::round(flow.width() * kChartAspect) + 40);
    }
    for (const ReportFigure& f : d.figures) flow.figure(f.chart, f.caption, ++number, d.part);
    for (const ReportSection& s : d.sections) layoutSection(flow, s, QString());
    for (std::size_t i = 0; i < d.appendices.size(); ++i) {
        // Each appendix starts on a page of its own only when the last one left little room.
        layoutSection(flow, d.appendices[i], appendixLabel(i));
    }
}

}  // namespace

QByteArray renderReportPdf(const ReportDocument& d) {
    return renderReportPdf(std::vector<ReportDocument>{d}, {});
}

QByteArray renderReportPdf(const std::vector<ReportDocument>& documents, const ShowPart& showPart) {
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    if (documents.empty()) return bytes;
    {
        QPdfWriter writer(&buffer);
        writer.setCreator(QStringLiteral("CoreDuel"));
        writer.setTitle(documents.front().title);
        writer.setPageSize(QPageSize(QPageSize::A4));
        writer.setPageOrientation(QPageLayout::Portrait);
        writer.setPageMargins(QMarginsF(17, 15, 17, 12), QPageLayout::Millimeter);
        // 96 DPI, as the screen: QCustomPlot lays text out with screen font metrics.
        writer.setResolution(96);
        const double width = writer.width();
        const double height = writer.height() - kFooterSpace;
        PageFlow flow(&writer, width, height);
        std::vector<QString> footers;  // per page: the footer of the document it belongs to
        int number = 0;
        for (std::size_t i = 0; i < documents.size(); ++i) {
            if (i > 0) flow.newPage();  // a part starts on a page of its own
            layoutDocument(flow, documents[i], number);
            footers.resize(static_cast<std::size_t>(flow.pages()), documents[i].footer);
        }

        QCPPainter p(&writer);
        p.setRenderHint(QPainter::Antialiasing);
        QFont footerFont(kFamily);
        footerFont.setPointSizeF(7.5);
        const int pages = flow.pages();
        int shown = -1;  // the part the charts hold now (-1: as they were)
        for (int page = 0; page < pages; ++page) {
            if (page > 0) writer.newPage();
            for (const auto& item : flow.items()) {
                if (item.page != page) continue;
                if (item.chart != nullptr && item.part >= 0 && item.part != shown && showPart) {
                    showPart(item.part);
                    shown = item.part;
                }
                p.save();
                p.translate(0, item.y);
                if (item.doc) {
                    item.doc->drawContents(&p);
                } else if (item.chart != nullptr) {
                    drawChartForPrint(*item.chart, p, width, item.chartHeight, kChartLayoutWidth);
                }
                p.restore();
            }
            p.save();
            p.setFont(footerFont);
            p.setPen(QColor(0x55, 0x55, 0x55));
            const QRectF footer(0, height + 8, width, kFooterSpace - 8);
            p.drawLine(QPointF(0, height + 4), QPointF(width, height + 4));
            p.drawText(footer, Qt::AlignLeft | Qt::AlignVCenter,
                       footers.at(static_cast<std::size_t>(page)));
            p.drawText(footer, Qt::AlignRight | Qt::AlignVCenter,
                       QStringLiteral("page %1 of %2").arg(page + 1).arg(pages));
            p.restore();
        }
    }
    return bytes;
}

}  // namespace coreduel::ui
