#pragma once
// A page of shared memory (one memfd for the whole pool, no name) where each worker process
// notes which task it is running and since when. Results may be held back and sent in
// batches, so the stream alone cannot say which task a crashed or hung worker was on; this
// page can, for every transport, at the cost of two plain stores per task.

#include <atomic>
#include <cstdint>
#include <optional>

#include "core/proc/shared_mapping.h"
#include "core/util/sys.h"

namespace coreduel {

struct alignas(64) WorkerStatusSlot {
    std::atomic<std::uint64_t> task{0};      ///< task index + 1; 0 while between tasks
    std::atomic<std::int64_t> startedNs{0};  ///< CLOCK_MONOTONIC when it started
};

class WorkerStatusPage {
public:
    /// Engine side: a fresh page for `workers` workers.
    explicit WorkerStatusPage(unsigned workers);
    /// Worker side: maps the page from `fd` far enough to reach `worker`'s slot (and closes fd).
    WorkerStatusPage(int fd, unsigned worker);

    [[nodiscard]] UniqueFd dupFd() const { return m_memory.dupFd(); }
    [[nodiscard]] WorkerStatusSlot& slot(unsigned worker) const {
        return m_memory.as<WorkerStatusSlot>()[worker];
    }
    /// The task a worker is running, and since when; nullopt between tasks.
    [[nodiscard]] std::optional<std::pair<std::uint64_t, std::int64_t>> running(
        unsigned worker) const;

private:
    SharedMapping m_memory;
};

}  // namespace coreduel
