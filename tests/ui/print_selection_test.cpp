// What the user selected is what gets printed (issue 23): a report prints the timeline run and
// the part the window shows, says when and on what it was measured, and leaves the window as
// it was; presentation mode explains each part over that part's chart.

#include <gtest/gtest.h>

#include <QComboBox>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <cstdlib>

#include "tests/ui/ui_support.h"
#include "ui/panels/lessons_panel.h"
#include "ui/panels/presentation_window.h"
#include "ui/plots/timeline_chart.h"
#include "ui/report/report_charts.h"
#include "ui/window/main_window.h"

using namespace coreduel;
using namespace coreduel::ui;

namespace {

QString readText(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    return QString::fromUtf8(f.readAll());
}

/// The value of a key: value row of the report's HTML (title block, appendices); every row
/// with that key, in document order.
QStringList factValues(const QString& html, const QString& key) {
    const QRegularExpression row(QStringLiteral("<b>%1</b></td>\\s*<td[^>]*>([^<]*)</td>")
                                     .arg(QRegularExpression::escape(key)));
    QStringList out;
    for (auto it = row.globalMatch(html); it.hasNext();) out << it.next().captured(1);
    return out;
}

/// The PNG of every figure of `chart` in the report's HTML (its alt text is the chart's title).
std::vector<QByteArray> figurePngs(const QString& html, const Chart& chart) {
    const QRegularExpression img(
        QStringLiteral("<img alt=\"%1\" src=\"data:image/png;base64,([^\"]*)\">")
            .arg(QRegularExpression::escape(chart.title().toHtmlEscaped())));
    std::vector<QByteArray> out;
    for (auto it = img.globalMatch(html); it.hasNext();)
        out.push_back(QByteArray::fromBase64(it.next().captured(1).toLatin1()));
    return out;
}

/// The timeline figures' "Run shown: ..." caption parts, in document order.
QStringList shownRuns(const QString& html) {
    static const QRegularExpression shown(
        QStringLiteral("Run shown: (.*?) \\(the window's timeline lists every run\\)"));
    QStringList out;
    for (auto it = shown.globalMatch(html); it.hasNext();) out << it.next().captured(1);
    return out;
}

MainWindow::Options quietOptions(const QTemporaryDir& dir) {
    MainWindow::Options o;
    o.persistSettings = false;
    o.sessionPath = dir.filePath(QStringLiteral("print.coreduel"));
    return o;
}

QComboBox* runPicker(MainWindow& w) {
    // The only combo box above the timeline: the one whose items carry run indices.
    for (QComboBox* box : w.findChildren<QComboBox*>())
        if (box->count() > 0 && box->itemText(0).startsWith(QStringLiteral("newest run")))
            return box;
    return nullptr;
}

}  // namespace

TEST(PrintSelection, AReportPrintsThePickedRunAndLeavesTheWindowAsItWas) {
    QTemporaryDir dir;
    MainWindow w(quietOptions(dir));
    w.resize(1400, 900);
    w.show();
    Experiment e;
    e.workload = "primes";
    e.params = {{"end", "60000"}, {"tasks", "8"}};
    e.models = {Model::GilThreads, Model::Threads};
    e.workerCounts = {2};
    e.sampleHz = 20;
    bool done = false;
    QObject::connect(&w, &MainWindow::experimentDone, [&](bool) { done = true; });
    ASSERT_TRUE(w.runExperiment(e)) << w.statusText().toStdString();
    ASSERT_TRUE(test::spinUntil([&] { return done; }, 120000));
    auto* timeline = static_cast<TimelineChart*>(w.chart(QStringLiteral("timeline")));
    const auto labels = timeline->runLabels();
    ASSERT_GE(labels.size(), 3u);
    // Not the newest run: the one a report used to print whatever was picked.
    const auto [picked, pickedLabel] = labels[1];
    w.showTimelineRun(picked);
    w.setThemeByName(QStringLiteral("dark"));
    // A zoom the user made: half of the run.
    const QCPRange full = timeline->xAxis->range();
    timeline->xAxis->setRange(full.lower, full.lower + full.size() / 2);
    const TimelineChart::View before = timeline->view();
    QComboBox* picker = runPicker(w);
    ASSERT_NE(picker, nullptr);
    const QString pickerText = picker->currentText();

    const QString html = dir.filePath(QStringLiteral("report.html"));
    w.exportReport(html);
    const QString text = readText(html);
    ASSERT_FALSE(text.isEmpty());
    EXPECT_EQ(shownRuns(text), QStringList{pickedLabel.toHtmlEscaped()})
        << "the timeline figure names the picked run";
    EXPECT_NE(pickedLabel, labels.back().second);

    // The window as it was: run, picker, zoom, theme.
    EXPECT_EQ(timeline->shownRun(), picked);
    EXPECT_EQ(picker->currentText(), pickerText);
    EXPECT_EQ(timeline->view().run, before.run);
    EXPECT_EQ(timeline->view().followNewest, before.followNewest);
    EXPECT_DOUBLE_EQ(timeline->xAxis->range().lower, before.x.lower);
    EXPECT_DOUBLE_EQ(timeline->xAxis->range().upper, before.x.upper);
    EXPECT_EQ(timeline->theme().name, Theme::dark().name);

    // Facts from the run itself: memory, compiler, when it was measured.
    const QStringList memory = factValues(text, QStringLiteral("Memory"));
    ASSERT_EQ(memory.size(), 1);
    EXPECT_TRUE(memory[0].endsWith(QStringLiteral(" MiB"))) << memory[0].toStdString();
    EXPECT_NE(memory[0], QStringLiteral("0 MiB"));
    const QStringList compiler = factValues(text, QStringLiteral("Compiler"));
    ASSERT_EQ(compiler.size(), 1);
    EXPECT_FALSE(compiler[0].isEmpty());
    EXPECT_NE(compiler[0], QStringLiteral("unknown"));
    const QStringList measured = factValues(text, QStringLiteral("Measured"));
    ASSERT_EQ(measured.size(), 1);
    EXPECT_TRUE(measured[0].endsWith(QStringLiteral(" UTC"))) << measured[0].toStdString();
    EXPECT_EQ(text.indexOf(QStringLiteral("does not record")), -1);
    // The sequential warm-up the runner always makes is reported, not "0".
    const QStringList warmups = factValues(text, QStringLiteral("Warm-up runs"));
    ASSERT_EQ(warmups.size(), 1);
    EXPECT_TRUE(warmups[0].startsWith(QStringLiteral("1 of the sequential baseline")))
        << warmups[0].toStdString();
}

TEST(PrintSelection, LessonReportsAndPresentationFollowThePartShown) {
    // tests/fixtures/lessons/01-two-parts.json: gil-threads and processes, then sleeping
    // threads; its chart is the timeline.
    ::setenv("COREDUEL_LESSONS", COREDUEL_FIXTURE_DIR "/lessons", 1);
    QTemporaryDir dir;
    MainWindow w(quietOptions(dir));
    w.resize(1400, 900);
    w.show();
    ASSERT_TRUE(w.lessonsPanel()->selectLesson(QStringLiteral("two-parts")));
    w.lessonsPanel()->setQuick(true);
    auto* timeline = static_cast<TimelineChart*>(w.chart(QStringLiteral("timeline")));
    std::vector<std::vector<std::pair<int, QString>>> partRuns;  // as each part ended
    QObject::connect(&w, &MainWindow::experimentDone,
                     [&](bool) { partRuns.push_back(timeline->runLabels()); });
    bool finished = false;
    QObject::connect(&w, &MainWindow::lessonDone, [&](bool) { finished = true; });
    w.present();
    PresentationWindow* show = w.presentation();
    ASSERT_NE(show, nullptr);
    show->next();  // predict -> run: the lesson starts
    ASSERT_TRUE(test::spinUntil([&] { return finished; }, 150000));
    ASSERT_EQ(partRuns.size(), 2u);
    ASSERT_EQ(w.partCount(), 2);

    // Presentation: part 1's words over part 1's chart, then part 2's over its own.
    ASSERT_EQ(show->step(), PresentationWindow::Step::Explain);
    ASSERT_EQ(show->pageCount(), 2);
    EXPECT_EQ(show->page(), 0);
    EXPECT_EQ(w.shownPart(), 0);
    EXPECT_EQ(timeline->runLabels(), partRuns[0]);
    // Words too long for one screen go on over the same part's chart.
    while (show->screen() + 1 < show->screenCount()) {
        show->next();
        EXPECT_EQ(show->page(), 0);
        EXPECT_EQ(w.shownPart(), 0);
    }
    show->next();
    EXPECT_EQ(show->page(), 1);
    EXPECT_EQ(w.shownPart(), 1);
    EXPECT_EQ(timeline->runLabels(), partRuns[1]);
    show->back();
    EXPECT_EQ(w.shownPart(), 0);
    show->close();

    // Part 1 shown, a run other than its newest picked: the report's part 1 prints that run.
    w.showPart(0);
    const auto labels = timeline->runLabels();
    ASSERT_GE(labels.size(), 2u);
    const auto [picked, pickedLabel] = labels[labels.size() - 2];
    w.showTimelineRun(picked);
    const QString html = dir.filePath(QStringLiteral("lesson.html"));
    w.exportReport(html);
    const QString text = readText(html);
    const QStringList shown = shownRuns(text);
    ASSERT_EQ(shown.size(), 2) << "a timeline figure per part";
    EXPECT_EQ(shown[0], pickedLabel.toHtmlEscaped());
    EXPECT_EQ(shown[1], partRuns[1].back().second.toHtmlEscaped()) << "part 2: its newest run";
    EXPECT_EQ(w.shownPart(), 0) << "the report put the part shown back";
    EXPECT_EQ(timeline->shownRun(), picked) << "and the run picked";
    // What was drawn, not only what the caption says: part 1's figure is the timeline as the
    // window shows it now (the report draws each part again after building every caption).
    const std::vector<QByteArray> pngs = figurePngs(text, *timeline);
    ASSERT_EQ(pngs.size(), 2u);
    EXPECT_TRUE(pngs[0] == chartPngForPrint(*timeline, QSize(1600, 992), 144))
        << "part 1's timeline figure is not the run picked";
    // Every part's environment as its run measured it; the session says when it was recorded.
    for (const QString& m : factValues(text, QStringLiteral("Memory")))
        EXPECT_NE(m, QStringLiteral("unknown"));
    for (const QString& c : factValues(text, QStringLiteral("Compiler")))
        EXPECT_NE(c, QStringLiteral("unknown"));
    EXPECT_EQ(factValues(text, QStringLiteral("Memory")).size(), 2);
    for (const QString& m : factValues(text, QStringLiteral("Measured")))
        EXPECT_TRUE(m.endsWith(QStringLiteral(" UTC (the session's start)"))) << m.toStdString();
    EXPECT_EQ(text.indexOf(QStringLiteral("does not record")), -1);

    // The handout draws the lesson's chart as the window shows it: part 1, the run picked.
    const QString handout = dir.filePath(QStringLiteral("handout.pdf"));
    w.exportHandout(handout);
    EXPECT_EQ(w.shownPart(), 0);
    EXPECT_EQ(timeline->shownRun(), picked);
    if (QStandardPaths::findExecutable(QStringLiteral("pdftotext")).isEmpty()) return;
    QProcess pdftotext;
    pdftotext.start(QStringLiteral("pdftotext"), {handout, QStringLiteral("-")});
    ASSERT_TRUE(pdftotext.waitForFinished(60000));
    const QString words = QString::fromUtf8(pdftotext.readAllStandardOutput());
    // The chart's subtitle names its run ("run 2: gil-threads ×2, ..."), drawn as text.
    EXPECT_NE(words.indexOf(QStringLiteral("run %1:").arg(picked + 1)), -1) << words.toStdString();
    EXPECT_EQ(words.indexOf(QStringLiteral("run %1:").arg(labels.back().first + 1)), -1)
        << "the handout drew the newest run";
}
