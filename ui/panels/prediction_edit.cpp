#include "ui/panels/prediction_edit.h"

#include <QLineEdit>
#include <QTimer>
#include <algorithm>

namespace coreduel::ui {

PredictionEdit::PredictionEdit(const QString& placeholder, int decimals, QWidget* parent)
    : QDoubleSpinBox(parent) {
    setRange(0, 1024);
    setDecimals(decimals);
    setSingleStep(0.1);
    setSuffix(QStringLiteral(" ×"));
    setSpecialValueText(placeholder);
}

QValidator::State PredictionEdit::validate(QString& input, int& pos) const {
    // The placeholder and what was typed before or after it: the typing alone.
    const QString placeholder = specialValueText();
    if (!placeholder.isEmpty() && input != placeholder) {
        if (const int at = static_cast<int>(input.indexOf(placeholder)); at >= 0) {
            const int length = static_cast<int>(placeholder.size());
            input.remove(at, length);
            if (pos > at) pos = std::max(at, pos - length);
        }
    }
    // "1,8" is 1.8 where the decimal point is ".", as a class writes it: a speedup guess
    // never needs a thousands separator, and read as one it made 18×.
    const QString point = locale().decimalPoint();
    if (point != QStringLiteral(",")) input.replace(QLatin1Char(','), point);
    return QDoubleSpinBox::validate(input, pos);
}

void PredictionEdit::stepBy(int steps) {
    if (steps > 0 && empty()) {
        setValue(1.0);  // no speedup: the guess starts there, not at 0.1×
        --steps;
    }
    if (steps != 0) QDoubleSpinBox::stepBy(steps);
}

void PredictionEdit::focusInEvent(QFocusEvent* event) {
    QDoubleSpinBox::focusInEvent(event);
    // A click into the placeholder selects it, so what is typed replaces it.
    if (empty()) QTimer::singleShot(0, this, &QAbstractSpinBox::selectAll);
}

}  // namespace coreduel::ui
