#pragma once
// The status bar's "GUI stall" figure: how late a timer on the GUI thread fired at worst since
// the last run started — the longest the window was unresponsive while it measured.

#include <QLabel>

namespace coreduel::ui {

class RunController;

class StallLabel : public QLabel {
    Q_OBJECT
public:
    StallLabel(const RunController& runs, QWidget* parent = nullptr);
    void refresh();

private:
    const RunController& m_runs;
};

}  // namespace coreduel::ui
