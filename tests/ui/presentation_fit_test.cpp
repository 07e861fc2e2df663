// Presentation mode on a 1366×768 screen: every lesson's question, predictions and
// explanation ("you predicted … measured …") show in full, their type scaled to the window
// rather than cut at its bottom edge; and a 1920×1080 projector gets larger type.

#include <gtest/gtest.h>

#include <QApplication>
#include <QDir>
#include <QDoubleSpinBox>
#include <QKeyEvent>
#include <QLabel>

#include "core/lessons/lesson.h"
#include "tests/ui/layout_checks.h"
#include "tests/ui/ui_support.h"
#include "ui/panels/lessons_panel.h"
#include "ui/panels/presentation_window.h"
#include "ui/plots/speedup_chart.h"

using namespace coreduel;
using namespace coreduel::ui;

namespace {

/// As long as a real outcome gets: the explanation (placeholders are about as long as the
/// numbers they become), the paragraph a run that did not show the claim adds, and one
/// "you predicted … measured" line per prediction.
QString longestOutcome(const Lesson& l) {
    QString text = QString::fromStdString(l.explanation);
    text += QStringLiteral(
        "\n\nWhat the guide expects, with this run's numbers (which did not show it): threads "
        "x2 speedup 1.02x, expected at least 1.30x; other programs used 35 % of the CPUs "
        "during the experiment, so the machine, not the claim, is the likely cause.");
    QStringList lines;
    for (const Prediction& p : l.predictions)
        lines << QStringLiteral("%1 x16: you predicted 12.50x, measured 1.94x (+544 %)")
                     .arg(QString::fromLatin1(toString(p.model)));
    if (!lines.isEmpty()) text += QStringLiteral("\n\n") + lines.join(QLatin1Char('\n'));
    return text;
}

/// Every visible label's text fits its box, and every box lies inside the window.
QStringList problems(PresentationWindow& p, const QString& where) {
    QStringList out = test::widgetTextProblems(p, where);
    for (QLabel* l : p.findChildren<QLabel*>()) {
        if (!l->isVisible() || l->text().isEmpty()) continue;
        const QRect box(l->mapTo(&p, QPoint(0, 0)), l->size());
        if (!p.rect().contains(box))
            out << where + QStringLiteral(": label \"%1\" at [%2,%3 %4×%5] leaves the window")
                               .arg(l->text().left(40))
                               .arg(box.x())
                               .arg(box.y())
                               .arg(box.width())
                               .arg(box.height());
    }
    return out;
}

QLabel* labelWithText(PresentationWindow& p, const QString& start) {
    for (QLabel* l : p.findChildren<QLabel*>())
        if (l->isVisible() && l->text().startsWith(start)) return l;
    return nullptr;
}

}  // namespace

TEST(PresentationFit, EveryLessonShowsInFullAt1366x768) {
    LessonsPanel panel(nullptr, false);
    SpeedupChart chart;
    ASSERT_FALSE(panel.lessons().empty());
    for (const Lesson& lesson : panel.lessons()) {
        SCOPED_TRACE(lesson.name);
        ASSERT_TRUE(panel.selectLesson(QString::fromStdString(lesson.name)));
        for (std::size_t i = 0; i < lesson.predictions.size(); ++i) panel.setPrediction(i, 12.5);
        auto* p = new PresentationWindow(panel, chart);
        p->setGeometry(QRect(0, 0, 1366, 768));
        p->show();
        test::spinUntil([] { return false; }, 30);
        const QString name = QString::fromStdString(lesson.name);
        EXPECT_EQ(p->size(), QSize(1366, 768)) << "the window grew past the screen";
        const QStringList predict = problems(*p, name + QStringLiteral(" predict"));
        EXPECT_TRUE(predict.isEmpty()) << predict.join('\n').toStdString();
        QDir().mkpath(QStringLiteral(COREDUEL_ARTIFACT_DIR));
        p->grab().save(QStringLiteral(COREDUEL_ARTIFACT_DIR "/presentation-predict-%1-1366x768.png")
                           .arg(name));
        // The guesses right under the question, not at the foot of an empty screen (the
        // walkthrough: "the predict screen is mostly empty").
        if (!lesson.predictions.empty()) {
            auto* guess = p->findChild<QDoubleSpinBox*>();
            ASSERT_NE(guess, nullptr);
            EXPECT_LT(guess->mapTo(p, QPoint(0, guess->height())).y(), 768 * 2 / 3);
        }

        p->next();  // run
        panel.showFailure(longestOutcome(lesson));
        p->runFinished();  // explain
        ASSERT_EQ(p->step(), PresentationWindow::Step::Explain);
        test::spinUntil([] { return false; }, 30);
        EXPECT_EQ(p->size(), QSize(1366, 768)) << "the window grew past the screen";
        const QStringList explain = problems(*p, name + QStringLiteral(" explain"));
        EXPECT_TRUE(explain.isEmpty()) << explain.join('\n').toStdString();
        QLabel* text = labelWithText(*p, QStringLiteral("The lesson did not run"));
        ASSERT_NE(text, nullptr);
        // For a look: build/test-artifacts/presentation-<lesson>-1366x768.png
        QDir().mkpath(QStringLiteral(COREDUEL_ARTIFACT_DIR));
        p->grab().save(
            QStringLiteral(COREDUEL_ARTIFACT_DIR "/presentation-%1-1366x768.png").arg(name));
        // Still readable from a seat: not shrunk to nothing.
        EXPECT_GE(QFontInfo(text->font()).pixelSize(), 12);
        p->close();
        delete p;
    }
}

TEST(PresentationFit, ALargerScreenGetsLargerType) {
    LessonsPanel panel(nullptr, false);
    SpeedupChart chart;
    ASSERT_TRUE(panel.selectLesson(QStringLiteral("gil")));
    int sizes[2] = {0, 0};
    const QRect screens[2] = {QRect(0, 0, 1366, 768), QRect(0, 0, 1920, 1080)};
    for (int i = 0; i < 2; ++i) {
        PresentationWindow p(panel, chart);
        p.setGeometry(screens[i]);
        p.show();
        test::spinUntil([] { return false; }, 30);
        QLabel* title = labelWithText(p, QString::fromStdString(panel.current()->title));
        ASSERT_NE(title, nullptr);
        sizes[i] = QFontInfo(title->font()).pixelSize();
        const QStringList found = problems(p, QStringLiteral("gil"));
        EXPECT_TRUE(found.isEmpty()) << found.join('\n').toStdString();
    }
    EXPECT_GT(sizes[1], sizes[0]);
}

// An explanation longer than a screen holds at a readable size goes on over more screens, in
// order, each at that size, every word on one of them; Space walks them, then leaves.
TEST(PresentationFit, ALongExplanationGoesOnOverScreensAtAReadableSize) {
    LessonsPanel panel(nullptr, false);
    SpeedupChart chart;
    ASSERT_TRUE(panel.selectLesson(QStringLiteral("gil")));
    PresentationWindow p(panel, chart);
    p.setGeometry(QRect(0, 0, 1366, 768));
    p.show();
    test::spinUntil([] { return false; }, 30);
    p.next();  // run
    QStringList paragraphs;
    for (int i = 1; i <= 9; ++i)
        paragraphs << QStringLiteral(
                          "Paragraph %1 says what the run measured and what it means for "
                          "the lesson, in a sentence long enough to wrap twice. It has "
                          "a second sentence too, which ends here.")
                          .arg(i);
    p.runFinished({PresentationWindow::Page{QStringLiteral("Part 1 of 1: threads"),
                                            paragraphs.join(QStringLiteral("\n\n")), -1}});
    test::spinUntil([] { return false; }, 30);
    ASSERT_GT(p.screenCount(), 1) << "nine paragraphs fit one 1366x768 screen at a readable size?";
    QString seen;
    for (int screen = 0; screen < p.screenCount(); ++screen) {
        ASSERT_EQ(p.screen(), screen);
        QLabel* text = labelWithText(p, QStringLiteral("Part 1 of 1: threads"));
        ASSERT_NE(text, nullptr) << "the heading opens every screen";
        EXPECT_GE(QFontInfo(text->font()).pointSizeF(), 16 * 1366.0 / 1920.0 - 0.01);
        const QStringList found = problems(p, QStringLiteral("screen %1").arg(screen));
        EXPECT_TRUE(found.isEmpty()) << found.join('\n').toStdString();
        seen += p.shownWords();
        if (screen + 1 < p.screenCount()) p.next();
    }
    for (const QString& paragraph : paragraphs)
        EXPECT_TRUE(seen.contains(paragraph)) << paragraph.toStdString();
    p.back();
    EXPECT_EQ(p.screen(), p.screenCount() - 2);
}

TEST(PresentationFit, TheKeysPageOnAfterTheGuessesWereTyped) {
    // The walkthrough typed its guesses, pressed Return, and after the run Space, → and ←
    // did nothing: the hidden guess box kept the focus and took them.
    LessonsPanel panel(nullptr, false);
    ASSERT_TRUE(panel.selectLesson(QStringLiteral("gil")));
    SpeedupChart chart;
    auto* p = new PresentationWindow(panel, chart);
    p->setGeometry(QRect(0, 0, 1366, 768));
    p->show();
    QApplication::setActiveWindow(p);
    auto* guess = p->findChild<QDoubleSpinBox*>();
    ASSERT_NE(guess, nullptr);
    guess->setFocus();
    auto key = [](int k, const QString& text = {}) {
        QWidget* to = QApplication::focusWidget();
        ASSERT_NE(to, nullptr);
        QKeyEvent press(QEvent::KeyPress, k, Qt::NoModifier, text);
        QApplication::sendEvent(to, &press);
    };
    key(Qt::Key_2, QStringLiteral("2"));
    key(Qt::Key_Return);  // run
    EXPECT_EQ(p->step(), PresentationWindow::Step::Run);
    p->runFinished({{QStringLiteral("Part 1"), QStringLiteral("one"), -1},
                    {QStringLiteral("Part 2"), QStringLiteral("two"), -1}});
    ASSERT_EQ(p->step(), PresentationWindow::Step::Explain);
    key(Qt::Key_Space);
    EXPECT_EQ(p->page(), 1) << "Space pages on";
    key(Qt::Key_Left);
    EXPECT_EQ(p->page(), 0) << "← pages back";
    p->close();
    delete p;
}
