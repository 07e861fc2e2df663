// Every worker ends here, whatever happened: told to exit (end of its task stream) after a
// good run, killed after a failure, a cancellation or a bug, and reaped in every case, with
// how it ended and its resource usage recorded.

#include <signal.h>
#include <time.h>

#include <algorithm>

#include "core/exec/process_pool.h"
#include "core/util/clock.h"
#include "core/util/sys.h"

namespace coreduel::detail {

void ProcessPool::teardown() {
    const auto teardownStart = monotonicNs();
    const bool clean = m_error.empty() && !m_cancelled;
    for (auto& w : m_workers) {
        if (clean && w.ch) closeSendPatiently(w);
        if (!clean && w.proc.valid() && !w.proc.reaped()) {
            try {
                w.proc.signal(SIGKILL);
            } catch (const std::exception& ex) {
                if (m_error.empty()) m_error = ex.what();
            }
        }
    }
    const auto deadline = monotonicNs() + std::int64_t{kExitGraceMs} * 1'000'000;
    for (auto& w : m_workers) {
        if (!w.proc.valid() || w.proc.reaped()) continue;
        const auto left = std::max<std::int64_t>(0, (deadline - monotonicNs()) / 1'000'000);
        try {
            if (!collectExit(w, static_cast<int>(left))) {
                if (auto e = w.proc.killAndWait()) record(w, *e);
                if (clean && m_error.empty())
                    m_error = "worker " + std::to_string(w.index) + " did not exit when asked";
            }
        } catch (const std::exception& ex) {
            if (m_error.empty()) m_error = ex.what();
        }
        if (clean) drainFinalFrames(w);
        w.stats.time.teardownNs = monotonicNs() - teardownStart;
    }
    if (clean && m_error.empty()) {
        for (auto& w : m_workers) {
            if (w.stats.exit != "exited with status 0")
                m_error = "worker " + std::to_string(w.index) + " " + w.stats.exit + " at shutdown";
        }
    }
}

/// End of the task stream. A message queue may be full for a moment; a worker that does
/// not drain it within the grace period is killed like any worker that does not exit.
void ProcessPool::closeSendPatiently(Worker& w) {
    const auto deadline = monotonicNs() + std::int64_t{kExitGraceMs} * 1'000'000;
    while (!w.ch->closeSend() && monotonicNs() < deadline) {
        timespec ts{0, 1'000'000};
        ::nanosleep(&ts, nullptr);
    }
}

/// Reaps a worker (our child, or through the fork server) and records how it ended.
std::optional<ChildExit> ProcessPool::collectExit(Worker& w, int timeoutMs) {
    if (w.proc.reaped() || !w.proc.valid()) return std::nullopt;
    auto e = w.proc.wait(timeoutMs);
    if (e) record(w, *e);
    return e;
}

void ProcessPool::record(Worker& w, const ChildExit& e) {
    w.stats.cpuUserNs = e.cpuUserNs;
    w.stats.cpuSystemNs = e.cpuSystemNs;
    // ru_maxrss of an exec'd child includes the replaced image (the engine, for
    // posix_spawn); the worker's own VmHWM from its Bye message is the truth when we got it.
    if (w.stats.maxRssKib == 0) w.stats.maxRssKib = e.maxRssKib;
    w.stats.voluntarySwitches = e.voluntarySwitches;
    w.stats.involuntarySwitches = e.involuntarySwitches;
    w.stats.minorFaults = e.minorFaults;
    w.stats.majorFaults = e.majorFaults;
    w.stats.exit = describeWaitStatus(e.status);
}

void ProcessPool::finishBreakdown(Worker& w, std::int64_t wallNs) {
    auto& t = w.stats.time;
    t.startupNs = w.stats.startupNs;
    if (!w.saidBye) {  // killed: only what its results told us
        t.computeNs = w.sumTaskNs;
        t.blockedNs = w.sumTaskBlockedNs;
    }
    const auto busy = t.startupNs + t.computeNs + t.blockedNs + t.encodeNs + t.decodeNs +
                      t.transferNs + t.teardownNs;
    t.idleNs = std::max<std::int64_t>(0, wallNs - busy);
}

}  // namespace coreduel::detail
