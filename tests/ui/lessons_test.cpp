// Lessons in the window: the panel lists every lesson file, a lesson runs and its explanation
// quotes the numbers just measured next to the predictions, the handout is one PDF page, and
// presentation mode steps predict -> run -> explain from the keyboard.

#include <gtest/gtest.h>

#include <QCoreApplication>
#include <QFile>
#include <QKeyEvent>
#include <QPointer>
#include <QTemporaryDir>
#include <iostream>

#include "core/lessons/lesson.h"
#include "tests/test_support.h"
#include "tests/ui/ui_support.h"
#include "ui/export/exporter.h"
#include "ui/panels/lessons_panel.h"
#include "ui/window/main_window.h"
#include "ui/plots/chart.h"
#include "ui/panels/presentation_window.h"

using namespace coreduel;
using namespace coreduel::ui;

namespace {

MainWindow::Options testOptions() {
    MainWindow::Options o;
    o.persistSettings = false;
    return o;
}

void press(QWidget* w, int key) {
    QKeyEvent down(QEvent::KeyPress, key, Qt::NoModifier);
    QCoreApplication::sendEvent(w, &down);
}

}  // namespace

TEST(LessonsPanel, ListsEveryLessonAndKeepsPredictions) {
    LessonsPanel panel(nullptr, false);
    EXPECT_EQ(panel.lessons().size(), loadLessons().size());
    ASSERT_TRUE(panel.selectLesson(QStringLiteral("gil")));
    ASSERT_NE(panel.current(), nullptr);
    EXPECT_EQ(panel.current()->name, "01-gil");
    ASSERT_EQ(panel.predictions().size(), 3u);
    EXPECT_FALSE(panel.predictions()[0].has_value()) << "nothing typed: no prediction";
    panel.setPrediction(2, 1.9);
    EXPECT_DOUBLE_EQ(panel.predictions()[2].value(), 1.9);
    EXPECT_FALSE(panel.selectLesson(QStringLiteral("no-such-lesson")));
}

TEST(Lessons, ALessonRunsInTheWindowAndExplainsItsNumbersAgainstThePredictions) {
    MainWindow w(testOptions());
    w.show();
    LessonsPanel* panel = w.lessonsPanel();
    ASSERT_TRUE(panel->selectLesson(QStringLiteral("gil")));
    panel->setQuick(true);
    panel->setPrediction(2, 2.0);  // processes only
    QTemporaryDir dir;
    EXPECT_THROW(w.exportHandout(dir.filePath("early.pdf")), ExportError) << "nothing measured yet";
    bool done = false;
    QObject::connect(&w, &MainWindow::lessonDone, [&](bool) { done = true; });
    ASSERT_TRUE(w.runLesson());
    // A hang guard, not a timing: the whole lesson takes ~50 s on a 2-core VM with a CPU hog.
    ASSERT_TRUE(test::spinUntil([&] { return done; }, 240000));
    const QString text = panel->outcomeText();
    EXPECT_FALSE(text.contains(QLatin1Char('{'))) << text.toStdString();
    std::cout << text.toStdString() << "\n";
    EXPECT_TRUE(text.contains(QStringLiteral("processes x"))) << text.toStdString();
    EXPECT_TRUE(text.contains(QStringLiteral("you predicted 2.00x, measured")))
        << text.toStdString();
    EXPECT_TRUE(text.contains(QStringLiteral("threads: no prediction; measured")))
        << text.toStdString();

    w.exportHandout(dir.filePath("handout.pdf"));
    QFile f(dir.filePath("handout.pdf"));
    ASSERT_TRUE(f.open(QIODevice::ReadOnly));
    const QByteArray pdf = f.readAll();
    EXPECT_TRUE(pdf.startsWith("%PDF"));
    EXPECT_EQ(pdf.count("/Type /Page\n") + pdf.count("/Type /Page "), 1) << "one page";
    EXPECT_THROW(w.exportHandout(dir.filePath("handout.docx")), ExportError);
}

TEST(Lessons, PresentationStepsFromPredictionThroughTheRunToTheExplanation) {
    MainWindow w(testOptions());
    w.show();
    LessonsPanel* panel = w.lessonsPanel();
    ASSERT_TRUE(panel->selectLesson(QStringLiteral("io-bound")));
    panel->setQuick(true);
    w.present();
    PresentationWindow* p = w.presentation();
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->step(), PresentationWindow::Step::Predict);
    press(p, Qt::Key_Left);  // nothing before predict
    EXPECT_EQ(p->step(), PresentationWindow::Step::Predict);
    press(p, Qt::Key_Space);
    EXPECT_EQ(p->step(), PresentationWindow::Step::Run);
    EXPECT_TRUE(w.isRunning());
    press(p, Qt::Key_Space);  // the run decides when it is over
    EXPECT_EQ(p->step(), PresentationWindow::Step::Run);
    ASSERT_TRUE(test::spinUntil([&] { return p->step() == PresentationWindow::Step::Explain; }));
    EXPECT_FALSE(panel->outcomeText().isEmpty());
    press(p, Qt::Key_Left);
    EXPECT_EQ(p->step(), PresentationWindow::Step::Predict);
    QPointer<PresentationWindow> guard(p);
    press(p, Qt::Key_Escape);
    EXPECT_FALSE(p->isVisible());
    test::spinUntil(
        [&] {
            QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
            return guard.isNull();
        },
        2000);
    EXPECT_TRUE(guard.isNull()) << "Esc leaves presentation mode (and frees the window)";
    EXPECT_EQ(w.presentation(), nullptr);
}

TEST(Lessons, TheWindowRefusesLessonsAndExperimentsThatFork) {
    MainWindow w(testOptions());
    ASSERT_TRUE(w.lessonsPanel()->selectLesson(QStringLiteral("start-methods")));
    EXPECT_FALSE(w.runLesson());
    EXPECT_FALSE(w.isRunning());
    EXPECT_TRUE(w.lessonsPanel()->outcomeText().contains(
        QStringLiteral("coreduel-cli lesson start-methods")))
        << w.lessonsPanel()->outcomeText().toStdString();
    Experiment e;
    e.workload = "square";
    e.models = {Model::Processes};
    e.startMethod = StartMethod::Fork;
    EXPECT_FALSE(w.runExperiment(e));
    EXPECT_FALSE(w.isRunning());
}

TEST(Lessons, MultiPartAndRealPythonLessonsRunThroughTheWindow) {
    MainWindow w(testOptions());
    w.show();
    LessonsPanel* panel = w.lessonsPanel();
    panel->setQuick(true);
    for (const char* name : {"isolation", "real-python"}) {
        SCOPED_TRACE(name);
        ASSERT_TRUE(panel->selectLesson(QString::fromLatin1(name)));
        panel->setQuick(true);
        int done = 0;
        bool ok = false;
        auto c = QObject::connect(&w, &MainWindow::lessonDone, [&](bool result) {
            ++done;
            ok = result;
        });
        ASSERT_TRUE(w.runLesson());
        // While a lesson runs nothing else may measure beside it.
        w.runIpcLab(0.005);
        EXPECT_FALSE(w.runLesson());
        ASSERT_TRUE(test::spinUntil([&] { return done > 0; }, 120000));
        EXPECT_FALSE(w.chart(QStringLiteral("ipc"))->hasData())
            << "the IPC lab ran during a lesson";
        QObject::disconnect(c);
        EXPECT_EQ(done, 1) << "one lessonDone per lesson, however many parts";
        EXPECT_TRUE(ok) << panel->outcomeText().toStdString();
        const QString text = panel->outcomeText();
        EXPECT_FALSE(text.contains(QLatin1Char('{'))) << text.toStdString();
        EXPECT_FALSE(text.isEmpty());
    }
    EXPECT_TRUE(test::spinUntil([] { return test::childPids().empty(); }, 5000));
}
