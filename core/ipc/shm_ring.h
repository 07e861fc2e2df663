#pragma once
// Shared-memory rings for the process pool. One memfd (anonymous: no /dev/shm name to leak,
// gone when the last process holding it exits, whatever killed it) holds a header with the
// engine's doorbell and, per worker, two single-producer/single-consumer byte rings.
//
// Waiting: a reader (or a writer with no room) spins for a few microseconds, then announces
// that it sleeps and sleeps on a futex in the shared mapping; the other side wakes it only
// when it announced that. So a busy stream costs no system calls, and an idle one no CPU.
// The engine sleeps on a single doorbell word that every worker rings.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "core/ipc/channel.h"
#include "core/proc/shared_mapping.h"
#include "core/util/sys.h"

namespace coreduel {

struct RingControl;

/// One direction of a stream: the producer advances `head`, the consumer `tail`.
class Ring {
public:
    Ring(RingControl* control, std::byte* data, std::size_t capacity)
        : m_c(control), m_data(data), m_capacity(capacity) {}
    /// Copies what fits now; returns bytes written.
    std::size_t tryWrite(const std::byte* src, std::size_t n);
    /// Copies what is there now; returns bytes read.
    std::size_t tryRead(std::byte* dst, std::size_t n);
    [[nodiscard]] bool closed() const;
    [[nodiscard]] bool readable() const;
    [[nodiscard]] bool hasRoom() const;
    void close();
    /// Blocking forms (worker side), spinning briefly before sleeping on a futex.
    void writeAll(const std::byte* src, std::size_t n, std::atomic<std::uint32_t>* doorbell,
                  std::atomic<std::uint32_t>* sleeping);
    /// False on end of stream before the first byte. `spinNs` > 0 polls that long before
    /// sleeping (WorkerChannel::setSpinUs), instead of only the short default spin.
    bool readExact(std::byte* dst, std::size_t n, std::atomic<std::uint32_t>* doorbell,
                   std::atomic<std::uint32_t>* sleeping, std::int64_t spinNs = 0);

private:
    RingControl* m_c;
    std::byte* m_data;
    std::size_t m_capacity;
};

class ShmPool {
public:
    /// Room for `workers` workers with rings of `ringBytes` each way.
    ShmPool(unsigned workers, std::size_t ringBytes);
    ShmPool(const ShmPool&) = delete;
    ShmPool& operator=(const ShmPool&) = delete;

    std::unique_ptr<EngineChannel> engineChannel(unsigned worker);
    UniqueFd dupFd() const;
    /// Engine: sleep until a worker rings or timeoutMs passes. `anyReady` is re-checked after
    /// announcing the sleep, so no wake-up can be lost.
    template <class Pred>
    void waitForWorkers(int timeoutMs, Pred anyReady);

    /// Worker side: maps the pool from `fd` and returns its channel.
    static std::unique_ptr<WorkerChannel> workerChannel(int fd, unsigned worker);

    static std::size_t defaultRingBytes() { return std::size_t{4} << 20; }

private:
    void sleepOnDoorbell(std::uint32_t seen, int timeoutMs);
    std::uint32_t doorbellValue() const;
    void setEngineSleeping(bool on);

    SharedMapping m_memory;
    unsigned m_workers;
    std::size_t m_ringBytes;
};

template <class Pred>
void ShmPool::waitForWorkers(int timeoutMs, Pred anyReady) {
    for (int spin = 0; spin < 2000; ++spin) {
        if (anyReady()) return;
#if defined(__x86_64__)
        __builtin_ia32_pause();
#endif
    }
    const auto seen = doorbellValue();
    setEngineSleeping(true);
    if (!anyReady()) sleepOnDoorbell(seen, timeoutMs);
    setEngineSleeping(false);
}

}  // namespace coreduel
