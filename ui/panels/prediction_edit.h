#pragma once
// A guessed speedup, as a lesson asks for one before it runs: empty ("?", "your guess") until
// the student types or steps to a number. The placeholder is a spin box's special value, and
// a plain QDoubleSpinBox makes it a trap: typing after it ("?2") is refused as invalid, and
// the first step up gives 0.1×, a guess nobody means. Here typing replaces the placeholder and
// the first step up from it is 1.0× (no speedup), where a guess starts.

#include <QDoubleSpinBox>

namespace coreduel::ui {

class PredictionEdit : public QDoubleSpinBox {
    Q_OBJECT
public:
    /// `placeholder`: what shows while there is no guess; `decimals`: the guess's precision.
    PredictionEdit(const QString& placeholder, int decimals, QWidget* parent = nullptr);

    /// True while no guess was given (the placeholder shows).
    [[nodiscard]] bool empty() const { return value() <= minimum(); }

    QValidator::State validate(QString& input, int& pos) const override;
    void stepBy(int steps) override;

protected:
    void focusInEvent(QFocusEvent* event) override;
};

}  // namespace coreduel::ui
