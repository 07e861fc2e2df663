// The IPC lab's mechanisms as benches (ipc_lab_parts.h): an echo process per transport, and the
// two in-process baselines, each kept alive across the lab's rounds.

#include <poll.h>
#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "core/ipc/shm_ring.h"
#include "core/measure/ipc_lab_parts.h"
#include "core/proc/child_process.h"
#include "core/util/clock.h"

namespace coreduel::detail {

namespace {

/// A peer thread's kernel id, for pinning it from the engine's thread between slices: the
/// thread publishes it first thing, get() waits until it has.
class ThreadId {
public:
    void publish() {
        m_tid.store(::gettid());
        m_tid.notify_all();
    }
    pid_t get() const {
        m_tid.wait(0);
        return m_tid.load();
    }

private:
    std::atomic<pid_t> m_tid{0};
};

/// Sends `out` and receives `inLen` bytes over a non-blocking channel, waiting in poll() (or
/// on the shared-memory doorbell) whenever neither direction can move. With `spinNs` > 0 it
/// first retries the non-blocking calls that long: the optional receive-side spin.
void exchange(EngineChannel& ch, ShmPool* pool, const std::byte* out, std::size_t outLen,
              std::byte* in, std::size_t inLen, std::int64_t spinNs) {
    std::size_t sent = 0, got = 0;
    std::int64_t spinUntil = -1;  // set when the first wait would begin
    while (sent < outLen || got < inLen) {
        bool progress = false;
        if (sent < outLen) {
            const auto n = ch.send(out + sent, outLen - sent);
            sent += n;
            progress = progress || n > 0;
        }
        if (got < inLen) {
            const auto n = ch.recv(in + got, inLen - got);
            if (!n) throw std::runtime_error("the echo peer closed its end");
            got += *n;
            progress = progress || *n > 0;
        }
        if (progress) continue;
        if (spinNs > 0) {
            const auto now = monotonicNs();
            if (spinUntil < 0) spinUntil = now + spinNs;
            if (now < spinUntil) continue;
        }
        if (pool != nullptr) {
            pool->waitForWorkers(
                100, [&] { return ch.recvReady() || (sent < outLen && ch.sendReady()); });
        } else {
            pollfd p[2] = {{ch.recvFd(), POLLIN, 0},
                           {sent < outLen ? ch.sendFd() : -1, POLLOUT, 0}};
            if (::poll(p, 2, 1000) < 0 && errno != EINTR) throwSystemError("poll");
        }
    }
}

class TransportBench final : public IpcBench {
public:
    TransportBench(Transport t, std::size_t largest, unsigned spinUs, int peerCpu)
        : m_transport(t),
          m_spinUs(spinUs),
          m_msg(largest + 4, std::byte{0x5a}),
          m_back(largest + 4) {
        if (t == Transport::SharedMemory)
            m_pool = std::make_unique<ShmPool>(1, std::max<std::size_t>(1 << 20, largest / 2));
        auto channel = makeChannel(t, m_pool.get(), 0);
        std::vector<std::pair<int, int>> map;
        for (std::size_t i = 0; i < channel.workerFds.size(); ++i)
            map.emplace_back(channel.workerFds[i].get(), kFirstWorkerFd + static_cast<int>(i));
        m_peer = spawnProgram({workerExecutable(), "--echo", std::to_string(::getpid()),
                               toString(t), std::to_string(spinUs)},
                              map);
        // Before the first trip (it only waits until then).
        if (!pinToCpu(m_peer.pid(), peerCpu)) throwSystemError("sched_setaffinity (echo peer)");
        m_channel = std::move(channel.engine);
    }
    ~TransportBench() override {
        // End the stream so that the peer exits; one that does not within a second is killed
        // and reaped by its ChildProcess.
        try {
            m_channel->closeSend();
            m_peer.wait(1000);
        } catch (...) {
        }
    }
    void trip(std::size_t size) override {
        const auto len = static_cast<std::uint32_t>(size);
        std::memcpy(m_msg.data(), &len, 4);
        exchange(*m_channel, m_pool.get(), m_msg.data(), size + 4, m_back.data(), size + 4,
                 spinNs());
    }
    double peerCpuNs() override {
        std::uint32_t marker = kEchoReportCpu;
        std::byte reply[8];
        exchange(*m_channel, m_pool.get(), reinterpret_cast<std::byte*>(&marker), 4, reply, 8,
                 spinNs());
        std::int64_t ns;
        std::memcpy(&ns, reply, 8);
        return static_cast<double>(ns);
    }
    void verify(std::size_t size) override {
        if (std::memcmp(m_back.data(), m_msg.data(), size + 4) != 0)
            throw std::runtime_error(std::string(toString(m_transport)) +
                                     ": the echo came back different");
    }
    [[nodiscard]] unsigned spinUs() const override { return m_spinUs; }
    bool place(int cpu) override { return pinToCpu(m_peer.pid(), cpu); }

private:
    [[nodiscard]] std::int64_t spinNs() const { return std::int64_t{m_spinUs} * 1000; }

    Transport m_transport;
    unsigned m_spinUs;
    std::unique_ptr<ShmPool> m_pool;  // before the channel, which points into it
    std::unique_ptr<EngineChannel> m_channel;
    ChildProcess m_peer;
    std::vector<std::byte> m_msg, m_back;
};

class ThreadQueueBench final : public IpcBench {
public:
    ThreadQueueBench(std::size_t largest, int peerCpu) : m_msg(largest, std::byte{0x5a}) {
        m_peer = std::jthread([this] {
            m_tid.publish();
            serve();
        });
        // Not thrown from here: the peer thread would be left waiting for a stop that the
        // destructor, not run for a throwing constructor, sends. The CPU is one this process
        // may use (checked by the lab's Placement); a refusal would only leave it unpinned.
        (void)place(peerCpu);
    }
    ~ThreadQueueBench() override {
        {
            std::lock_guard lk(m_mutex);
            m_stop = true;
        }
        m_cv.notify_all();
        m_peer.join();
    }
    void trip(std::size_t size) override {
        std::unique_lock lk(m_mutex);
        m_toPeer.emplace_back(m_msg.begin(), m_msg.begin() + static_cast<std::ptrdiff_t>(size));
        m_cv.notify_all();
        m_cv.wait(lk, [&] { return !m_toMe.empty(); });
        m_toMe.pop_front();
    }
    double peerCpuNs() override { return static_cast<double>(m_peerCpuNs.load()); }
    bool place(int cpu) override { return pinToCpu(m_tid.get(), cpu); }

private:
    void serve() {
        const auto c0 = threadCpuNs();
        for (;;) {
            std::unique_lock lk(m_mutex);
            m_cv.wait(lk, [&] { return m_stop || !m_toPeer.empty(); });
            if (m_stop) break;
            auto msg = std::move(m_toPeer.front());
            m_toPeer.pop_front();
            std::vector<std::byte> copy(msg);  // the echo copies, as a transport would
            m_toMe.push_back(std::move(copy));
            m_peerCpuNs.store(threadCpuNs() - c0);
            m_cv.notify_all();
        }
    }

    std::vector<std::byte> m_msg;
    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::deque<std::vector<std::byte>> m_toPeer, m_toMe;
    bool m_stop = false;
    std::atomic<std::int64_t> m_peerCpuNs{0};
    ThreadId m_tid;
    std::jthread m_peer;  // last: joined (by the destructor) before the rest goes
};

class SpinBench final : public IpcBench {
public:
    SpinBench(std::size_t largest, int peerCpu)
        : m_there(largest), m_back(largest), m_msg(largest, std::byte{0x5a}), m_mine(largest) {
        m_peer = std::jthread([this] {
            m_tid.publish();
            serve();
        });
        // Not thrown from here: the peer thread would be left waiting for a stop that the
        // destructor, not run for a throwing constructor, sends. The CPU is one this process
        // may use (checked by the lab's Placement); a refusal would only leave it unpinned.
        (void)place(peerCpu);
    }
    ~SpinBench() override {
        m_stop = true;
        m_active = true;
        m_active.notify_all();
        m_peer.join();
    }
    void begin() override {
        m_active = true;
        m_active.notify_all();
    }
    void end() override { m_active = false; }
    void trip(std::size_t size) override {
        m_size.store(size, std::memory_order_relaxed);
        std::memcpy(m_there.data(), m_msg.data(), size);
        m_request.store(++m_seq, std::memory_order_release);
        while (m_reply.load(std::memory_order_acquire) != m_seq) {
        }
        std::memcpy(m_mine.data(), m_back.data(), size);
    }
    double peerCpuNs() override { return static_cast<double>(m_peerCpuNs.load()); }
    bool place(int cpu) override { return pinToCpu(m_tid.get(), cpu); }

private:
    void serve() {
        const auto c0 = threadCpuNs();
        std::uint64_t seen = 0;
        while (!m_stop.load(std::memory_order_relaxed)) {
            if (!m_active.load(std::memory_order_acquire)) {
                m_active.wait(false);  // parked between this bench's slices
                continue;
            }
            const auto r = m_request.load(std::memory_order_acquire);
            if (r == seen) continue;
            seen = r;
            std::memcpy(m_back.data(), m_there.data(), m_size.load(std::memory_order_relaxed));
            m_reply.store(r, std::memory_order_release);
            m_peerCpuNs.store(threadCpuNs() - c0, std::memory_order_relaxed);
        }
    }

    std::vector<std::byte> m_there, m_back, m_msg, m_mine;
    alignas(64) std::atomic<std::uint64_t> m_request{0};
    alignas(64) std::atomic<std::uint64_t> m_reply{0};
    std::atomic<std::size_t> m_size{0};
    std::atomic<bool> m_stop{false};
    std::atomic<bool> m_active{false};
    std::atomic<std::int64_t> m_peerCpuNs{0};
    std::uint64_t m_seq = 0;
    ThreadId m_tid;
    std::jthread m_peer;  // last: joined (by the destructor) before the rest goes
};

}  // namespace

bool pinToCpu(pid_t who, int cpu) {
    if (cpu < 0) return true;
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return ::sched_setaffinity(who, sizeof set, &set) == 0;
}

std::unique_ptr<IpcBench> makeTransportBench(Transport t, std::size_t largest, unsigned spinUs,
                                             int peerCpu) {
    return std::make_unique<TransportBench>(t, largest, spinUs, peerCpu);
}

std::unique_ptr<IpcBench> makeThreadQueueBench(std::size_t largest, int peerCpu) {
    return std::make_unique<ThreadQueueBench>(largest, peerCpu);
}

std::unique_ptr<IpcBench> makeSpinBench(std::size_t largest, int peerCpu, int engineCpu) {
    if (std::thread::hardware_concurrency() < 2) return nullptr;
    if (peerCpu >= 0 && peerCpu == engineCpu) return nullptr;
    return std::make_unique<SpinBench>(largest, peerCpu);
}

}  // namespace coreduel::detail
