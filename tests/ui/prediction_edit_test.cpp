// A lesson's guess (PredictionEdit): typing over the placeholder is the guess, not refused as
// "?2"; the first step up from no guess is 1.0× (no speedup), not 0.1×; the placeholder shows
// until a guess is given. The walkthrough found the first two in presentation mode.

#include <gtest/gtest.h>

#include <QApplication>
#include <QKeyEvent>

#include "ui/panels/prediction_edit.h"

using coreduel::ui::PredictionEdit;

namespace {

void type(QWidget* w, const QString& text) {
    for (const QChar c : text) {
        QKeyEvent press(QEvent::KeyPress, 0, Qt::NoModifier, QString(c));
        QApplication::sendEvent(w, &press);
        QKeyEvent release(QEvent::KeyRelease, 0, Qt::NoModifier, QString(c));
        QApplication::sendEvent(w, &release);
    }
}

}  // namespace

TEST(PredictionEdit, TypingAfterThePlaceholderGivesTheGuess) {
    PredictionEdit edit(QStringLiteral("?"), 1);
    edit.show();
    ASSERT_TRUE(edit.empty());
    EXPECT_EQ(edit.text(), QStringLiteral("?"));
    // The cursor after the placeholder, as a click leaves it: "?" then "2", "." and "5".
    QKeyEvent end(QEvent::KeyPress, Qt::Key_End, Qt::NoModifier);
    QApplication::sendEvent(&edit, &end);
    type(&edit, QStringLiteral("2.5"));
    edit.interpretText();
    EXPECT_DOUBLE_EQ(edit.value(), 2.5);
    EXPECT_FALSE(edit.empty());
}

TEST(PredictionEdit, ACommaIsADecimalPointToo) {
    PredictionEdit edit(QStringLiteral("?"), 1);
    edit.setLocale(QLocale::c());
    edit.show();
    QKeyEvent end(QEvent::KeyPress, Qt::Key_End, Qt::NoModifier);
    QApplication::sendEvent(&edit, &end);
    type(&edit, QStringLiteral("1,8"));
    edit.interpretText();
    EXPECT_DOUBLE_EQ(edit.value(), 1.8);
}

TEST(PredictionEdit, TheFirstStepUpFromNoGuessIsNoSpeedup) {
    PredictionEdit edit(QStringLiteral("your guess"), 2);
    edit.stepBy(1);
    EXPECT_DOUBLE_EQ(edit.value(), 1.0);
    edit.stepBy(2);
    EXPECT_NEAR(edit.value(), 1.2, 1e-9);
    // Down to no guess again: the placeholder shows.
    edit.stepBy(-20);
    EXPECT_TRUE(edit.empty());
    EXPECT_EQ(edit.text(), QStringLiteral("your guess"));
}
