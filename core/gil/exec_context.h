#pragma once
// What a running task can see of the execution model: check points (where a GIL holder may
// have to let go, and where cancellation is noticed) and blocking regions (where the GIL is
// released, as CPython releases it around I/O and sleep).

#include <atomic>
#include <exception>

#include "core/gil/gil.h"

namespace coreduel {

/// Thrown from a check point when the run is being cancelled or has already failed.
class Cancelled : public std::exception {
public:
    const char* what() const noexcept override { return "cancelled"; }
};

class ExecContext {
public:
    ExecContext() = default;
    ExecContext(const std::atomic<bool>* stop, Gil* gil, GilThreadStats* gilStats,
                GilTrace* gilTrace = nullptr)
        : m_stop(stop), m_gil(gil), m_gilStats(gilStats), m_gilTrace(gilTrace) {}

    /// Called by workloads often (every few microseconds of work): cheap when nothing is pending.
    void checkpoint() {
        if (m_stop != nullptr && m_stop->load(std::memory_order_relaxed)) throw Cancelled();
        if (m_holding) m_gil->yieldIfRequested(*m_gilStats, m_gilTrace);
    }
    [[nodiscard]] bool stopRequested() const {
        return m_stop != nullptr && m_stop->load(std::memory_order_relaxed);
    }

    /// Runs `f` without the GIL (a blocking call), retaking it afterwards.
    template <class F>
    decltype(auto) blocking(F&& f) {
        Released guard(*this);
        return f();
    }

    // Used by the executors around each unit of "interpreted" work.
    void enterGil() {
        if (m_gil != nullptr && !m_holding) {
            m_gil->acquire(*m_gilStats, m_gilTrace);
            m_holding = true;
        }
    }
    void leaveGil() {
        if (m_holding) {
            m_gil->release(*m_gilStats, m_gilTrace);
            m_holding = false;
        }
    }
    [[nodiscard]] bool holdingGil() const { return m_holding; }

private:
    struct Released {
        explicit Released(ExecContext& c) : ctx(c), wasHolding(c.m_holding) { ctx.leaveGil(); }
        ~Released() {
            if (wasHolding) ctx.enterGil();
        }
        ExecContext& ctx;
        bool wasHolding;
    };

    const std::atomic<bool>* m_stop = nullptr;
    Gil* m_gil = nullptr;
    GilThreadStats* m_gilStats = nullptr;
    GilTrace* m_gilTrace = nullptr;  ///< exact intervals; nullptr: not recorded
    bool m_holding = false;
};

}  // namespace coreduel
