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

// renderPng, renderPdf, renderSvg and exportChart: ui/chart_export.cpp.

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

namespace {

QString environmentText(const Environment& e) {
    // The table's machine line, plus what a reader of a report also wants to know.
    return QStringLiteral("%1\nmemory: %2 MiB\nhardware counters: %3\ncompiler: %4")
        .arg(QString::fromStdString(formatMachine(e)))
        .arg(e.memoryKib / 1024)
        .arg(QString::fromStdString(e.hardwareCounters))
        .arg(QString::fromStdString(e.compiler));
}

QString experimentText(const ExperimentResult& r) {
    return QString::fromStdString(toJson(r.experiment).dump(2));
}

/// Draws monospaced text from `lines[from]` down the page; returns the first line not drawn.
std::size_t drawLines(QPainter& p, const QStringList& lines, std::size_t from, const QRectF& box) {
    const QFontMetricsF fm(p.font(), p.device());
    double y = box.top() + fm.ascent();
    std::size_t i = from;
    for (; i < static_cast<std::size_t>(lines.size()); ++i) {
        if (y > box.bottom()) break;
        p.drawText(QPointF(box.left(), y), lines[static_cast<int>(i)]);
        y += fm.lineSpacing();
    }
    return i;
}

QByteArray reportPdf(const ExperimentResult& r, const std::vector<Chart*>& charts) {
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    {
        QPdfWriter writer(&buffer);
        writer.setCreator(QStringLiteral("CoreDuel"));
        writer.setTitle(QStringLiteral("CoreDuel report: %1")
                            .arg(QString::fromStdString(r.experiment.workload)));
        writer.setPageSize(QPageSize(QPageSize::A4));
        writer.setPageOrientation(QPageLayout::Landscape);
        writer.setPageMargins(QMarginsF(12, 12, 12, 12), QPageLayout::Millimeter);
        writer.setResolution(96);  // as the screen: see renderPdf
        QCPPainter p(&writer);
        const QRectF page(QPointF(0, 0), QSizeF(writer.width(), writer.height()));
        QFont title(QStringLiteral("DejaVu Sans"), 16, QFont::Bold);
        QFont body(QStringLiteral("DejaVu Sans"), 10);
        QFont mono(QStringLiteral("DejaVu Sans Mono"), 7);
        // Page 1: what was run, the verdict, where.
        p.setFont(title);
        p.drawText(page.adjusted(0, 0, 0, -page.height() + 80), Qt::AlignLeft | Qt::AlignTop,
                   QStringLiteral("CoreDuel report — %1")
                       .arg(QString::fromStdString(r.experiment.workload)));
        p.setFont(body);
        QString summary = QStringLiteral("Verdict\n%1\n\nEnvironment\n%2\n")
                              .arg(QString::fromStdString(formatVerdict(r)).trimmed())
                              .arg(environmentText(r.environment));
        summary += QStringLiteral("\nSampler: %1 and %2, %3 % of one core\n")
                       .arg(QString::fromStdString(r.sampler.systemSource))
                       .arg(QString::fromStdString(r.sampler.oursSource))
                       .arg(r.samplerCostPct, 0, 'f', 2);
        QRectF box = page.adjusted(0, 90, 0, 0);
        std::size_t next = drawLines(p, summary.split(QLatin1Char('\n')), 0, box);
        Q_UNUSED(next);
        // One page per chart, at a slide's aspect ratio.
        for (Chart* chart : charts) {
            if (chart == nullptr || !chart->hasData()) continue;
            writer.newPage();
            const int w = static_cast<int>(page.width());
            const int h = static_cast<int>(std::min(page.height(), page.width() * 9 / 16));
            chart->toPainter(&p, w, h);
        }
        // The table and the statistics, monospaced, as many pages as they need.
        p.setFont(mono);
        const QStringList lines =
            QString::fromStdString(formatTable(r) + "\n" + formatAnalysis(r) + "\nexperiment:\n")
                .split(QLatin1Char('\n')) +
            experimentText(r).split(QLatin1Char('\n'));
        // Wrap lines wider than the page (the per-worker breakdown lines are long).
        QStringList wrapped;
        const QFontMetricsF fm(mono, &writer);
        const int perLine =
            std::max(20, static_cast<int>(page.width() / fm.horizontalAdvance(QLatin1Char('m'))));
        for (const QString& l : lines) {
            for (int i = 0; i < std::max<int>(1, l.size()); i += perLine)
                wrapped << l.mid(i, perLine);
        }
        std::size_t line = 0;
        while (line < static_cast<std::size_t>(wrapped.size())) {
            writer.newPage();
            const std::size_t before = line;
            line = drawLines(p, wrapped, line, page);
            if (line == before) break;  // a page that holds nothing: give up rather than loop
        }
    }
    return bytes;
}

std::string reportHtml(const ExperimentResult& r, const std::vector<Chart*>& charts) {
    std::string html = toHtml(r);
    std::string figures = "<h2>Charts</h2>\n";
    for (Chart* chart : charts) {
        if (chart == nullptr || !chart->hasData()) continue;
        const QByteArray png = renderPng(*chart, ImageOptions{QSize(1600, 900), 144});
        figures += "<figure><img alt=\"" + chart->title().toHtmlEscaped().toStdString() +
                   "\" style=\"max-width:100%\" src=\"data:image/png;base64," +
                   png.toBase64().toStdString() + "\"><figcaption>" +
                   chart->title().toHtmlEscaped().toStdString() + "</figcaption></figure>\n";
    }
    figures += "<h2>Environment</h2>\n<pre>" +
               environmentText(r.environment).toHtmlEscaped().toStdString() + "</pre>\n";
    const auto body = html.rfind("</body>");
    if (body == std::string::npos) return html + figures;
    html.insert(body, figures);
    return html;
}

}  // namespace

void exportHandout(const Lesson& lesson, const QString& outcome, Chart& chart,
                   const ExperimentResult& result, const QString& path) {
    if (suffixOf(path) != QLatin1String("pdf")) {
        throw ExportError(path.toStdString() + ": a handout is a PDF (.pdf)");
    }
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    {
        QPdfWriter writer(&buffer);
        writer.setCreator(QStringLiteral("CoreDuel"));
        writer.setTitle(QString::fromStdString(lesson.title));
        writer.setPageSize(QPageSize(QPageSize::A4));
        writer.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout::Millimeter);
        writer.setResolution(96);  // as the screen: see renderPdf
        QCPPainter p(&writer);
        const double w = writer.width();
        const double h = writer.height();
        double y = 0;
        // Text blocks laid out with QTextDocument so long paragraphs wrap to the page width.
        auto block = [&](const QString& html, int points) {
            QTextDocument doc;
            doc.setDefaultFont(QFont(QStringLiteral("DejaVu Sans"), points));
            doc.setTextWidth(w);
            doc.setHtml(html);
            p.save();
            p.translate(0, y);
            doc.drawContents(&p);
            p.restore();
            y += doc.size().height() + 6;
        };
        block(QStringLiteral("<b>%1</b>").arg(QString::fromStdString(lesson.title).toHtmlEscaped()),
              18);
        block(QStringLiteral("<i>The guide: “%1”</i>")
                  .arg(QString::fromStdString(lesson.claim).toHtmlEscaped()),
              10);
        block(QStringLiteral("<b>Question.</b> %1")
                  .arg(QString::fromStdString(lesson.question).toHtmlEscaped()),
              11);
        const int chartHeight = static_cast<int>(std::min(w * 0.6, h * 0.42));
        p.save();
        p.translate(0, y);
        chart.toPainter(&p, static_cast<int>(w), chartHeight);
        p.restore();
        y += chartHeight + 8;
        block(QStringLiteral("<b>What happened.</b> %1")
                  .arg(outcome.toHtmlEscaped().replace(QLatin1Char('\n'), QStringLiteral("<br>"))),
              11);
        block(QStringLiteral("Measured by CoreDuel on %1; %2.")
                  .arg(QString::fromStdString(formatMachine(result.environment)).toHtmlEscaped())
                  .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"))),
              8);
    }
    writeAtomically(path, bytes);
}

void exportReport(const ExperimentResult& result, const std::vector<Chart*>& charts,
                  const QString& path) {
    const QString ext = suffixOf(path);
    if (ext == QLatin1String("pdf")) {
        writeAtomically(path, reportPdf(result, charts));
    } else if (ext == QLatin1String("html") || ext == QLatin1String("htm")) {
        writeAtomically(path, QByteArray::fromStdString(reportHtml(result, charts)));
    } else {
        throw ExportError(path.toStdString() + ": unknown report format (use .pdf or .html)");
    }
}

}  // namespace coreduel::ui
