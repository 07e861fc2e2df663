// Details of the window from issue 12: an invalid field's reason right under the field,
// Ctrl+E's target following the pointer from chart to chart, and the timeline's run picker
// counting the tasks the chart draws.

#include <gtest/gtest.h>

#include <QComboBox>
#include <QEnterEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QStatusBar>

#include "tests/ui/ui_support.h"
#include "ui/panels/experiment_panel.h"
#include "ui/plots/timeline_chart.h"
#include "ui/window/main_window.h"

using namespace coreduel;
using namespace coreduel::ui;

namespace {

QLineEdit* editWithText(QWidget& root, const QString& text) {
    for (QLineEdit* e : root.findChildren<QLineEdit*>())
        if (e->text() == text) return e;
    return nullptr;
}

MainWindow::Options testOptions() {
    MainWindow::Options o;
    o.persistSettings = false;
    return o;
}

}  // namespace

TEST(FieldError, TheReasonShowsUnderTheFieldAndGoesWhenFixed) {
    ExperimentPanel panel;
    Experiment e = ExperimentPanel::defaultExperiment();
    e.workerCounts = {1, 2};
    panel.setExperiment(e);
    panel.resize(360, 720);
    panel.show();
    test::spinUntil([] { return false; }, 50);
    QLineEdit* workers = editWithText(panel, QStringLiteral("1,2"));
    ASSERT_NE(workers, nullptr);
    QLabel* line = panel.fieldError(workers);
    ASSERT_NE(line, nullptr);
    EXPECT_FALSE(line->isVisibleTo(&panel)) << "a valid field shows no error";

    workers->setText(QStringLiteral("0,2"));
    test::spinUntil([] { return false; }, 50);  // the layout makes room for the line
    EXPECT_TRUE(line->isVisibleTo(&panel));
    EXPECT_EQ(line->text(), panel.validationError());
    EXPECT_FALSE(line->text().isEmpty());
    // Right under the field, starting where it starts...
    const QRect field(workers->mapTo(&panel, QPoint(0, 0)), workers->size());
    const QRect error(line->mapTo(&panel, QPoint(0, 0)), line->size());
    EXPECT_GE(error.top(), field.bottom());
    EXPECT_LE(error.top() - field.bottom(), 8);
    EXPECT_EQ(error.left(), field.left());
    // ...and readable without scrolling sideways: inside the fields' viewport, all of it.
    auto* scroll = panel.findChild<QScrollArea*>(QStringLiteral("experiment-fields"));
    ASSERT_NE(scroll, nullptr);
    const QRect viewport(scroll->viewport()->mapTo(&panel, QPoint(0, 0)),
                         scroll->viewport()->size());
    EXPECT_LE(error.right(), viewport.right());
    EXPECT_GE(line->height(), line->heightForWidth(line->width())) << "the wrapped reason is cut";

    workers->setText(QStringLiteral("1-3"));
    EXPECT_FALSE(line->isVisibleTo(&panel)) << "fixed: the error goes";
    EXPECT_TRUE(panel.runButton()->isEnabled());
}

TEST(FieldError, AWorkloadParameterGetsItsOwnLine) {
    ExperimentPanel panel;
    panel.show();
    // A parameter of the default workload: a number with a range (its placeholder is the
    // default value; the interpreter's, mpirun's and the hostfile's fields have one too, and
    // are no parameters).
    QLineEdit* param = nullptr;
    for (QLineEdit* e : panel.findChildren<QLineEdit*>())
        if (!e->placeholderText().isEmpty() &&
            e->objectName() != QLatin1String("python-interpreter") &&
            e->objectName() != QLatin1String("mpirun") &&
            e->objectName() != QLatin1String("hostfile"))
            param = e;
    ASSERT_NE(param, nullptr);
    QLabel* line = panel.fieldError(param);
    ASSERT_NE(line, nullptr);
    param->setText(QStringLiteral("-5"));
    EXPECT_TRUE(line->isVisibleTo(&panel));
    EXPECT_FALSE(line->text().isEmpty());
    param->clear();
    EXPECT_FALSE(line->isVisibleTo(&panel));
}

TEST(CurrentChart, PointingAtAnotherChartMakesItCtrlEsTarget) {
    MainWindow w(testOptions());
    w.fitToScreen(QRect(0, 0, 1366, 728));
    w.show();
    test::spinUntil([] { return false; }, 100);
    Chart* a = w.chart(QStringLiteral("speedup"));
    Chart* b = w.chart(QStringLiteral("timeline"));
    ASSERT_TRUE(a != nullptr && b != nullptr);
    ASSERT_TRUE(a->isVisible() && b->isVisible());
    auto enter = [](Chart* c) {
        const QPointF at(c->width() / 2.0, c->height() / 2.0);
        QEnterEvent event(at, at, c->mapToGlobal(at));
        QCoreApplication::sendEvent(c, &event);
    };
    enter(a);
    EXPECT_EQ(w.currentChart(), a);
    enter(b);
    EXPECT_EQ(w.currentChart(), b) << "the chart pointed at last is exported";
    enter(a);
    EXPECT_EQ(w.currentChart(), a);
}

TEST(RunPicker, CountsTheTasksTheTimelineDraws) {
    MainWindow w(testOptions());
    w.resize(1366, 728);
    w.show();
    auto* timeline = static_cast<TimelineChart*>(w.chart(QStringLiteral("timeline")));
    ASSERT_NE(timeline, nullptr);
    QComboBox* picker = nullptr;
    for (QComboBox* c : w.findChildren<QComboBox*>())
        if (c->toolTip().startsWith(QStringLiteral("Which run"))) picker = c;
    ASSERT_NE(picker, nullptr);
    RunConfig config;
    config.model = Model::Threads;
    config.workers = 2;
    // As the engine delivers them: the run begins, then its events arrive in batches.
    timeline->beginRun(0, config);
    for (int batch = 0; batch < 4; ++batch) {
        std::vector<TaskEvent> events;
        for (int i = 0; i < 64; ++i) {
            TaskEvent e;
            e.task = static_cast<std::uint64_t>(batch * 64 + i);
            e.worker = static_cast<std::uint32_t>(i % 2);
            e.startNs = (batch * 64 + i) * 1'000'000LL;
            e.endNs = e.startNs + 900'000;
            e.cpuNs = 900'000;
            events.push_back(e);
        }
        timeline->addEvents(0, events);
    }
    ASSERT_NE(timeline->runLabels().front().second.indexOf(QStringLiteral("256 tasks")), -1);
    const int item = picker->findData(0);
    ASSERT_GE(item, 0);
    EXPECT_TRUE(test::spinUntil(
        [&] { return picker->itemText(picker->findData(0)).contains(QStringLiteral("256 tasks")); },
        3000))
        << picker->itemText(picker->findData(0)).toStdString();
}

// While a run goes on, its task count grows and the picker is relabelled up to twice a
// second. That must not rebuild the list: a rebuild closes the list the user has open and
// moves the selection. Relabelling the same runs changes no selection.
TEST(RunPicker, GrowingTaskCountsRelabelWithoutRebuilding) {
    MainWindow w(testOptions());
    w.resize(1366, 728);
    w.show();
    auto* timeline = static_cast<TimelineChart*>(w.chart(QStringLiteral("timeline")));
    ASSERT_NE(timeline, nullptr);
    QComboBox* picker = nullptr;
    for (QComboBox* c : w.findChildren<QComboBox*>())
        if (c->toolTip().startsWith(QStringLiteral("Which run"))) picker = c;
    ASSERT_NE(picker, nullptr);
    RunConfig config;
    config.model = Model::Threads;
    config.workers = 2;
    auto batch = [&](int from) {
        std::vector<TaskEvent> events;
        for (int i = from; i < from + 64; ++i) {
            TaskEvent e;
            e.task = static_cast<std::uint64_t>(i);
            e.worker = static_cast<std::uint32_t>(i % 2);
            e.startNs = i * 1'000'000LL;
            e.endNs = e.startNs + 900'000;
            e.cpuNs = 900'000;
            events.push_back(e);
        }
        timeline->addEvents(0, events);
    };
    timeline->beginRun(0, config);
    batch(0);
    ASSERT_TRUE(test::spinUntil([&] { return picker->findData(0) >= 0; }, 3000));
    picker->setCurrentIndex(picker->findData(0));  // the user picked run 1
    int changes = 0;
    QObject::connect(picker, &QComboBox::currentIndexChanged, [&] { ++changes; });
    batch(64);
    batch(128);
    EXPECT_TRUE(test::spinUntil(
        [&] { return picker->itemText(picker->findData(0)).contains(QStringLiteral("192 tasks")); },
        3000))
        << picker->itemText(picker->findData(0)).toStdString();
    EXPECT_EQ(changes, 0) << "relabelled in place, not cleared and refilled";
    EXPECT_EQ(picker->currentData().toInt(), 0) << "the user's choice stays";
}

TEST(StatusBar, ALongMessageIsCutBeforeTheStallLabelNotRunIntoIt) {
    // At 1366x768 a reopened session's summary ran into "GUI stall: …" on the right.
    MainWindow w(testOptions());
    w.resize(1366, 728);
    w.show();
    QCoreApplication::processEvents();
    const QString longText = QStringLiteral("Opened session convoy.coreduel: ") +
                             QString(QStringLiteral("a long summary of parts, ")).repeated(12);
    w.statusBar()->showMessage(longText);
    const QString shown = w.statusBar()->currentMessage();
    EXPECT_TRUE(shown.endsWith(QChar(0x2026))) << shown.toStdString();
    EXPECT_EQ(w.statusBar()->toolTip(), longText) << "the whole message on hover";
    const QLabel* stall = nullptr;
    for (const QLabel* l : w.statusBar()->findChildren<QLabel*>())
        if (l->text().startsWith(QStringLiteral("GUI stall"))) stall = l;
    ASSERT_NE(stall, nullptr);
    EXPECT_LT(6 + w.statusBar()->fontMetrics().horizontalAdvance(shown), stall->x() - 2);
    // A short one is left as it is.
    w.statusBar()->showMessage(QStringLiteral("Experiment finished."));
    EXPECT_EQ(w.statusBar()->currentMessage(), QStringLiteral("Experiment finished."));
    EXPECT_TRUE(w.statusBar()->toolTip().isEmpty());
}
