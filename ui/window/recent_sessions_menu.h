#pragma once
// File › Recent sessions: the session history (SessionHistory), newest first, each a click
// from being reopened; and the way to delete one or all of them. Rebuilt each time it opens.

#include <QMenu>
#include <functional>

#include "ui/window/session_history.h"

namespace coreduel::ui {

class RecentSessionsMenu : public QMenu {
    Q_OBJECT
public:
    /// `shown`: the session file the window shows now (never deleted from here).
    RecentSessionsMenu(SessionHistory& history, std::function<QString()> shown,
                       QWidget* parent = nullptr);

signals:
    void openRequested(const QString& path);

private:
    void rebuild();
    SessionHistory& m_history;
    std::function<QString()> m_shown;
};

}  // namespace coreduel::ui
