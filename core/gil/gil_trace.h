#pragma once
// Exact GIL intervals: every acquire and release of every thread, with its CLOCK_MONOTONIC
// time, so the timeline can draw holds and waits where they happened.
//
// Memory is bounded: each thread records at most `cap` intervals per run (kDefaultGilTraceCap,
// 24 bytes each: ~2.4 MB per thread). Past the bound that thread's recording STOPS (later
// intervals are counted in `dropped`, not stored); its statistics (GilThreadStats) stay exact.
// The timeline then says "GIL intervals truncated after N" and draws nothing exact past the
// last recorded interval of that thread.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace coreduel {

inline constexpr std::size_t kDefaultGilTraceCap = 100'000;

struct GilInterval {
    enum Kind : std::uint8_t {
        Wait = 0,  ///< wanted the lock, did not have it (incl. FORCE_SWITCHING's wait)
        Hold = 1,  ///< held the lock
    };
    std::int64_t startNs = 0;
    std::int64_t endNs = 0;
    std::uint32_t worker = 0;
    Kind kind = Wait;
    /// Hold: it ended because another thread asked for the lock (a forced drop: the holder
    /// saw the drop request at a check point). Wait: during it this thread asked the holder
    /// to drop (a drop request after a whole switch interval).
    bool forced = false;
};

/// One thread's recorder. Only its own thread writes to it (under the GIL's mutex).
class GilTrace {
public:
    GilTrace() = default;
    GilTrace(std::uint32_t worker, std::size_t cap) : m_worker(worker), m_cap(cap) {}

    void add(GilInterval::Kind kind, std::int64_t startNs, std::int64_t endNs, bool forced) {
        if (m_intervals.size() >= m_cap) {
            ++m_dropped;
            return;
        }
        m_intervals.push_back(GilInterval{startNs, endNs, m_worker, kind, forced});
    }
    [[nodiscard]] const std::vector<GilInterval>& intervals() const { return m_intervals; }
    std::vector<GilInterval>& intervals() { return m_intervals; }
    [[nodiscard]] std::uint64_t dropped() const { return m_dropped; }
    [[nodiscard]] std::size_t cap() const { return m_cap; }

private:
    std::uint32_t m_worker = 0;
    std::size_t m_cap = 0;  ///< 0: recording off
    std::vector<GilInterval> m_intervals;
    std::uint64_t m_dropped = 0;
};

/// One run's GIL intervals, all threads, sorted by start.
struct GilTimeline {
    std::vector<GilInterval> intervals;
    std::size_t capPerThread = 0;  ///< 0: not recorded
    /// Per worker: intervals not stored because its cap was reached (0: complete).
    std::vector<std::uint64_t> droppedPerWorker;

    [[nodiscard]] bool recorded() const { return capPerThread > 0; }
    [[nodiscard]] bool truncated() const {
        for (auto d : droppedPerWorker)
            if (d > 0) return true;
        return false;
    }
    /// Merges the threads' traces (moving their intervals out).
    static GilTimeline merge(std::vector<GilTrace>& traces, std::size_t cap);
};

}  // namespace coreduel
