// StallLabel: the GUI thread's worst stall, when it changes.
#include "ui/window/stall_label.h"

#include "ui/window/run_controller.h"

namespace coreduel::ui {

StallLabel::StallLabel(const RunController& runs, QWidget* parent) : QLabel(parent), m_runs(runs) {
    setToolTip(
        tr("The longest the window's thread spent handling events (drawing, a run's results) "
           "before it could answer the mouse again, since the last run started."));
    // Changed only when a stall grows worse, at a run's start and end: no timer of its own
    // wakes the thread it watches.
    connect(&runs.stallMonitor(), &StallMonitor::worsened, this, &StallLabel::refresh);
    connect(&runs, &RunController::started, this, &StallLabel::refresh);
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
