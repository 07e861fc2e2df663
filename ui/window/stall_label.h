#pragma once
// The status bar's "GUI stall" figure: the longest the GUI thread spent handling events without
// returning to its loop since the last run started — the longest the window was unresponsive.

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
