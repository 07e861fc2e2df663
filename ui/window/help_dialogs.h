#pragma once
// Help › Keyboard shortcuts (read from the menus, so it never disagrees with them) and
// Help › About (the versions this build runs with).

class QMenuBar;
class QWidget;
#include <string>

namespace coreduel::ui {

void showShortcutsDialog(QMenuBar& menus, QWidget* parent);
void showAboutDialog(const std::string& compiler, QWidget* parent);

}  // namespace coreduel::ui
