#pragma once
// A combo box narrower than its longest entry shows the current entry cut with "…" at its end,
// never clipped mid-letter: the lesson part picker read "2 of 3: the GIL's hand-o" on a
// 1366-pixel screen. Its list still shows every entry whole.

#include <QComboBox>

namespace coreduel::ui {

class ElidedComboBox : public QComboBox {
public:
    using QComboBox::QComboBox;
    /// The current entry as drawn: elided to the text field's width.
    [[nodiscard]] QString shownText() const;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    [[nodiscard]] QString elided(const QStyleOptionComboBox& option) const;
};

}  // namespace coreduel::ui
