#include "core/exec/worker_status.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <new>

namespace coreduel {

WorkerStatusPage::WorkerStatusPage(unsigned workers)
    : m_size(sizeof(WorkerStatusSlot) * (workers + 1)) {
    m_fd.reset(::memfd_create("coreduel-status", MFD_CLOEXEC));
    if (!m_fd.valid()) throwSystemError("memfd_create");
    if (::ftruncate(m_fd.get(), static_cast<off_t>(m_size)) != 0)
        throwSystemError("ftruncate status page");
    void* p = ::mmap(nullptr, m_size, PROT_READ | PROT_WRITE, MAP_SHARED, m_fd.get(), 0);
    if (p == MAP_FAILED) throwSystemError("mmap status page");
    m_slots = static_cast<WorkerStatusSlot*>(p);
    for (unsigned i = 0; i < workers; ++i) new (&m_slots[i]) WorkerStatusSlot();
}

WorkerStatusPage::WorkerStatusPage(int fd, unsigned worker)
    : m_size(sizeof(WorkerStatusSlot) * (worker + 1)) {
    void* p = ::mmap(nullptr, m_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    ::close(fd);
    if (p == MAP_FAILED) throwSystemError("mmap status page");
    m_slots = static_cast<WorkerStatusSlot*>(p);
}

WorkerStatusPage::~WorkerStatusPage() {
    if (m_slots != nullptr) ::munmap(m_slots, m_size);
}

UniqueFd WorkerStatusPage::dupFd() const {
    const int fd = ::fcntl(m_fd.get(), F_DUPFD_CLOEXEC, 3);
    if (fd < 0) throwSystemError("dup status page");
    return UniqueFd(fd);
}

std::optional<std::pair<std::uint64_t, std::int64_t>> WorkerStatusPage::running(
    unsigned worker) const {
    const auto t = m_slots[worker].task.load(std::memory_order_acquire);
    if (t == 0) return std::nullopt;
    return std::make_pair(t - 1, m_slots[worker].startedNs.load(std::memory_order_acquire));
}

}  // namespace coreduel
