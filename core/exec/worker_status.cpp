#include "core/exec/worker_status.h"

#include <new>

namespace coreduel {

WorkerStatusPage::WorkerStatusPage(unsigned workers)
    : m_memory(SharedMapping::create("coreduel-status", sizeof(WorkerStatusSlot) * (workers + 1))) {
    for (unsigned i = 0; i < workers; ++i) new (&slot(i)) WorkerStatusSlot();
}

WorkerStatusPage::WorkerStatusPage(int fd, unsigned worker)
    : m_memory(SharedMapping::map(UniqueFd(fd), sizeof(WorkerStatusSlot) * (worker + 1))) {
    m_memory.closeFd();  // the mapping is all a worker needs
}

std::optional<std::pair<std::uint64_t, std::int64_t>> WorkerStatusPage::running(
    unsigned worker) const {
    const auto& s = slot(worker);
    const auto t = s.task.load(std::memory_order_acquire);
    if (t == 0) return std::nullopt;
    return std::make_pair(t - 1, s.startedNs.load(std::memory_order_acquire));
}

}  // namespace coreduel
