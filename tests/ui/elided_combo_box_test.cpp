// A picker narrower than its entry (the lesson part picker, the timeline's run picker at
// 1366×768) shows the entry cut with "…" inside its text field, not clipped mid-letter; an
// entry that fits shows whole.

#include <gtest/gtest.h>

#include <QStyleOptionComboBox>

#include "ui/panels/elided_combo_box.h"

using coreduel::ui::ElidedComboBox;

TEST(ElidedComboBox, ALongEntryIsCutWithAnEllipsisInsideItsField) {
    ElidedComboBox box;
    box.setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    box.setMinimumContentsLength(10);
    const QString entry = QStringLiteral(
        "2 of 3: threads behind the GIL, their hand-offs and the convoy they form on two cores");
    box.addItem(entry);
    box.addItem(QStringLiteral("1 of 3: short"));
    box.resize(220, box.sizeHint().height());
    box.show();
    const QString shown = box.shownText();
    EXPECT_TRUE(shown.endsWith(QChar(0x2026))) << shown.toStdString();
    QStyleOptionComboBox option;
    option.initFrom(&box);
    option.currentText = entry;
    const QRect field = box.style()->subControlRect(QStyle::CC_ComboBox, &option,
                                                    QStyle::SC_ComboBoxEditField, &box);
    EXPECT_LE(box.fontMetrics().horizontalAdvance(shown), field.width());
    box.setCurrentIndex(1);
    EXPECT_EQ(box.shownText(), QStringLiteral("1 of 3: short"));
}
