// A lesson's handout: one A4 page whatever the length of the lesson's texts. The text blocks
// are measured first; the chart takes the room that is left (within a readable range), and
// when even the smallest chart leaves too little, every font steps down together until it all
// fits, never below 7 pt: nothing is drawn past the page.

#include <qcustomplot.h>

#include <QAbstractTextDocumentLayout>
#include <QBuffer>
#include <QDateTime>
#include <QPageLayout>
#include <QPageSize>
#include <QPdfWriter>
#include <QTextDocument>
#include <memory>

#include "core/report/table_report.h"
#include "ui/plots/chart.h"
#include "ui/report/report_charts.h"
#include "ui/report/report_markup.h"
#include "ui/report/report_render.h"

namespace coreduel::ui {
namespace {

struct Block {
    QString html;
    double points = 10;
};

std::shared_ptr<QTextDocument> layoutBlock(QPaintDevice* device, const QString& html, double points,
                                           double width) {
    auto doc = std::make_shared<QTextDocument>();
    doc->documentLayout()->setPaintDevice(device);
    QFont font(QStringLiteral("DejaVu Sans"));
    font.setPointSizeF(points);
    doc->setDefaultFont(font);
    doc->setDocumentMargin(0);
    QTextOption option;
    option.setWrapMode(QTextOption::WordWrap);  // never a word cut in two
    doc->setDefaultTextOption(option);
    doc->setDefaultStyleSheet(QStringLiteral("p { margin-top: 0px; margin-bottom: 4px; }"));
    doc->setTextWidth(width);
    doc->setHtml(html);
    return doc;
}

}  // namespace

QByteArray renderHandoutPdf(const Lesson& lesson, const QString& outcome, Chart& chart,
                            const ExperimentResult& result) {
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    {
        QPdfWriter writer(&buffer);
        writer.setCreator(QStringLiteral("CoreDuel"));
        writer.setTitle(QString::fromStdString(lesson.title));
        writer.setPageSize(QPageSize(QPageSize::A4));
        writer.setPageMargins(QMarginsF(16, 14, 16, 14), QPageLayout::Millimeter);
        writer.setResolution(96);  // as the screen: QCustomPlot lays text out in screen metrics
        const double w = writer.width();
        const double h = writer.height();
        constexpr double kGap = 8;

        const QString outcomeHtml =
            QStringLiteral("<p><b>What happened.</b> %1</p>")
                .arg(htmlText(outcome.trimmed())
                         .replace(QStringLiteral(" %"), QStringLiteral("&#160;%")));
        std::vector<Block> blocks = {
            {QStringLiteral("<p><b>%1</b></p>").arg(htmlText(QString::fromStdString(lesson.title))),
             18},
            {QStringLiteral("<p><i>The guide says: “%1”</i></p>")
                 .arg(htmlText(QString::fromStdString(lesson.claim))),
             10.5},
            {QStringLiteral("<p><b>Question.</b> %1</p>")
                 .arg(htmlText(QString::fromStdString(lesson.question))),
             11},
            {outcomeHtml, 11},
            {QStringLiteral("<p>Measured with CoreDuel on %1; handout made %2.</p>")
                 .arg(htmlText(QString::fromStdString(formatMachine(result.environment))))
                 .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"))),
             8},
        };
        constexpr std::size_t kChartAfter = 2;  // the chart sits between question and outcome
        // The chart's title, two subtitle lines and legend take ~0.2 w of it: at 0.38 w a long
        // outcome left the plot itself a squashed strip (a walkthrough's handout).
        const double minChart = w * 0.46;
        const double maxChart = w * 0.62;
        double textHeight = 0;
        std::vector<std::shared_ptr<QTextDocument>> docs;
        for (double scale = 1.0;; scale -= 0.08) {
            textHeight = 0;
            docs.clear();
            for (const Block& b : blocks) {
                docs.push_back(layoutBlock(&writer, b.html, std::max(7.0, b.points * scale), w));
                textHeight += docs.back()->size().height() + kGap;
            }
            if (textHeight + minChart + kGap <= h || scale < 0.66) break;  // 0.6: 18 pt -> 11 pt
        }
        const double chartHeight =
            std::clamp(h - textHeight - kGap, std::min(minChart, h * 0.2), maxChart);

        QCPPainter p(&writer);
        p.setRenderHint(QPainter::Antialiasing);
        double y = 0;
        for (std::size_t i = 0; i < docs.size(); ++i) {
            p.save();
            p.translate(0, y);
            docs[i]->drawContents(&p);
            p.restore();
            y += docs[i]->size().height() + kGap;
            if (i == kChartAfter) {
                p.save();
                p.translate(0, y);
                drawChartForPrint(chart, p, w, chartHeight, w * 1.15);
                p.restore();
                y += chartHeight + kGap;
            }
        }
    }
    return bytes;
}

}  // namespace coreduel::ui
