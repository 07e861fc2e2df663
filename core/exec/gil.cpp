#include "core/exec/gil.h"

#include "core/util/clock.h"

namespace coreduel {

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

void Gil::acquire(GilThreadStats& self) {
    const auto start = monotonicNs();
    std::unique_lock lk(m_mutex);
    while (m_locked) {
        const auto seenSwitch = m_switchNumber;
        const bool timedOut = m_cond.wait_for(lk, m_interval) == std::cv_status::timeout;
        // Only ask for a drop if the same holder kept the lock for the whole interval:
        // a lock that changed hands meanwhile was not hogged.
        if (timedOut && m_locked && m_switchNumber == seenSwitch) {
            if (!m_dropRequest.exchange(true, std::memory_order_relaxed)) ++self.dropRequests;
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
}

void Gil::release(GilThreadStats& self) {
    std::unique_lock lk(m_mutex);
    releaseLocked(self, lk, false);
}

void Gil::releaseLocked(GilThreadStats& self, std::unique_lock<std::mutex>& lk, bool forced) {
    self.holdNs += monotonicNs() - m_acquiredAtNs;
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
        self.waitNs += monotonicNs() - start;
    }
}

void Gil::yield(GilThreadStats& self) {
    {
        std::unique_lock lk(m_mutex);
        if (!m_dropRequest.load(std::memory_order_relaxed)) return;
        releaseLocked(self, lk, true);
    }
    acquire(self);
}

std::uint64_t Gil::switchCount() const {
    std::lock_guard lk(m_mutex);
    return m_switchNumber;
}

}  // namespace coreduel
