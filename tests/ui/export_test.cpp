// Every export writes a valid file of the asked-for kind and size, atomically, and says
// clearly when it cannot.

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>

#include <QDir>
#include <QFile>
#include <QImage>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <nlohmann/json.hpp>

#include "tests/ui/ui_support.h"
#include "ui/export/exporter.h"
#include "ui/plots/breakdown_chart.h"
#include "ui/plots/resources_chart.h"
#include "ui/plots/speedup_chart.h"

using namespace coreduel;
using namespace coreduel::ui;

namespace {

QByteArray readAll(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    return f.readAll();
}

/// Pages in a PDF: page objects ("/Type /Page", not "/Pages").
int pdfPages(const QByteArray& pdf) {
    int pages = 0;
    for (qsizetype at = pdf.indexOf("/Type /Page"); at >= 0;
         at = pdf.indexOf("/Type /Page", at + 1)) {
        if (pdf.mid(at + 11, 1) != "s") ++pages;
    }
    return pages;
}

struct Charts {
    SpeedupChart speedup;
    BreakdownChart breakdown;
    ResourcesChart resources;
    Charts() {
        const ExperimentResult r = test::goldenResult();
        speedup.setResult(r);
        breakdown.setRuns(r.runs);
        resources.setRuns(r.runs);
    }
    std::vector<Chart*> all() { return {&speedup, &breakdown, &resources}; }
};

}  // namespace

TEST(Export, PngDecodesToTheRequestedSizeAndDensity) {
    Charts c;
    for (QSize size : {QSize(1920, 1080), QSize(800, 600)}) {
        const QByteArray png = renderPng(c.speedup, ImageOptions{size, 144});
        QImage image;
        ASSERT_TRUE(image.loadFromData(png, "PNG"));
        EXPECT_EQ(image.size(), size);
        EXPECT_NEAR(image.dotsPerMeterX() * 0.0254, 144, 1);
    }
    EXPECT_THROW(renderPng(c.speedup, ImageOptions{QSize(0, 10), 96}), ExportError);
    EXPECT_THROW(renderPng(c.speedup, ImageOptions{QSize(100, 100), 5}), ExportError);
}

TEST(Export, ChartsExportToPngPdfAndSvgFiles) {
    Charts c;
    QTemporaryDir dir;
    for (Chart* chart : c.all()) {
        const QString base = dir.filePath(chart->slug());
        exportChart(*chart, base + ".png", ImageOptions{QSize(640, 360), 96});
        exportChart(*chart, base + ".pdf");
        exportChart(*chart, base + ".svg");
        QImage png;
        EXPECT_TRUE(png.load(base + ".png"));
        EXPECT_EQ(png.size(), QSize(640, 360));
        const QByteArray pdf = readAll(base + ".pdf");
        EXPECT_TRUE(pdf.startsWith("%PDF")) << chart->slug().toStdString();
        EXPECT_EQ(pdfPages(pdf), 1);
        QXmlStreamReader svg(readAll(base + ".svg"));
        bool sawSvg = false;
        int texts = 0;
        while (!svg.atEnd()) {
            svg.readNext();
            if (svg.isStartElement() && svg.name() == QLatin1String("svg")) sawSvg = true;
            if (svg.isStartElement() && svg.name() == QLatin1String("text")) ++texts;
        }
        EXPECT_FALSE(svg.hasError()) << svg.errorString().toStdString();
        EXPECT_TRUE(sawSvg);
        EXPECT_GT(texts, 5) << "axis labels and title are text, not pixels";
    }
    EXPECT_THROW(exportChart(c.speedup, dir.filePath("chart.gif")), ExportError);
}

TEST(Export, TableExportsAsCsvAndAsTheSharedJsonSchema) {
    const ExperimentResult r = test::goldenResult();
    QTemporaryDir dir;
    exportResult(r, dir.filePath("runs.csv"));
    exportResult(r, dir.filePath("runs.json"));
    const QByteArray csv = readAll(dir.filePath("runs.csv"));
    EXPECT_EQ(csv.count('\n'), 7);  // header + 6 runs
    const auto json = nlohmann::json::parse(readAll(dir.filePath("runs.json")).toStdString());
    EXPECT_EQ(json["schema"], "coreduel.result/2");
    EXPECT_EQ(json["runs"].size(), 6u);
    // And it loads back.
    EXPECT_EQ(loadResultFile(dir.filePath("runs.json").toStdString()).runs.size(), 6u);
}

TEST(Export, ReportPdfHasASummaryPageAChartPerPageAndTheTable) {
    Charts c;
    QTemporaryDir dir;
    exportReport(test::goldenResult(), c.all(), dir.filePath("report.pdf"));
    const QByteArray pdf = readAll(dir.filePath("report.pdf"));
    ASSERT_TRUE(pdf.startsWith("%PDF"));
    // Title and verdict, the three charts (two share a page), the tables and appendices;
    // tests/ui/report_pages_test.cpp reads the pages themselves.
    EXPECT_GE(pdfPages(pdf), 3);
}

TEST(Export, ReportHtmlIsSelfContained) {
    Charts c;
    QTemporaryDir dir;
    exportReport(test::goldenResult(), c.all(), dir.filePath("report.html"));
    const QString html = QString::fromUtf8(readAll(dir.filePath("report.html")));
    EXPECT_EQ(html.count(QStringLiteral("src=\"data:image/png;base64,")), 3);
    EXPECT_FALSE(html.contains(QStringLiteral("src=\"http")));
    EXPECT_TRUE(html.contains(QStringLiteral("Environment")));
    EXPECT_TRUE(html.trimmed().endsWith(QStringLiteral("</html>")));
}

TEST(Export, AFailedWriteSaysWhyAndLeavesTheOldFileIntact) {
    Charts c;
    QTemporaryDir dir;
    const QString path = dir.filePath("speedup.png");
    exportChart(c.speedup, path, ImageOptions{QSize(320, 200), 96});
    const QByteArray before = readAll(path);
    // A folder that does not exist: the message names the path and the reason.
    try {
        exportChart(c.speedup, dir.filePath("missing/speedup.png"));
        FAIL() << "no error";
    } catch (const ExportError& e) {
        EXPECT_NE(std::string(e.what()).find("missing/speedup.png"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("No such file"), std::string::npos) << e.what();
    }
    // A write that fails half-way, as on a full disk: RLIMIT_FSIZE makes write() fail with
    // EFBIG once the file would pass 4 KiB (SIGXFSZ ignored so the failure is an error code).
    const QByteArray bigger = renderPng(c.speedup, ImageOptions{QSize(1600, 900), 96});
    ASSERT_GT(bigger.size(), 4096);
    struct rlimit old {};
    ::getrlimit(RLIMIT_FSIZE, &old);
    auto* oldHandler = ::signal(SIGXFSZ, SIG_IGN);
    struct rlimit small = old;
    small.rlim_cur = 4096;
    ::setrlimit(RLIMIT_FSIZE, &small);
    std::string message;
    try {
        writeAtomically(path, bigger);
    } catch (const ExportError& e) {
        message = e.what();
    }
    ::setrlimit(RLIMIT_FSIZE, &old);
    ::signal(SIGXFSZ, oldHandler);
    EXPECT_NE(message.find("speedup.png: File too large"), std::string::npos) << message;
    EXPECT_EQ(readAll(path), before) << "the old file is intact";
    const QStringList left = QDir(dir.path()).entryList(QDir::Files);
    EXPECT_EQ(left, QStringList{QStringLiteral("speedup.png")}) << "no temporary files left";
}
