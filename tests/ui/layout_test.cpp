// The window at the sizes people have (1366×768, 1920×1080) and every chart alone at 480×320,
// light and dark, with a realistic result (4 models × 4 worker counts × 3 repetitions, a
// timeline, the per-core strip and a lesson's outcome; and once more with the py: models, their
// interpreter named and a py:threads timeline with inferred GIL waits): no tick labels overlap, no
// text is cut or elided without its full text on hover, legends keep every entry, the Experiment
// panel never scrolls sideways and keeps Run/Stop and its status in view. The renders are written
// to test-artifacts/ in the build folder, to look at.

#include <gtest/gtest.h>

#include <QDir>
#include <QDockWidget>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>

#include "core/run/analysis.h"
#include "tests/ui/layout_checks.h"
#include "tests/ui/layout_fixtures.h"
#include "tests/ui/ui_support.h"
#include "ui/panels/experiment_panel.h"
#include "ui/panels/lessons_panel.h"
#include "ui/window/main_window.h"
#include "ui/plots/breakdown_chart.h"
#include "ui/plots/core_heat_chart.h"
#include "ui/plots/ipc_chart.h"
#include "ui/plots/resources_chart.h"
#include "ui/plots/speedup_chart.h"
#include "ui/plots/timeline_chart.h"

using namespace coreduel;
using namespace coreduel::ui;
using coreduel::test::chartProblems;
using coreduel::test::fullyShown;
using coreduel::test::horizontalOverflow;
using coreduel::test::widgetTextProblems;
using namespace coreduel::test;

namespace {

struct Case {
    int width;
    int height;
    const char* theme;
    bool python = false;  ///< the py: models too
};

class WindowLayout : public ::testing::TestWithParam<Case> {};

QString caseName(const Case& c) {
    return QStringLiteral("%1x%2-%3%4")
        .arg(c.width)
        .arg(c.height)
        .arg(QLatin1String(c.theme))
        .arg(c.python ? QStringLiteral("-python") : QString());
}

}  // namespace

TEST_P(WindowLayout, EveryTextFitsAndNothingOverlaps) {
    const Case c = GetParam();
    const QString name = caseName(c);
    MainWindow::Options o;
    o.persistSettings = false;
    o.theme = QString::fromLatin1(c.theme);
    MainWindow w(o);
    // The screen the window opens on: its available area (a task bar takes some of it).
    const QRect available(0, 0, c.width, c.height - 40);
    w.fitToScreen(available);
    w.show();
    EXPECT_LE(w.frameGeometry().width(), available.width()) << name.toStdString();
    EXPECT_LE(w.frameGeometry().height(), available.height()) << name.toStdString();

    const ExperimentResult r = syntheticResult(c.python);
    w.showResult(r);
    feedLiveCharts(w, c.python);
    replotAll(w);
    QStringList problems;
    w.grab().save(artifactDir() + QStringLiteral("/window-%1.png").arg(name));

    // Every chart in its dock, raised in turn.
    for (Chart* chart : w.charts()) {
        w.showChart(chart->slug());
        replotAll(w);
        EXPECT_TRUE(chart->isVisible()) << chart->slug().toStdString();
        // In the window every chart has room: saying "too small" is for a squeezed dock.
        EXPECT_FALSE(chart->tooSmallToRead())
            << name.toStdString() << " " << chart->slug().toStdString();
        problems << chartProblems(*chart, name);
        chart->grab().save(artifactDir() +
                           QStringLiteral("/chart-%1-%2.png").arg(name, chart->slug()));
    }
    problems << widgetTextProblems(w, name);

    // The Experiment panel: no sideways scrolling, Run/Stop and the status always in view.
    w.showChart(QStringLiteral("experiment"));
    replotAll(w);
    auto* scroll = w.panel()->findChild<QScrollArea*>(QStringLiteral("experiment-fields"));
    ASSERT_NE(scroll, nullptr);
    problems << horizontalOverflow(*scroll, name + QStringLiteral(" experiment panel"));
    EXPECT_TRUE(fullyShown(*w.panel()->runButton())) << name.toStdString();
    EXPECT_TRUE(fullyShown(*w.panel()->stopButton())) << name.toStdString();
    auto* status = w.findChild<QLabel*>(QStringLiteral("run-status"));
    ASSERT_NE(status, nullptr);
    EXPECT_TRUE(fullyShown(*status)) << name.toStdString();
    // A field taken with Tab does not scroll the panel sideways.
    for (QLineEdit* edit : w.panel()->findChildren<QLineEdit*>()) {
        scroll->ensureWidgetVisible(edit);
    }
    problems << horizontalOverflow(*scroll, name + QStringLiteral(" experiment panel after Tab"));

    // A lesson's outcome: the lesson controls stay in view and the speedup chart keeps room.
    LessonsPanel* lessons = w.lessonsPanel();
    ASSERT_FALSE(lessons->lessons().empty());
    lessons->selectLesson(QString::fromStdString(lessons->lessons().front().name));
    w.showChart(QStringLiteral("lessons"));
    lessons->showOutcome(
        LessonRun::ended(*lessons->current(), false,
                         std::vector<ExperimentResult>(lessons->current()->parts.size(), r)));
    w.showChart(QStringLiteral("speedup"));
    replotAll(w);
    for (const char* button : {"lesson-run", "lesson-present", "lesson-handout"}) {
        auto* b = lessons->findChild<QPushButton*>(QString::fromLatin1(button));
        ASSERT_NE(b, nullptr) << button;
        EXPECT_TRUE(fullyShown(*b)) << name.toStdString() << " " << button;
    }
    problems << chartProblems(*w.chart(QStringLiteral("speedup")),
                              name + QStringLiteral(" lesson"));
    problems << widgetTextProblems(w, name + QStringLiteral(" lesson"));
    w.grab().save(artifactDir() + QStringLiteral("/window-%1-lesson.png").arg(name));

    EXPECT_TRUE(problems.isEmpty()) << problems.join(QLatin1Char('\n')).toStdString();
}

INSTANTIATE_TEST_SUITE_P(
    Sizes, WindowLayout,
    ::testing::Values(Case{1366, 768, "light"}, Case{1366, 768, "dark"}, Case{1920, 1080, "light"},
                      Case{1920, 1080, "dark"}, Case{1366, 768, "light", true},
                      Case{1920, 1080, "dark", true}),
    [](const auto& info) {
        return caseName(info.param).replace(QLatin1Char('-'), QLatin1Char('_')).toStdString();
    });

TEST(ChartLayout, EveryChartAloneAt480x320) {
    const ExperimentResult r = syntheticResult();
    QStringList problems;
    for (const char* theme : {"light", "dark"}) {
        MainWindow::Options o;
        o.persistSettings = false;
        o.theme = QString::fromLatin1(theme);
        MainWindow w(o);
        w.fitToScreen(QRect(0, 0, 1920, 1040));
        w.show();
        w.showResult(r);
        feedLiveCharts(w);
        replotAll(w);
        for (Chart* chart : w.charts()) {
            // Taken out of its dock, alone at a small size.
            QWidget* home = chart->parentWidget();
            chart->setParent(nullptr);
            chart->resize(480, 320);
            chart->show();
            coreduel::test::spinUntil([] { return false; }, 100);  // the resize and show events
            chart->replot(QCustomPlot::rpImmediateRefresh);
            const QString name = QStringLiteral("480x320-%1").arg(QLatin1String(theme));
            problems << chartProblems(*chart, name);
            chart->grab().save(artifactDir() +
                               QStringLiteral("/alone-%1-%2.png").arg(name, chart->slug()));
            chart->hide();
            chart->setParent(home);
        }
    }
    EXPECT_TRUE(problems.isEmpty()) << problems.join(QLatin1Char('\n')).toStdString();
}

TEST(ChartLayout, AChartTooSmallToReadSaysSo) {
    MainWindow::Options o;
    o.persistSettings = false;
    MainWindow w(o);
    w.showResult(syntheticResult());
    Chart* chart = w.chart(QStringLiteral("resources"));
    chart->setParent(nullptr);
    chart->setMinimumSize(0, 0);
    chart->resize(200, 120);
    chart->show();
    coreduel::test::spinUntil([] { return false; }, 100);
    chart->replot(QCustomPlot::rpImmediateRefresh);
    EXPECT_TRUE(chart->tooSmallToRead());
    EXPECT_FALSE(chart->tooSmallMessage().isEmpty());
    chart->resize(640, 420);
    coreduel::test::spinUntil([] { return false; }, 100);
    chart->replot(QCustomPlot::rpImmediateRefresh);
    EXPECT_FALSE(chart->tooSmallToRead());
    delete chart;
}

TEST(WindowFit, TheWindowFitsTheScreenItOpensOn) {
    for (const QRect& available :
         {QRect(0, 0, 1366, 728), QRect(0, 0, 1920, 1040), QRect(1920, 0, 1280, 760)}) {
        MainWindow::Options o;
        o.persistSettings = false;
        MainWindow w(o);
        w.fitToScreen(available);
        w.show();
        coreduel::test::spinUntil([] { return false; }, 50);
        EXPECT_TRUE(available.contains(w.frameGeometry()))
            << available.width() << "x" << available.height();
    }
}

TEST(PanelLayout, RunningLocksTheFieldsAndDoesNotMoveTheButtons) {
    MainWindow::Options o;
    o.persistSettings = false;
    MainWindow w(o);
    w.fitToScreen(QRect(0, 0, 1366, 728));
    w.show();
    replotAll(w);
    ExperimentPanel* panel = w.panel();
    const QRect stopBefore = panel->stopButton()->geometry();
    const QPoint stopAt = panel->stopButton()->mapTo(&w, QPoint(0, 0));
    panel->setRunning(true);
    replotAll(w);
    EXPECT_EQ(panel->stopButton()->geometry().size(), stopBefore.size());
    EXPECT_EQ(panel->stopButton()->mapTo(&w, QPoint(0, 0)), stopAt);
    for (QLineEdit* edit : panel->findChildren<QLineEdit*>()) {
        if (edit->isVisibleTo(panel))
            EXPECT_FALSE(edit->isEnabled()) << edit->objectName().toStdString();
    }
    EXPECT_TRUE(panel->stopButton()->isEnabled());
    panel->setRunning(false);
    for (QLineEdit* edit : panel->findChildren<QLineEdit*>()) {
        if (edit->isVisibleTo(panel)) EXPECT_TRUE(edit->isEnabled());
    }
}
