// PartsBar: which part of a lesson's session every chart shows.
#include "ui/window/parts_bar.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>

#include "core/lessons/lesson.h"
#include "core/session/session.h"
#include "ui/panels/elided_combo_box.h"
#include "ui/window/session_text.h"

namespace coreduel::ui {

PartsBar::PartsBar(QWidget* parent) : QWidget(parent) {
    setObjectName(QStringLiteral("parts-bar"));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 3, 8, 3);
    m_label = new QLabel(tr("Lesson part:"));
    m_picker = new ElidedComboBox;
    m_picker->setObjectName(QStringLiteral("part-picker"));
    // Narrower than its longest label when the window is: the current text is elided, the
    // list shows every label whole.
    m_picker->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_picker->setMinimumContentsLength(16);
    m_label->setBuddy(m_picker);
    layout->addWidget(m_label);
    layout->addWidget(m_picker, 1);
    connect(m_picker, &QComboBox::activated, this, &PartsBar::partPicked);
    hide();
}

void PartsBar::showRunning(const Lesson& lesson, std::size_t running) {
    m_picker->clear();
    // While the lesson runs the charts follow its part; the others can be picked after.
    for (std::size_t i = 0; i < lesson.parts.size(); ++i) {
        QString text = tr("%1 of %2: %3")
                           .arg(i + 1)
                           .arg(lesson.parts.size())
                           .arg(QString::fromStdString(lesson.parts[i].label));
        if (i == running) text += tr(" (running)");
        m_picker->addItem(text);
    }
    m_picker->setCurrentIndex(static_cast<int>(running));
    m_picker->setEnabled(false);
    m_picker->setToolTip(tr("The lesson \u201c%1\u201d is running: the charts show its running "
                            "part. Every part can be picked once it has ended.")
                             .arg(QString::fromStdString(lesson.title)));
    show();
}

void PartsBar::showSession(const Session* session, int shown) {
    m_picker->clear();
    if (session == nullptr || session->parts.size() < 2) {
        hide();
        return;
    }
    for (std::size_t i = 0; i < session->parts.size(); ++i)
        m_picker->addItem(partTitle(session->parts[i], i, session->plannedParts));
    m_picker->setCurrentIndex(shown);
    m_picker->setEnabled(true);
    QString tip =
        session->lesson
            ? tr("Lesson \u201c%1\u201d: ").arg(QString::fromStdString(session->lesson->title))
            : QString();
    tip += tr("every chart, the table and the timeline's run picker show one part at a time.");
    if (session->parts.size() < session->plannedParts)
        tip += QStringLiteral(" ") + tr("The lesson stopped after %1 of its %2 parts.")
                                         .arg(session->parts.size())
                                         .arg(session->plannedParts);
    m_picker->setToolTip(tip);
    show();
}

void PartsBar::setCurrent(int part) {
    m_picker->setCurrentIndex(part);
}

}  // namespace coreduel::ui
