#include "core/gil/gil.h"

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
    // Ask for a drop once the same thread has kept the lock for a whole interval while we
    // waited. The interval runs across wake-ups: a holder that lets go between chunks and,
    // already running, takes the lock straight back wakes us every time but has still hogged
    // it (restarting the timer on every wake-up would starve us forever). A lock that really
    // changed hands starts a fresh interval.
    const GilThreadStats* seenHolder = m_lastHolder;
    auto deadline = std::chrono::steady_clock::now() + m_interval;
    while (m_locked) {
        const bool timedOut = m_cond.wait_until(lk, deadline) == std::cv_status::timeout;
        if (!m_locked) break;
        if (m_lastHolder != seenHolder) {
            seenHolder = m_lastHolder;
            deadline = std::chrono::steady_clock::now() + m_interval;
        } else if (timedOut) {
            if (!m_dropRequest.exchange(true, std::memory_order_relaxed)) ++self.dropRequests;
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
