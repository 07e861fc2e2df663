// Chart exports as a slide-maker uses them: type that grows with the picture, nothing cut at
// any preset or free size, SVG drawn inside the plot area (checked with an independent
// renderer, rsvg-convert), presets that produce their sizes, and "export all" names and skips.

#include <gtest/gtest.h>

#include <QDir>
#include <QFile>
#include <QFontMetricsF>
#include <QImage>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QXmlStreamReader>

#include "tests/ui/ui_support.h"
#include "ui/export/chart_export.h"
#include "ui/export/export_dialog.h"
#include "ui/export/exporter.h"
#include "ui/plots/breakdown_chart.h"
#include "ui/plots/resources_chart.h"
#include "ui/plots/speedup_chart.h"

using namespace coreduel;
using namespace coreduel::ui;

namespace {

struct ExportCharts {
    SpeedupChart speedup;
    BreakdownChart breakdown;
    ResourcesChart resources;
    ExportCharts() {
        const ExperimentResult r = test::goldenResult();
        speedup.setResult(r);
        breakdown.setRuns(r.runs);
        resources.setRuns(r.runs);
    }
    std::vector<Chart*> all() { return {&speedup, &breakdown, &resources}; }
};

QCPTextElement* titleOf(Chart& chart) {
    return qobject_cast<QCPTextElement*>(chart.plotLayout()->element(0, 0));
}

QRect toOutput(const QRect& r, const ExportGeometry& g, QSize pixels) {
    const double sx = double(pixels.width()) / g.logical.width();
    const double sy = double(pixels.height()) / g.logical.height();
    return QRect(QPoint(int(r.left() * sx), int(r.top() * sy)),
                 QPoint(int((r.right() + 1) * sx) - 1, int((r.bottom() + 1) * sy) - 1));
}

bool isWhite(QRgb p) {
    return qRed(p) > 245 && qGreen(p) > 245 && qBlue(p) > 245;
}

/// The box around every non-white pixel.
QRect inkBox(const QImage& image) {
    QRect box;
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            if (!isWhite(image.pixel(x, y))) box |= QRect(x, y, 1, 1);
        }
    }
    return box;
}

bool haveRsvg() {
    return !QStandardPaths::findExecutable(QStringLiteral("rsvg-convert")).isEmpty();
}

/// The SVG rasterized by librsvg (not Qt) at `size` (or its own size) on white.
QImage rsvg(const QByteArray& svg, QSize size = {}) {
    QTemporaryDir dir;
    const QString in = dir.filePath(QStringLiteral("in.svg"));
    const QString out = dir.filePath(QStringLiteral("out.png"));
    QFile f(in);
    if (!f.open(QIODevice::WriteOnly) || f.write(svg) != svg.size()) return {};
    f.close();
    QStringList args{QStringLiteral("-b"), QStringLiteral("white"), QStringLiteral("-o"), out};
    if (size.isValid())
        args << QStringLiteral("-w") << QString::number(size.width()) << QStringLiteral("-h")
             << QString::number(size.height());
    args << in;
    QProcess p;
    p.start(QStringLiteral("rsvg-convert"), args);
    if (!p.waitForFinished(60000) || p.exitCode() != 0) {
        ADD_FAILURE() << "rsvg-convert: " << p.readAllStandardError().toStdString();
        return {};
    }
    QImage image(out);
    return image.convertToFormat(QImage::Format_RGB32);
}

}  // namespace

TEST(ChartExport, TypeGrowsWithTheOutputAndReadsFromTheBackOfTheRoom) {
    SpeedupChart chart;
    chart.setResult(test::goldenResult());
    double lastTick = 0;
    double lastTitle = 0;
    for (QSize size : {QSize(640, 360), QSize(1280, 720), QSize(1920, 1080), QSize(3840, 2160)}) {
        ExportLayout layout(chart, ImageOptions{size, 96});
        const double s = layout.geometry().scale;
        // Heights in output pixels.
        const double tick = QFontMetricsF(chart.xAxis->tickLabelFont()).height() * s;
        const double title = QFontMetricsF(titleOf(chart)->font()).height() * s;
        const double legend = QFontMetricsF(chart.legend->font()).height() * s;
        const int shorter = std::min(size.width(), size.height());
        EXPECT_GT(tick, lastTick * 1.4) << size.width();
        EXPECT_GT(title, lastTitle * 1.4) << size.width();
        // From 1280 × 720 up, tick labels and legend take at least 3 % of the shorter side,
        // the title 3.5 % (at 1080 px: 32 and 38 px; a 96 DPI layout blown up gave 22 px).
        if (shorter >= 720) {
            EXPECT_GE(tick / shorter, 0.03) << size.width();
            EXPECT_GE(legend / shorter, 0.03) << size.width();
            EXPECT_GE(title / shorter, 0.035) << size.width();
        }
        lastTick = tick;
        lastTitle = title;
    }
    // In the picture itself: the title's ink (cap to descender) on a 1920 × 1080 slide.
    QImage png;
    ASSERT_TRUE(png.loadFromData(renderPng(chart, ImageOptions{QSize(1920, 1080), 144})));
    int top = -1, bottom = -1;
    for (int y = 0; y < png.height() / 8; ++y) {
        bool ink = false;
        for (int x = 0; x < png.width() && !ink; ++x) ink = qGray(png.pixel(x, y)) < 128;
        if (ink && top < 0) top = y;
        if (ink) bottom = y;
        if (!ink && top >= 0) break;
    }
    ASSERT_GE(top, 0);
    EXPECT_GE(bottom - top + 1, 30) << "title ink rows " << top << ".." << bottom;
}

TEST(ChartExport, ExportingPutsTheWidgetBackAsItWas) {
    SpeedupChart chart;
    chart.setResult(test::goldenResult());
    const QRect viewport = chart.viewport();
    const QFont tick = chart.xAxis->tickLabelFont();
    const QFont title = titleOf(chart)->font();
    renderSvg(chart, ImageOptions{QSize(3000, 2000), 300});
    EXPECT_EQ(chart.viewport(), viewport);
    EXPECT_EQ(chart.xAxis->tickLabelFont(), tick);
    EXPECT_EQ(titleOf(chart)->font(), title);
    EXPECT_EQ(chart.layer(QStringLiteral("coreduel-export-scratch")), nullptr);
    // No clip marker is left on a layer: the widget draws exactly what it drew before.
    int layerables = 0;
    for (int i = 0; i < chart.layerCount(); ++i) layerables += chart.layer(i)->children().size();
    renderSvg(chart, ImageOptions{QSize(800, 600), 96});
    int after = 0;
    for (int i = 0; i < chart.layerCount(); ++i) after += chart.layer(i)->children().size();
    EXPECT_EQ(after, layerables);
}

TEST(ChartExport, NothingIsCutAtPresetsOrFreeSizes) {
    ExportCharts c;
    std::vector<ImageOptions> sizes;
    for (const ExportPreset& p : exportPresets()) sizes.push_back({p.pixels, p.dpi});
    sizes.push_back({QSize(800, 600), 96});
    sizes.push_back({QSize(1080, 1080), 144});
    sizes.push_back({QSize(1366, 768), 96});
    sizes.push_back({QSize(640, 360), 96});
    for (Chart* chart : c.all()) {
        for (const ImageOptions& o : sizes) {
            const std::string what = chart->slug().toStdString() + " " +
                                     std::to_string(o.pixels.width()) + "x" +
                                     std::to_string(o.pixels.height());
            QRect legendOut;
            ExportGeometry g;
            {
                ExportLayout layout(*chart, o);
                g = layout.geometry();
                const QRect viewport(QPoint(0, 0), g.logical);
                for (QCPLayoutElement* e : chart->plotLayout()->elements(true)) {
                    if (e == nullptr || !e->visible()) continue;
                    EXPECT_TRUE(viewport.contains(e->outerRect()))
                        << what << ": " << e->metaObject()->className() << " at "
                        << e->outerRect().y() << "+" << e->outerRect().height();
                    if (qobject_cast<QCPTextElement*>(e) || qobject_cast<QCPLegend*>(e) ||
                        qobject_cast<QCPAbstractLegendItem*>(e)) {
                        // Squeezed below its minimum, an element's text runs over its edge.
                        const QSize min = e->minimumOuterSizeHint();
                        EXPECT_GE(e->outerRect().height(), min.height())
                            << what << ": " << e->metaObject()->className();
                        EXPECT_GE(e->outerRect().width(), min.width())
                            << what << ": " << e->metaObject()->className();
                    }
                }
                for (QCPAxisRect* rect : chart->axisRects()) {
                    EXPECT_GT(rect->width(), 80) << what;
                    EXPECT_GT(rect->height(), 50) << what;
                }
                if (o.pixels.width() >= 1200)
                    EXPECT_EQ(titleOf(*chart)->text(), chart->title()) << what << ": shortened";
                legendOut = toOutput(chart->legend->outerRect(), g, o.pixels);
            }
            if (o.pixels.width() > 2000) continue;  // the pixel check below: a few sizes do
            // The legend's frame is drawn, its lower edge too, inside the picture.
            QImage png;
            ASSERT_TRUE(png.loadFromData(renderPng(*chart, o))) << what;
            ASSERT_LT(legendOut.bottom(), png.height()) << what;
            bool lowerEdge = false;
            for (int y = std::max(0, legendOut.bottom() - 4);
                 y <= std::min(png.height() - 1, legendOut.bottom() + 4) && !lowerEdge; ++y) {
                int drawn = 0;
                const int from = legendOut.left() + 6;
                const int to = legendOut.right() - 6;
                for (int x = from; x <= to; ++x) drawn += isWhite(png.pixel(x, y)) ? 0 : 1;
                lowerEdge = drawn > (to - from) * 9 / 10;
            }
            EXPECT_TRUE(lowerEdge) << what << ": the legend's lower edge is missing";
            // The picture's own edges are background: nothing runs off it.
            const QRect ink = inkBox(png);
            EXPECT_GT(ink.top(), 0) << what;
            EXPECT_GT(ink.left(), 0) << what;
            EXPECT_LT(ink.bottom(), png.height() - 1) << what;
            EXPECT_LT(ink.right(), png.width() - 1) << what;
        }
    }
}

TEST(ChartExport, SvgDrawsPlotLinesOnlyInsideThePlotArea) {
    if (!haveRsvg()) {
        // scripts/bootstrap.sh installs librsvg2-bin, so CI runs this.
        GTEST_SKIP() << "rsvg-convert not installed (apt-get install librsvg2-bin)";
    }
    SpeedupChart chart;
    chart.setResult(test::goldenResult());
    const ImageOptions o{QSize(1920, 1080), 144};
    QRect plotArea;
    QRect legendArea;
    {
        ExportLayout layout(chart, o);
        plotArea = toOutput(chart.axisRect()->rect(), layout.geometry(), o.pixels);
        legendArea = toOutput(chart.legend->outerRect(), layout.geometry(), o.pixels);
    }
    const QByteArray svg = renderSvg(chart, o);
    QXmlStreamReader xml(svg);
    while (!xml.atEnd()) xml.readNext();
    ASSERT_FALSE(xml.hasError()) << xml.errorString().toStdString();
    const QImage full = rsvg(svg, o.pixels);
    ASSERT_EQ(full.size(), o.pixels);
    // The same chart without its plottables and items (lines, points, bars, the core line):
    // what they add must lie inside the plot area (the legend shows their samples).
    std::vector<QCPLayerable*> hidden;
    for (int i = 0; i < chart.plottableCount(); ++i) hidden.push_back(chart.plottable(i));
    for (int i = 0; i < chart.itemCount(); ++i) hidden.push_back(chart.item(i));
    for (QCPLayerable* l : hidden) l->setVisible(false);
    const QImage bare = rsvg(renderSvg(chart, o), o.pixels);
    for (QCPLayerable* l : hidden) l->setVisible(true);
    ASSERT_EQ(bare.size(), o.pixels);
    const QRect inside = plotArea.adjusted(-3, -3, 3, 3);
    int outside = 0;
    QRect where;
    for (int y = 0; y < full.height(); ++y) {
        for (int x = 0; x < full.width(); ++x) {
            if (inside.contains(x, y) || legendArea.contains(x, y)) continue;
            if (full.pixel(x, y) != bare.pixel(x, y)) {
                ++outside;
                where |= QRect(x, y, 1, 1);
            }
        }
    }
    EXPECT_EQ(outside, 0) << "plot content outside the plot area at x " << where.left() << ".."
                          << where.right() << ", y " << where.top() << ".." << where.bottom()
                          << " (plot area x " << plotArea.left() << ".." << plotArea.right()
                          << ", y " << plotArea.top() << ".." << plotArea.bottom() << ")";
    // The strip left of the plot area (tick labels, the y-axis title) holds no series colour.
    int coloured = 0;
    for (int y = plotArea.top(); y <= plotArea.bottom(); ++y) {
        for (int x = 0; x < plotArea.left() - 3; ++x) {
            const QColor c(full.pixel(x, y));
            if (c.hsvSaturation() > 80 && c.value() > 60) ++coloured;
        }
    }
    EXPECT_EQ(coloured, 0);
    // And librsvg draws the picture where Qt's PNG has it: the same ink box, give or take.
    QImage png;
    ASSERT_TRUE(png.loadFromData(renderPng(chart, o)));
    const QRect a = inkBox(full);
    const QRect b = inkBox(png);
    EXPECT_NEAR(a.left(), b.left(), 20);
    EXPECT_NEAR(a.right(), b.right(), 20);
    EXPECT_NEAR(a.top(), b.top(), 20);
    EXPECT_NEAR(a.bottom(), b.bottom(), 20);
}

TEST(ChartExport, PresetsProduceTheirDeclaredSizes) {
    const auto& presets = exportPresets();
    ASSERT_EQ(presets.size(), 3u);
    EXPECT_EQ(presets[0].name, QStringLiteral("Slide 16:9"));
    EXPECT_EQ(presets[0].pixels, QSize(1920, 1080));
    EXPECT_EQ(presets[0].dpi, 144);
    SpeedupChart chart;
    chart.setResult(test::goldenResult());
    static const QRegularExpression mediaBox(
        QStringLiteral("/MediaBox \\[0 0 ([0-9.]+) ([0-9.]+)\\]"));
    static const QRegularExpression svgSize(
        QStringLiteral("<svg width=\"(\\d+)\" height=\"(\\d+)\""));
    for (const ExportPreset& p : presets) {
        const ImageOptions o{p.pixels, p.dpi};
        QImage png;
        ASSERT_TRUE(png.loadFromData(renderPng(chart, o)));
        EXPECT_EQ(png.size(), p.pixels) << p.name.toStdString();
        EXPECT_NEAR(png.dotsPerMeterX() * 0.0254, p.dpi, 1);
        const QRegularExpressionMatch box =
            mediaBox.match(QString::fromLatin1(renderPdf(chart, o)));
        ASSERT_TRUE(box.hasMatch()) << p.name.toStdString();
        EXPECT_NEAR(box.captured(1).toDouble(), p.pixels.width() * 72.0 / p.dpi, 1);
        EXPECT_NEAR(box.captured(2).toDouble(), p.pixels.height() * 72.0 / p.dpi, 1);
        const QByteArray svg = renderSvg(chart, o);
        const QRegularExpressionMatch size = svgSize.match(QString::fromUtf8(svg));
        ASSERT_TRUE(size.hasMatch());
        EXPECT_EQ(QSize(size.captured(1).toInt(), size.captured(2).toInt()), p.pixels);
        if (haveRsvg()) EXPECT_EQ(rsvg(svg).size(), p.pixels) << p.name.toStdString();
    }
}

TEST(ChartExport, ExportAllWritesOneNamedFilePerChartWithData) {
    ExportCharts c;
    ResourcesChart empty;
    QTemporaryDir dir;
    const ExportAllResult r =
        exportAllCharts({&c.speedup, &empty, &c.breakdown}, dir.path(), QStringLiteral("primes"),
                        QStringLiteral("svg"), ImageOptions{QSize(1200, 800), 200});
    EXPECT_EQ(r.written, 2);
    EXPECT_EQ(r.skipped, 1);
    EXPECT_EQ(QDir(dir.path()).entryList(QDir::Files, QDir::Name),
              (QStringList{QStringLiteral("breakdown-primes.svg"),
                           QStringLiteral("speedup-primes.svg")}));
    EXPECT_EQ(chartFileName(c.speedup, QStringLiteral("Prime Sieve / v2"), QStringLiteral("PNG")),
              QStringLiteral("speedup-prime-sieve-v2.png"));
    EXPECT_EQ(chartFileName(c.speedup, QString(), QStringLiteral("pdf")),
              QStringLiteral("speedup.pdf"));
    EXPECT_THROW(exportAllCharts(c.all(), dir.path(), QStringLiteral("primes"),
                                 QStringLiteral("gif"), ImageOptions{}),
                 ExportError);
}

TEST(ChartExport, DialogOffersPresetsNextToAFreeSize) {
    ExportDialog dialog(QStringLiteral("Export"));
    EXPECT_EQ(dialog.presetName(), QStringLiteral("Slide 16:9"));
    EXPECT_EQ(dialog.options().pixels, QSize(1920, 1080));
    EXPECT_EQ(dialog.options().dpi, 144);
    dialog.selectPreset(2);
    EXPECT_EQ(dialog.presetName(), QStringLiteral("Poster"));
    EXPECT_EQ(dialog.options().pixels, QSize(3000, 2000));
    EXPECT_EQ(dialog.options().dpi, 300);
    dialog.setOptions(ImageOptions{QSize(800, 600), 96});
    EXPECT_EQ(dialog.presetName(), QStringLiteral("Free size"));
    EXPECT_EQ(dialog.options().pixels, QSize(800, 600));
    dialog.setOptions(ImageOptions{QSize(1200, 800), 200});
    EXPECT_EQ(dialog.presetName(), QStringLiteral("Document column"));
    dialog.setFormat(QStringLiteral("SVG"));
    EXPECT_EQ(dialog.format(), QStringLiteral("svg"));
}

// Not a check: writes the speedup chart of a result (COREDUEL_EXPORT_RESULT, else the golden
// one) to COREDUEL_EXPORT_DIR for a person to look at. Run with
// --gtest_also_run_disabled_tests --gtest_filter='*WriteSamples*'.
TEST(ChartExport, DISABLED_WriteSamples) {
    const QString dir = qEnvironmentVariable("COREDUEL_EXPORT_DIR", QDir::tempPath());
    const QString file = qEnvironmentVariable("COREDUEL_EXPORT_RESULT");
    const ExperimentResult r =
        file.isEmpty() ? test::goldenResult() : loadResultFile(file.toStdString());
    SpeedupChart speedup;
    speedup.setResult(r);
    BreakdownChart breakdown;
    breakdown.setRuns(r.runs);
    ResourcesChart resources;
    resources.setRuns(r.runs);
    for (Chart* chart : std::vector<Chart*>{&speedup, &breakdown, &resources}) {
        for (const ExportPreset& p : exportPresets()) {
            const QString base = dir + QStringLiteral("/%1-%2x%3")
                                           .arg(chart->slug())
                                           .arg(p.pixels.width())
                                           .arg(p.pixels.height());
            exportChart(*chart, base + QStringLiteral(".png"), ImageOptions{p.pixels, p.dpi});
            exportChart(*chart, base + QStringLiteral(".svg"), ImageOptions{p.pixels, p.dpi});
            exportChart(*chart, base + QStringLiteral(".pdf"), ImageOptions{p.pixels, p.dpi});
        }
    }
}
