#include "core/gil/gil.h"

#include <algorithm>

#include "core/util/clock.h"

namespace coreduel {

namespace {
// Waits shorter than this are an uncontended lock's own cost, not a wait anybody would see.
constexpr std::int64_t kMinRecordedWaitNs = 1'000;
}  // namespace

GilThreadStats& GilThreadStats::operator+=(const GilThreadStats& o) {
    holdNs += o.holdNs;
    waitNs += o.waitNs;
    acquisitions += o.acquisitions;
    handoffs += o.handoffs;
    forcedDrops += o.forcedDrops;
    dropRequests += o.dropRequests;
    return *this;
}

Gil::Gil(std::chrono::nanoseconds switchInterval) : m_interval(switchInterval) {}

void Gil::acquire(GilThreadStats& self, GilTrace* trace) {
    const auto start = monotonicNs();
    std::unique_lock lk(m_mutex);
    // Ask for a drop once the same thread has kept the lock for a whole interval while we
    // waited. The interval runs across wake-ups: a holder that lets go between chunks and,
    // already running, takes the lock straight back wakes us every time but has still hogged
    // it (restarting the timer on every wake-up would starve us forever). A lock that really
    // changed hands starts a fresh interval.
    const GilThreadStats* seenHolder = m_lastHolder;
    auto deadline = std::chrono::steady_clock::now() + m_interval;
    bool askedDrop = false;
    while (m_locked) {
        const bool timedOut = m_cond.wait_until(lk, deadline) == std::cv_status::timeout;
        if (!m_locked) break;
        if (m_lastHolder != seenHolder) {
            seenHolder = m_lastHolder;
            deadline = std::chrono::steady_clock::now() + m_interval;
        } else if (timedOut) {
            if (!m_dropRequest.exchange(true, std::memory_order_relaxed)) {
                ++self.dropRequests;
                askedDrop = true;
            }
            deadline = std::chrono::steady_clock::now() + m_interval;
        }
    }
    m_locked = true;
    if (m_lastHolder != nullptr && m_lastHolder != &self) ++self.handoffs;
    m_holder = &self;
    m_lastHolder = &self;
    ++m_switchNumber;
    // A request aimed at the previous holder is satisfied now.
    m_dropRequest.store(false, std::memory_order_relaxed);
    m_switchCond.notify_all();
    const auto now = monotonicNs();
    m_acquiredAtNs = now;
    self.waitNs += now - start;
    ++self.acquisitions;
    // An uncontended acquire (no wait worth drawing) records no wait interval: it keeps the
    // trace to the waits a reader can see.
    if (trace != nullptr && now - start > kMinRecordedWaitNs)
        trace->add(GilInterval::Wait, start, now, askedDrop);
}

void Gil::release(GilThreadStats& self, GilTrace* trace) {
    std::unique_lock lk(m_mutex);
    releaseLocked(self, lk, false, trace);
}

void Gil::releaseLocked(GilThreadStats& self, std::unique_lock<std::mutex>& lk, bool forced,
                        GilTrace* trace) {
    const auto releasedAt = monotonicNs();
    self.holdNs += releasedAt - m_acquiredAtNs;
    if (trace != nullptr) trace->add(GilInterval::Hold, m_acquiredAtNs, releasedAt, forced);
    m_locked = false;
    m_holder = nullptr;
    m_cond.notify_one();
    if (forced) {
        ++self.forcedDrops;
        // FORCE_SWITCHING: wait until somebody else has taken the lock, otherwise this thread,
        // already running, would usually win it straight back. That wait is waiting for the
        // lock too, and is counted as such.
        const auto start = monotonicNs();
        m_switchCond.wait(lk, [&] { return m_lastHolder != &self || m_locked; });
        const auto end = monotonicNs();
        self.waitNs += end - start;
        if (trace != nullptr) trace->add(GilInterval::Wait, start, end, false);
    }
}

void Gil::yield(GilThreadStats& self, GilTrace* trace) {
    {
        std::unique_lock lk(m_mutex);
        if (!m_dropRequest.load(std::memory_order_relaxed)) return;
        releaseLocked(self, lk, true, trace);
    }
    acquire(self, trace);
}

GilTimeline GilTimeline::merge(std::vector<GilTrace>& traces, std::size_t cap) {
    GilTimeline t;
    t.capPerThread = cap;
    std::size_t n = 0;
    for (const auto& tr : traces) n += tr.intervals().size();
    t.intervals.reserve(n);
    for (auto& tr : traces) {
        t.intervals.insert(t.intervals.end(), tr.intervals().begin(), tr.intervals().end());
        t.droppedPerWorker.push_back(tr.dropped());
        tr.intervals().clear();
        tr.intervals().shrink_to_fit();
    }
    std::stable_sort(
        t.intervals.begin(), t.intervals.end(),
        [](const GilInterval& a, const GilInterval& b) { return a.startNs < b.startNs; });
    return t;
}

std::uint64_t Gil::switchCount() const {
    std::lock_guard lk(m_mutex);
    return m_switchNumber;
}

}  // namespace coreduel
