#include "ui/panels/elided_combo_box.h"

#include <QStyleOptionComboBox>
#include <QStylePainter>

namespace coreduel::ui {

QString ElidedComboBox::elided(const QStyleOptionComboBox& option) const {
    const QRect field =
        style()->subControlRect(QStyle::CC_ComboBox, &option, QStyle::SC_ComboBoxEditField, this);
    // The style draws the label 1 px in from each side of the field (QCommonStyle), and an
    // icon, when there is one, before it.
    int room = field.width() - 2;
    if (!option.currentIcon.isNull()) room -= option.iconSize.width() + 4;
    return fontMetrics().elidedText(option.currentText, Qt::ElideRight, std::max(0, room));
}

QString ElidedComboBox::shownText() const {
    QStyleOptionComboBox option;
    initStyleOption(&option);
    return elided(option);
}

void ElidedComboBox::paintEvent(QPaintEvent* /*event*/) {
    QStylePainter painter(this);
    painter.setPen(palette().color(QPalette::Text));
    QStyleOptionComboBox option;
    initStyleOption(&option);
    painter.drawComplexControl(QStyle::CC_ComboBox, option);
    option.currentText = elided(option);
    painter.drawControl(QStyle::CE_ComboBoxLabel, option);
}

}  // namespace coreduel::ui
