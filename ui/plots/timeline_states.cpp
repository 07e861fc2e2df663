#include "ui/plots/timeline_states.h"

namespace coreduel::ui::timeline_states {

QColor blockedColor() {
    return QColor(0x9a, 0x9a, 0x9a);  // off CPU: grey, apart from idle (no bar at all)
}

QColor segColor(const Theme& t, int s) {
    switch (s) {
        case Blocked:
        case BlockedNoGil:
            return blockedColor();
        case GilWait:
            return t.stateColor(TaskState::LockWait);
        case BetweenNoGil:
            return QColor(0xd4, 0xd4, 0xd4);
        case Transfer:
            return t.stateColor(TaskState::Transfer);
        default:
            return t.stateColor(TaskState::Compute);
    }
}

GilKnown gilKnown(Model m, bool inferred) {
    if (m == Model::GilThreads) return GilKnown::Model;
    return inferred ? GilKnown::Inferred : GilKnown::None;
}

QString segName(int s, GilKnown known) {
    const bool gil = known != GilKnown::None;
    if (s == GilWait && known == GilKnown::Inferred)
        return QStringLiteral(
            "waiting for the GIL (inferred: a CPU-bound task off CPU under the real GIL)");
    switch (s) {
        case OnCpu:
            return gil ? QStringLiteral("on CPU holding the GIL") : QStringLiteral("on CPU");
        case Blocked:
            return gil ? QStringLiteral("off CPU without the GIL (I/O, sleep, faults, preempted)")
                       : QStringLiteral("off CPU (I/O, sleep, faults, preempted)");
        case GilWait:
            return QStringLiteral("waiting for the GIL");
        case Transfer:
            return QStringLiteral("sent → started (transfer, decode)");
        case OnCpuGil:
            return QStringLiteral("holding the GIL inside the task (exact)");
        case HeldBetween:
            return QStringLiteral("holding the GIL between tasks (exact: taking the next chunk)");
        case BlockedNoGil:
            return QStringLiteral("blocked without the GIL (exact: neither holding nor waiting)");
        case NativeNoGil:
            return QStringLiteral("on CPU without the GIL (exact: native code released it)");
        case BetweenNoGil:
            return QStringLiteral("between chunks without the GIL (taking the next; or preempted)");
    }
    return {};
}

}  // namespace coreduel::ui::timeline_states
