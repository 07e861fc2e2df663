#include "ui/window/recent_sessions_menu.h"

#include <QFileInfo>
#include <QLocale>
#include <QMessageBox>

namespace coreduel::ui {

RecentSessionsMenu::RecentSessionsMenu(SessionHistory& history, std::function<QString()> shown,
                                       QWidget* parent)
    : QMenu(tr("Recent &sessions"), parent), m_history(history), m_shown(std::move(shown)) {
    setObjectName(QStringLiteral("recent-sessions"));
    connect(this, &QMenu::aboutToShow, this, &RecentSessionsMenu::rebuild);
    rebuild();
}

void RecentSessionsMenu::rebuild() {
    clear();
    const auto entries = m_history.entries();
    const QString shown = m_shown ? m_shown() : QString();
    const QLocale locale;
    for (const SessionHistory::Entry& e : entries) {
        QString text = tr("%1  %2  (%3)")
                           .arg(locale.toString(e.when, QLocale::ShortFormat), e.label,
                                locale.formattedDataSize(e.bytes));
        if (!shown.isEmpty() && QFileInfo(e.path) == QFileInfo(shown)) text += tr("  — shown");
        QAction* a = addAction(text);
        a->setToolTip(e.path);
        connect(a, &QAction::triggered, this, [this, path = e.path] { emit openRequested(path); });
    }
    if (entries.empty()) addAction(tr("(none yet: every run is kept here)"))->setEnabled(false);
    addSeparator();
    QAction* clearAll = addAction(tr("&Delete the history (%1 sessions, keeps the shown one)…")
                                      .arg(std::max<int>(0, static_cast<int>(entries.size()))));
    clearAll->setEnabled(!entries.empty());
    connect(clearAll, &QAction::triggered, this, [this] {
        const auto answer =
            QMessageBox::question(parentWidget(), tr("Delete the session history"),
                                  tr("Delete every session kept in %1 except the one shown now?")
                                      .arg(m_history.directory()));
        if (answer == QMessageBox::Yes) m_history.clear(m_shown ? m_shown() : QString());
    });
    QAction* where = addAction(tr("Keeps the newest %1 sessions, at most %2, in %3")
                                   .arg(m_history.limits().sessions)
                                   .arg(QLocale().formattedDataSize(m_history.limits().bytes))
                                   .arg(m_history.directory()));
    where->setEnabled(false);
}

}  // namespace coreduel::ui
