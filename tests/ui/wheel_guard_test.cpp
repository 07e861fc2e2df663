// Scrolling the Experiment panel never changes a setting: the wheel over an unfocused combo
// box or spin box leaves its value alone (issue 24: Start method went spawn -> forkserver and
// Transport pipe -> unix while the user scrolled); once the user clicks into it, it works.

#include <gtest/gtest.h>

#include <QApplication>
#include <QComboBox>
#include <QSpinBox>
#include <QWheelEvent>

#include "ui/panels/experiment_panel.h"

using namespace coreduel::ui;

namespace {

void wheelDown(QWidget* w) {
    const QPointF at(w->width() / 2.0, w->height() / 2.0);
    QWheelEvent event(at, w->mapToGlobal(at), QPoint(), QPoint(0, -120), Qt::NoButton,
                      Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(w, &event);
}

}  // namespace

TEST(WheelGuard, ScrollingOverAnUnfocusedControlChangesNothing) {
    ExperimentPanel panel;
    panel.resize(360, 500);
    panel.show();
    const auto combos = panel.findChildren<QComboBox*>();
    const auto spins = panel.findChildren<QSpinBox*>();
    ASSERT_FALSE(combos.isEmpty());
    ASSERT_FALSE(spins.isEmpty());
    int checked = 0;
    for (QComboBox* c : combos) {
        if (c->count() < 2 || !c->isEnabled()) continue;
        c->setCurrentIndex(0);
        c->clearFocus();
        wheelDown(c);
        EXPECT_EQ(c->currentIndex(), 0)
            << c->objectName().toStdString() << " " << c->currentText().toStdString();
        ++checked;
    }
    EXPECT_GE(checked, 3);  // workload, schedule, start method, transport, ...
    for (QSpinBox* s : spins) {
        if (!s->isEnabled() || s->value() >= s->maximum()) continue;
        const int before = s->value();
        s->clearFocus();
        wheelDown(s);
        wheelDown(s);
        EXPECT_EQ(s->value(), before) << s->objectName().toStdString();
    }
}

TEST(WheelGuard, AFocusedControlStillTakesTheWheel) {
    ExperimentPanel panel;
    panel.show();
    QComboBox* target = nullptr;
    for (QComboBox* c : panel.findChildren<QComboBox*>())
        if (target == nullptr && c->count() >= 2 && c->isEnabled()) target = c;
    ASSERT_NE(target, nullptr);
    target->setCurrentIndex(0);
    EXPECT_EQ(target->focusPolicy(), Qt::StrongFocus);
    panel.activateWindow();
    target->setFocus(Qt::OtherFocusReason);
    QApplication::processEvents();
    if (!target->hasFocus()) GTEST_SKIP() << "the platform gave no focus (offscreen)";
    wheelDown(target);
    EXPECT_EQ(target->currentIndex(), 1);
}
