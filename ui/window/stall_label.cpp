// StallLabel: the GUI thread's worst stall, twice a second.
#include "ui/window/stall_label.h"

#include <QTimer>

#include "ui/window/run_controller.h"

namespace coreduel::ui {

StallLabel::StallLabel(const RunController& runs, QWidget* parent) : QLabel(parent), m_runs(runs) {
    setToolTip(
        tr("How late a %1 ms timer on the GUI thread fired at worst since the last run started: "
           "the longest the window was unresponsive, less at most one tick.")
            .arg(runs.stallMonitor().intervalMs()));
    auto* timer = new QTimer(this);
    connect(timer, &QTimer::timeout, this, &StallLabel::refresh);
    timer->start(500);
    connect(&runs, &RunController::experimentDone, this, &StallLabel::refresh);
    refresh();
}

void StallLabel::refresh() {
    // Before the first run there is no "since run start" to speak of.
    if (!m_runs.hasRun()) {
        setText(tr("GUI stall: measured once a run starts"));
        return;
    }
    const StallMonitor& stall = m_runs.stallMonitor();
    setText(tr("GUI stall: max %1 ms since run start (%2 over 50 ms)")
                .arg(stall.maxStallMs(), 0, 'f', 0)
                .arg(stall.stallsOver50Ms()));
}

}  // namespace coreduel::ui
