#include "ui/panels/wheel_guard.h"

#include <QAbstractSlider>
#include <QAbstractSpinBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QEvent>
#include <QWidget>

namespace coreduel::ui {

namespace {

/// Passes a wheel event over an unfocused control on to its parent (the scroll area's
/// viewport, in the end), which scrolls; the control itself never sees it.
class WheelGuard final : public QObject {
public:
    explicit WheelGuard(QObject* parent) : QObject(parent) {}

protected:
    bool eventFilter(QObject* watched, QEvent* event) override {
        if (event->type() != QEvent::Wheel) return false;
        auto* control = qobject_cast<QWidget*>(watched);
        if (control == nullptr || control->hasFocus()) return false;
        if (QWidget* parent = control->parentWidget()) QCoreApplication::sendEvent(parent, event);
        return true;
    }
};

}  // namespace

void guardWheel(QWidget* root) {
    auto* guard = new WheelGuard(root);
    auto guardOne = [guard](QWidget* w) {
        // The wheel acts only once the control has the focus: a click or Tab gives it.
        w->setFocusPolicy(Qt::StrongFocus);
        w->installEventFilter(guard);
    };
    for (QComboBox* c : root->findChildren<QComboBox*>()) guardOne(c);
    for (QAbstractSpinBox* s : root->findChildren<QAbstractSpinBox*>()) guardOne(s);
    for (QAbstractSlider* s : root->findChildren<QAbstractSlider*>()) {
        // A scroll bar is what the wheel is for.
        if (s->metaObject()->className() != QByteArray("QScrollBar")) guardOne(s);
    }
}

}  // namespace coreduel::ui
