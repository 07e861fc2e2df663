#pragma once
// What a worker-timeline segment stands for (TimelineChart): its state, the colour and the
// legend text of each state, and how the shown run knows about the GIL.

#include <QColor>
#include <QString>

#include "core/vocab/model.h"
#include "ui/theme.h"

namespace coreduel::ui::timeline_states {

// What a segment shows. Several states share a colour (all on-CPU time is blue); the state
// keeps them apart for the tooltip.
enum Seg : int {
    OnCpu,         // inside a task, on a CPU (shares from the thread's CPU time)
    Blocked,       // inside a task, off CPU (shares)
    GilWait,       // waiting for the GIL
    Transfer,      // processes: sent -> started
    OnCpuGil,      // exact: inside a task, holding the GIL
    HeldBetween,   // exact: holding the GIL between tasks (next chunk, bookkeeping)
    BlockedNoGil,  // exact: inside a task, neither holding nor waiting: blocked without it
    NativeNoGil,   // exact: inside a task without the GIL, but on a CPU (native code)
    BetweenNoGil,  // exact: between chunks, neither holding nor waiting (or preempted there)
};
// Legend order: the swatches.
constexpr Seg kLegend[] = {OnCpu, Blocked, GilWait, Transfer, BetweenNoGil};

/// How the shown run knows about the GIL: not at all (no lock), exactly or from the totals
/// (gil-threads, the engine's model), or inferred (py:threads: the real interpreter's GIL,
/// which reports nothing).
enum class GilKnown { None, Model, Inferred };

QColor blockedColor();
QColor segColor(const Theme& t, int s);
GilKnown gilKnown(Model m, bool inferred);
QString segName(int s, GilKnown known);

}  // namespace coreduel::ui::timeline_states
