#pragma once
// A model of CPython's global interpreter lock as it has worked since 3.2 (the "new GIL",
// Python/ceval_gil.h): a real mutex-protected flag that real threads contend on.
//
// - A thread that wants the lock waits on a condition variable for at most the switch
//   interval; if the same holder still has it afterwards, it sets a drop request.
// - The holder looks at the drop request at its check points (CPython: the eval loop's
//   "eval breaker") and, when set, releases the lock and waits until some other thread has
//   taken it (FORCE_SWITCHING), so it cannot immediately grab it back.
// - Blocking calls release the lock around the wait, as CPython does around I/O and sleep.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

#include "core/gil/gil_trace.h"

namespace coreduel {

/// What one thread did with the lock. Times in nanoseconds (CLOCK_MONOTONIC).
struct GilThreadStats {
    std::int64_t holdNs = 0;         ///< total time holding the lock
    std::int64_t waitNs = 0;         ///< total time waiting to get it
    std::uint64_t acquisitions = 0;  ///< times it took the lock
    std::uint64_t handoffs = 0;      ///< acquisitions that took it over from another thread
    std::uint64_t forcedDrops = 0;   ///< times it released the lock because another asked
    std::uint64_t dropRequests = 0;  ///< times it asked the holder to let go

    GilThreadStats& operator+=(const GilThreadStats& o);
};

class Gil {
public:
    explicit Gil(std::chrono::nanoseconds switchInterval = std::chrono::milliseconds(5));
    Gil(const Gil&) = delete;
    Gil& operator=(const Gil&) = delete;

    /// Takes the lock; `self` identifies the calling thread's stats (one per thread).
    /// `trace`, when given, records the wait and the hold that follows (exact intervals).
    void acquire(GilThreadStats& self, GilTrace* trace = nullptr);
    void release(GilThreadStats& self, GilTrace* trace = nullptr);
    /// Check point: honour a pending drop request (release, let another in, retake).
    void yieldIfRequested(GilThreadStats& self, GilTrace* trace = nullptr) {
        if (m_dropRequest.load(std::memory_order_relaxed)) yield(self, trace);
    }
    [[nodiscard]] std::chrono::nanoseconds switchInterval() const { return m_interval; }
    /// Total switches between different threads (CPython's switch_number).
    [[nodiscard]] std::uint64_t switchCount() const;

private:
    void yield(GilThreadStats& self, GilTrace* trace);
    void releaseLocked(GilThreadStats& self, std::unique_lock<std::mutex>& lk, bool forced,
                       GilTrace* trace);

    const std::chrono::nanoseconds m_interval;
    mutable std::mutex m_mutex;
    std::condition_variable m_cond;        ///< signalled when the lock is released
    std::condition_variable m_switchCond;  ///< signalled when another thread takes it
    bool m_locked = false;
    const GilThreadStats* m_holder = nullptr;
    const GilThreadStats* m_lastHolder = nullptr;
    std::uint64_t m_switchNumber = 0;
    std::int64_t m_acquiredAtNs = 0;
    std::atomic<bool> m_dropRequest{false};
};

}  // namespace coreduel
