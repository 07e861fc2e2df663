#include "core/ipc/shm_ring.h"

#include <fcntl.h>
#include <linux/futex.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <cstring>

#include "core/util/clock.h"

namespace coreduel {

/// Shared between processes: only lock-free atomics, each hot word on its own cache line.
struct RingControl {
    alignas(64) std::atomic<std::uint64_t> head{0};     // bytes ever written (producer)
    alignas(64) std::atomic<std::uint64_t> tail{0};     // bytes ever read (consumer)
    alignas(64) std::atomic<std::uint32_t> dataSeq{0};  // futex: bumped when data arrives
    std::atomic<std::uint32_t> consumerSleeping{0};
    alignas(64) std::atomic<std::uint32_t> spaceSeq{0};  // futex: bumped when room appears
    std::atomic<std::uint32_t> producerSleeping{0};
    std::atomic<std::uint32_t> closed{0};
};

struct PoolHeader {
    alignas(64) std::atomic<std::uint32_t> doorbell{0};  // futex the engine sleeps on
    std::atomic<std::uint32_t> engineSleeping{0};
    std::uint32_t workers = 0;
    std::uint64_t ringBytes = 0;
};

static_assert(std::atomic<std::uint64_t>::is_always_lock_free,
              "shared rings need lock-free 64-bit atomics");

namespace {

constexpr int kSpins = 4000;  // a few microseconds of polling before sleeping

void futexWait(std::atomic<std::uint32_t>* word, std::uint32_t expected, int timeoutMs) {
    timespec ts{timeoutMs / 1000, (timeoutMs % 1000) * 1'000'000L};
    ::syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(word), FUTEX_WAIT, expected,
              timeoutMs >= 0 ? &ts : nullptr, nullptr, 0);
}

void futexWake(std::atomic<std::uint32_t>* word) {
    ::syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(word), FUTEX_WAKE, 1, nullptr, nullptr,
              0);
}

/// Bumps `seq` and wakes its sleeper, but only if one said it sleeps: no syscall otherwise.
void wakeIf(std::atomic<std::uint32_t>& sleeping, std::atomic<std::uint32_t>& seq) {
    if (sleeping.load(std::memory_order_seq_cst) != 0) {
        seq.fetch_add(1, std::memory_order_seq_cst);
        futexWake(&seq);
    }
}

void ringDoorbell(std::atomic<std::uint32_t>* doorbell, std::atomic<std::uint32_t>* sleeping) {
    if (doorbell != nullptr) wakeIf(*sleeping, *doorbell);
}

inline void pause() {
#if defined(__x86_64__)
    __builtin_ia32_pause();
#endif
}

std::size_t ringStride(std::size_t ringBytes) {
    return sizeof(RingControl) + ringBytes;
}

}  // namespace

std::size_t Ring::tryWrite(const std::byte* src, std::size_t n) {
    const auto head = m_c->head.load(std::memory_order_relaxed);
    const auto tail = m_c->tail.load(std::memory_order_acquire);
    const auto room = m_capacity - static_cast<std::size_t>(head - tail);
    n = std::min(n, room);
    if (n == 0) return 0;
    const auto at = static_cast<std::size_t>(head % m_capacity);
    const auto first = std::min(n, m_capacity - at);
    std::memcpy(m_data + at, src, first);
    std::memcpy(m_data, src + first, n - first);
    m_c->head.store(head + n, std::memory_order_seq_cst);
    wakeIf(m_c->consumerSleeping, m_c->dataSeq);
    return n;
}

std::size_t Ring::tryRead(std::byte* dst, std::size_t n) {
    const auto tail = m_c->tail.load(std::memory_order_relaxed);
    const auto head = m_c->head.load(std::memory_order_acquire);
    n = std::min(n, static_cast<std::size_t>(head - tail));
    if (n == 0) return 0;
    const auto at = static_cast<std::size_t>(tail % m_capacity);
    const auto first = std::min(n, m_capacity - at);
    std::memcpy(dst, m_data + at, first);
    std::memcpy(dst + first, m_data, n - first);
    m_c->tail.store(tail + n, std::memory_order_seq_cst);
    wakeIf(m_c->producerSleeping, m_c->spaceSeq);
    return n;
}

bool Ring::readable() const {
    return m_c->head.load(std::memory_order_acquire) != m_c->tail.load(std::memory_order_relaxed) ||
           m_c->closed.load(std::memory_order_acquire) != 0;
}

bool Ring::hasRoom() const {
    return m_c->head.load(std::memory_order_relaxed) - m_c->tail.load(std::memory_order_acquire) <
           m_capacity;
}

bool Ring::closed() const {
    return m_c->closed.load(std::memory_order_acquire) != 0;
}

void Ring::close() {
    m_c->closed.store(1, std::memory_order_seq_cst);
    m_c->dataSeq.fetch_add(1, std::memory_order_seq_cst);
    futexWake(&m_c->dataSeq);
}

void Ring::writeAll(const std::byte* src, std::size_t n, std::atomic<std::uint32_t>* doorbell,
                    std::atomic<std::uint32_t>* sleeping) {
    while (n > 0) {
        const auto w = tryWrite(src, n);
        if (w > 0) {
            src += w;
            n -= w;
            ringDoorbell(doorbell, sleeping);
            continue;
        }
        bool room = false;
        for (int i = 0; i < kSpins && !room; ++i) {
            pause();
            room = m_c->head.load(std::memory_order_relaxed) -
                       m_c->tail.load(std::memory_order_acquire) <
                   m_capacity;
        }
        if (room) continue;
        const auto seq = m_c->spaceSeq.load(std::memory_order_seq_cst);
        m_c->producerSleeping.store(1, std::memory_order_seq_cst);
        if (m_c->head.load() - m_c->tail.load() >= m_capacity) futexWait(&m_c->spaceSeq, seq, 100);
        m_c->producerSleeping.store(0, std::memory_order_seq_cst);
    }
}

bool Ring::readExact(std::byte* dst, std::size_t n, std::atomic<std::uint32_t>* doorbell,
                     std::atomic<std::uint32_t>* sleeping, std::int64_t spinNs) {
    std::size_t got = 0;
    while (got < n) {
        const auto r = tryRead(dst + got, n - got);
        if (r > 0) {
            got += r;
            ringDoorbell(doorbell, sleeping);  // the engine may be waiting for room
            continue;
        }
        if (closed() && m_c->head.load(std::memory_order_acquire) ==
                            m_c->tail.load(std::memory_order_relaxed)) {
            if (got == 0) return false;
            throw std::system_error(EPIPE, std::generic_category(),
                                    "shared-memory ring closed inside a frame");
        }
        bool data = false;
        for (int i = 0; i < kSpins && !data; ++i) {
            pause();
            data = readable();
        }
        if (!data && spinNs > 0) {  // the optional longer spin, by the clock
            const auto until = monotonicNs() + spinNs;
            while (!data && monotonicNs() < until) {
                pause();
                data = readable();
            }
        }
        if (data) continue;
        const auto seq = m_c->dataSeq.load(std::memory_order_seq_cst);
        m_c->consumerSleeping.store(1, std::memory_order_seq_cst);
        if (!readable()) futexWait(&m_c->dataSeq, seq, 100);
        m_c->consumerSleeping.store(0, std::memory_order_seq_cst);
    }
    return true;
}

// ---- the pool ------------------------------------------------------------------------------

ShmPool::ShmPool(unsigned workers, std::size_t ringBytes)
    : m_memory(SharedMapping::create(
          "coreduel-shm-pool",
          sizeof(PoolHeader) + std::size_t{2} * workers * ringStride(ringBytes))),
      m_workers(workers),
      m_ringBytes(ringBytes) {
    auto* h = new (m_memory.data()) PoolHeader();
    h->workers = workers;
    h->ringBytes = ringBytes;
    auto* p = m_memory.as<std::byte>() + sizeof(PoolHeader);
    for (unsigned i = 0; i < 2 * workers; ++i) new (p + i * ringStride(ringBytes)) RingControl();
}

UniqueFd ShmPool::dupFd() const {
    return m_memory.dupFd();
}

std::uint32_t ShmPool::doorbellValue() const {
    return m_memory.as<PoolHeader>()->doorbell.load(std::memory_order_seq_cst);
}

void ShmPool::setEngineSleeping(bool on) {
    m_memory.as<PoolHeader>()->engineSleeping.store(on ? 1 : 0, std::memory_order_seq_cst);
}

void ShmPool::sleepOnDoorbell(std::uint32_t seen, int timeoutMs) {
    futexWait(&m_memory.as<PoolHeader>()->doorbell, seen, timeoutMs);
}

namespace {

Ring ringAt(void* base, std::size_t ringBytes, unsigned worker, bool toWorker) {
    auto* p = static_cast<std::byte*>(base) + sizeof(PoolHeader) +
              (std::size_t{2} * worker + (toWorker ? 0 : 1)) * ringStride(ringBytes);
    return Ring(reinterpret_cast<RingControl*>(p), p + sizeof(RingControl), ringBytes);
}

class ShmEngineChannel final : public EngineChannel {
public:
    ShmEngineChannel(Ring toWorker, Ring fromWorker) : m_to(toWorker), m_from(fromWorker) {}
    std::size_t send(const std::byte* data, std::size_t n) override {
        if (m_to.closed()) throwSystemError("send after close", EPIPE);
        return m_to.tryWrite(data, n);
    }
    std::optional<std::size_t> recv(std::byte* data, std::size_t n) override {
        return m_from.tryRead(data, n);
    }
    bool closeSend() override {
        m_to.close();
        return true;
    }
    int recvFd() const override { return -1; }
    int sendFd() const override { return -1; }
    bool recvReady() const override { return m_from.readable(); }
    bool sendReady() const override { return m_to.hasRoom(); }

private:
    Ring m_to, m_from;
};

class ShmWorkerChannel final : public WorkerChannel {
public:
    ShmWorkerChannel(SharedMapping memory, unsigned worker)
        : m_memory(std::move(memory)),
          m_header(m_memory.as<PoolHeader>()),
          m_in(ringAt(m_memory.data(), m_header->ringBytes, worker, true)),
          m_out(ringAt(m_memory.data(), m_header->ringBytes, worker, false)) {}
    bool readExact(void* data, std::size_t n) override {
        return m_in.readExact(static_cast<std::byte*>(data), n, &m_header->doorbell,
                              &m_header->engineSleeping, m_spinNs);
    }
    void writeAll(const void* data, std::size_t n) override {
        m_out.writeAll(static_cast<const std::byte*>(data), n, &m_header->doorbell,
                       &m_header->engineSleeping);
    }
    bool inputPending() const override { return m_in.readable() && !m_in.closed(); }

private:
    SharedMapping m_memory;
    PoolHeader* m_header;
    Ring m_in, m_out;
};

}  // namespace

std::unique_ptr<EngineChannel> ShmPool::engineChannel(unsigned worker) {
    return std::make_unique<ShmEngineChannel>(ringAt(m_memory.data(), m_ringBytes, worker, true),
                                              ringAt(m_memory.data(), m_ringBytes, worker, false));
}

std::unique_ptr<WorkerChannel> ShmPool::workerChannel(int fd, unsigned worker) {
    auto memory = SharedMapping::map(UniqueFd(fd));  // owns fd and mapping, whatever follows
    memory.closeFd();                                // the mapping keeps the memory alive
    if (memory.size() < sizeof(PoolHeader))
        throw std::runtime_error("the shared pool is smaller than its header");
    const auto* h = memory.as<PoolHeader>();
    if (worker >= h->workers) throw std::runtime_error("worker index outside the shared pool");
    if (memory.size() < sizeof(PoolHeader) + std::size_t{2} * h->workers * ringStride(h->ringBytes))
        throw std::runtime_error("the shared pool is smaller than its rings");
    return std::make_unique<ShmWorkerChannel>(std::move(memory), worker);
}

}  // namespace coreduel
