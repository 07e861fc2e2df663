// The report and the handout as pages a person reads: rendered for real results (the CPU-bound
// example and a 4-model × 4-worker-count fileio experiment), then read back with poppler's
// pdftotext -bbox and pdffonts. No word may lie outside the page, no page may use a monospaced
// dump font, the page count stays bounded, and the body carries no raw JSON. The pages are kept
// as PNGs (pdftoppm) under test-artifacts/report/ in the build folder for a person to look at.

#include <gtest/gtest.h>

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>

#include "core/report/schema.h"
#include "tests/helpers/made_results.h"
#include "ui/export/exporter.h"
#include "ui/plots/speedup_chart.h"
#include "ui/report/report_charts.h"
#include "ui/report/report_sections.h"

using namespace coreduel;
using namespace coreduel::ui;

namespace {

QString artifactDir() {
    const QString dir = QStringLiteral(COREDUEL_ARTIFACT_DIR "/report");
    QDir().mkpath(dir);
    return dir;
}

ExperimentResult fixture(const char* name) {
    return loadResultFile(std::string(COREDUEL_FIXTURE_DIR) + "/" + name);
}

struct Run {
    int rc = -1;
    QString out;
};

Run run(const QString& program, const QStringList& args) {
    QProcess p;
    p.start(program, args);
    Run r;
    if (!p.waitForFinished(60000)) return r;
    r.rc = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    return r;
}

bool havePoppler() {
    return !QStandardPaths::findExecutable(QStringLiteral("pdftotext")).isEmpty() &&
           !QStandardPaths::findExecutable(QStringLiteral("pdffonts")).isEmpty() &&
           !QStandardPaths::findExecutable(QStringLiteral("pdftoppm")).isEmpty();
}

struct Word {
    double xMin, yMin, xMax, yMax;
    QString text;
};
struct Page {
    double width = 0, height = 0;
    std::vector<Word> words;
};

/// pdftotext -bbox: one <page width height> per page, one <word xMin yMin xMax yMax> per word.
std::vector<Page> readPages(const QString& pdf) {
    const Run r =
        run(QStringLiteral("pdftotext"), {QStringLiteral("-bbox"), pdf, QStringLiteral("-")});
    EXPECT_EQ(r.rc, 0) << "pdftotext failed on " << pdf.toStdString();
    std::vector<Page> pages;
    static const QRegularExpression page(
        QStringLiteral("<page width=\"([0-9.]+)\" height=\"([0-9.]+)\">"));
    static const QRegularExpression word(QStringLiteral(
        "<word xMin=\"([-0-9.]+)\" yMin=\"([-0-9.]+)\" xMax=\"([-0-9.]+)\" yMax=\"([-0-9.]+)\">"
        "([^<]*)</word>"));
    for (const QString& chunk : r.out.split(QStringLiteral("</page>"))) {
        const auto p = page.match(chunk);
        if (!p.hasMatch()) continue;
        Page pg;
        pg.width = p.captured(1).toDouble();
        pg.height = p.captured(2).toDouble();
        for (auto it = word.globalMatch(chunk); it.hasNext();) {
            const auto w = it.next();
            pg.words.push_back({w.captured(1).toDouble(), w.captured(2).toDouble(),
                                w.captured(3).toDouble(), w.captured(4).toDouble(), w.captured(5)});
        }
        pages.push_back(std::move(pg));
    }
    return pages;
}

/// Every word inside the page with a 10 pt margin to spare (a word cut by the edge, or a line
/// running off the page, ends up there); returns the number of words.
std::size_t expectWordsInside(const std::vector<Page>& pages, const std::string& what) {
    std::size_t words = 0;
    for (std::size_t i = 0; i < pages.size(); ++i) {
        for (const Word& w : pages[i].words) {
            ++words;
            EXPECT_TRUE(w.xMin >= 10 && w.yMin >= 10 && w.xMax <= pages[i].width - 10 &&
                        w.yMax <= pages[i].height - 10)
                << what << " page " << i + 1 << ": \"" << w.text.toStdString() << "\" at ("
                << w.xMin << ", " << w.yMin << ")-(" << w.xMax << ", " << w.yMax << ") on a "
                << pages[i].width << " x " << pages[i].height << " page";
        }
    }
    return words;
}

QString allText(const std::vector<Page>& pages) {
    QStringList words;
    for (const Page& p : pages)
        for (const Word& w : p.words) words << w.text;
    // DejaVu Sans sets "fi", "ffi" and others as ligatures; pdftotext returns them as one
    // character.
    return words.join(QLatin1Char(' '))
        .replace(QChar(0xFB00), QStringLiteral("ff"))
        .replace(QChar(0xFB03), QStringLiteral("ffi"))
        .replace(QChar(0xFB04), QStringLiteral("ffl"))
        .replace(QChar(0xFB01), QStringLiteral("fi"))
        .replace(QChar(0xFB02), QStringLiteral("fl"));
}

void expectNoMonospacedFont(const QString& pdf) {
    const Run r = run(QStringLiteral("pdffonts"), {pdf});
    ASSERT_EQ(r.rc, 0);
    EXPECT_FALSE(r.out.contains(QStringLiteral("Mono"), Qt::CaseInsensitive))
        << "a monospaced font is a console dump, not a table:\n"
        << r.out.toStdString();
    EXPECT_TRUE(r.out.contains(QStringLiteral("DejaVuSans"))) << r.out.toStdString();
}

void keepPagesAsPng(const QString& pdf, const QString& stem) {
    const Run r = run(QStringLiteral("pdftoppm"),
                      {QStringLiteral("-r"), QStringLiteral("60"), QStringLiteral("-png"), pdf,
                       artifactDir() + QLatin1Char('/') + stem});
    EXPECT_EQ(r.rc, 0);
}

void checkReport(const char* fixtureName, const QString& stem, int maxPages) {
    ASSERT_TRUE(havePoppler()) << "pdftotext, pdffonts and pdftoppm are needed (poppler-utils; "
                                  "scripts/bootstrap.sh installs it)";
    const ExperimentResult result = fixture(fixtureName);
    ResultCharts charts(result);
    const QString pdf = artifactDir() + QLatin1Char('/') + stem + QStringLiteral(".pdf");
    exportReport(result, charts.all(), pdf);
    const auto pages = readPages(pdf);
    ASSERT_GE(pages.size(), 3u) << "title and verdict, charts, tables";
    EXPECT_LE(static_cast<int>(pages.size()), maxPages) << stem.toStdString();
    for (const Page& p : pages) {
        EXPECT_NEAR(p.width, 595.3, 1) << "A4 portrait";
        EXPECT_NEAR(p.height, 841.9, 1);
        EXPECT_FALSE(p.words.empty()) << "an empty page";
    }
    EXPECT_GT(expectWordsInside(pages, stem.toStdString()), 300u);
    const QString text = allText(pages);
    // Page numbers, the appendices, what a reader needs, and no console or JSON leftovers.
    EXPECT_TRUE(text.contains(QStringLiteral("page 1 of %1").arg(pages.size())));
    for (const char* must : {"Verdict", "Results per configuration", "Every run", "Environment",
                             "experiment", "Figure 1.", "interval"}) {
        EXPECT_TRUE(text.contains(QString::fromLatin1(must))) << must;
    }
    for (const char* mustNot : {"\"schema\"", "{\"", "-r 5", "use -r"}) {
        EXPECT_FALSE(text.contains(QString::fromLatin1(mustNot))) << mustNot;
    }
    // Narrow columns used to break words ("sysca" / "lls", "teardow" / "n"): every word of
    // every column title is whole on the page.
    const QStringList words = text.split(QLatin1Char(' '));
    for (const char* whole : {"configuration", "teardown", "syscalls", "efficiency", "speedup",
                              "interval", "processes"}) {
        EXPECT_TRUE(words.contains(QString::fromLatin1(whole))) << whole << " is broken";
    }
    for (const QString& w : words) {
        EXPECT_FALSE(w == QLatin1String("sysca") || w == QLatin1String("teardow") ||
                     w == QLatin1String("configur"))
            << "a word broken across lines: " << w.toStdString();
    }
    expectNoMonospacedFont(pdf);
    keepPagesAsPng(pdf, stem);

    const QString html = artifactDir() + QLatin1Char('/') + stem + QStringLiteral(".html");
    exportReport(result, charts.all(), html);
    QFile f(html);
    ASSERT_TRUE(f.open(QIODevice::ReadOnly));
    const QString page = QString::fromUtf8(f.readAll());
    static const QRegularExpression external(
        QStringLiteral("(src|href)\\s*=\\s*\"(?!data:|#)|url\\((?!data:)|<link|@import"));
    const auto bad = external.match(page);
    EXPECT_FALSE(bad.hasMatch()) << "the HTML report loads something from elsewhere: "
                                 << page.mid(bad.capturedStart(), 80).toStdString();
    EXPECT_EQ(page.count(QStringLiteral("src=\"data:image/png;base64,")), 3);
    EXPECT_TRUE(page.contains(QStringLiteral("<table")));
    EXPECT_FALSE(page.contains(QStringLiteral("<pre")));
}

}  // namespace

TEST(ReportPages, CpuBoundExampleFitsItsPages) {
    checkReport("report_cpu_bound.json", QStringLiteral("cpu_bound"), 9);
}

TEST(ReportPages, FourModelsByFourWorkerCountsFitTenPages) {
    checkReport("report_fileio_4x4.json", QStringLiteral("fileio_4x4"), 10);
}

TEST(ReportPages, HandoutIsOnePageWithEveryWordOnIt) {
    ASSERT_TRUE(havePoppler());
    const ExperimentResult result = fixture("report_cpu_bound.json");
    SpeedupChart chart;
    chart.setResult(result);
    Lesson lesson;
    lesson.title = "The GIL and CPU-bound work";
    lesson.claim = "Threads in Python do not speed up CPU-bound code because of the GIL.";
    lesson.question =
        "How much faster than sequential are threads, threads behind the GIL and "
        "processes with one worker per core?";
    // A long outcome: the handout must shrink to fit, not run off the page.
    QString outcome;
    for (int i = 0; i < 12; ++i) {
        outcome += QStringLiteral(
            "On this machine, with one worker per core, threads without a lock ran 1.9x as fast "
            "as sequential and processes 1.8x; ideal: 2x on 2 cores. ");
    }
    for (const auto& [stem, text] : {std::pair{QStringLiteral("handout_short"), outcome.left(300)},
                                     std::pair{QStringLiteral("handout_long"), outcome}}) {
        const QString pdf = artifactDir() + QLatin1Char('/') + stem + QStringLiteral(".pdf");
        exportHandout(lesson, text, chart, result, pdf);
        const auto pages = readPages(pdf);
        ASSERT_EQ(pages.size(), 1u) << stem.toStdString();
        expectWordsInside(pages, stem.toStdString());
        const QString all = allText(pages);
        EXPECT_TRUE(all.contains(QStringLiteral("Measured"))) << "the last line is on the page";
        expectNoMonospacedFont(pdf);
        keepPagesAsPng(pdf, stem);
    }
}

TEST(ReportPages, EveryRunShowsItsConfigurationsSpeedupAsTheWindowDoes) {
    // Three repetitions of different length: the run's own ratio would differ row by row (the
    // walkthrough read 0.82 / 0.57 / 0.95 in the report where the window showed 0.74 each).
    const ExperimentResult r = coreduel::madeResult(
        {{Model::Sequential, 1, {1.0, 1.0, 1.0}}, {Model::GilThreads, 2, {1.2, 1.75, 1.05}}});
    const ConfigSummary* c = r.analysis.find(Model::GilThreads, 2, 0);
    ASSERT_TRUE(c != nullptr && c->speedup);
    const QString expected = QString::number(c->speedup->value, 'f', 2);
    const auto sections = coreduel::ui::appendixSections(r);
    ASSERT_FALSE(sections.empty());
    const coreduel::ui::ReportTable& t = sections.front().blocks.front().table;
    const auto column = t.header.indexOf(QStringLiteral("speedup [×]"));
    ASSERT_GE(column, 0);
    int rows = 0;
    for (const QStringList& row : t.rows) {
        if (!row.front().startsWith(QStringLiteral("gil-threads"))) continue;
        EXPECT_EQ(row[column], expected);
        ++rows;
    }
    EXPECT_EQ(rows, 3);
}
