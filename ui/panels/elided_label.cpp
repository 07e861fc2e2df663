#include "ui/panels/elided_label.h"

#include <QResizeEvent>

namespace coreduel::ui {

void ElidedLabel::setFullText(const QString& text) {
    m_full = text;
    refit();
}

void ElidedLabel::resizeEvent(QResizeEvent* event) {
    QLabel::resizeEvent(event);
    refit();
}

void ElidedLabel::refit() {
    const int room = contentsRect().width() - 2 * margin();
    const QString shown =
        room > 0 ? fontMetrics().elidedText(m_full, Qt::ElideRight, room) : m_full;
    if (shown != text()) setText(shown);
}

}  // namespace coreduel::ui
