#include "core/measure/ipc_lab.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <thread>

#include "core/exec/mpi_executor.h"
#include "core/ipc/shm_ring.h"
#include "core/measure/ipc_lab_parts.h"
#include "core/proc/child_process.h"
#include "core/stats/summary.h"
#include "core/util/clock.h"
#include "core/util/sigpipe.h"

namespace coreduel {

namespace {

constexpr std::uint32_t kReportCpu = 0xffffffffu;  // echo peer: reply with its CPU time

/// Thrown inside the lab when its stop flag is seen; runIpcLab returns the points done so far.
struct Stopped {};

void checkStop(const std::atomic<bool>* stop) {
    if (stop != nullptr && stop->load(std::memory_order_relaxed)) throw Stopped{};
}

/// Sets a peer thread's stop flag when the measuring side leaves its scope, normally or by an
/// exception. Declared after the peer's jthread, so it runs before the jthread's join: without
/// it an exception (a stop, a failed progress callback) would join a peer that never ends.
template <class OnExit>
struct PeerStopper {
    OnExit onExit;
    ~PeerStopper() { onExit(); }
};
template <class OnExit>
PeerStopper(OnExit) -> PeerStopper<OnExit>;

/// Sends `out` and receives `in.size()` bytes over a non-blocking channel, waiting in poll()
/// (or on the shared-memory doorbell) whenever neither direction can move.
void exchange(EngineChannel& ch, ShmPool* pool, const std::byte* out, std::size_t outLen,
              std::byte* in, std::size_t inLen) {
    std::size_t sent = 0, got = 0;
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

IpcMeasurement summarizeTrips(const std::string& name, std::size_t bytes, std::vector<double>& us,
                              double engineCpuNs, double peerCpuNs) {
    IpcMeasurement m;
    m.mechanism = name;
    m.bytes = bytes;
    m.roundTrips = us.size();
    std::sort(us.begin(), us.end());
    m.p50Us = quantileSorted(us, 0.5);
    m.p99Us = quantileSorted(us, 0.99);
    double sum = 0;
    for (double x : us) sum += x;
    m.meanUs = us.empty() ? 0 : sum / static_cast<double>(us.size());
    m.throughputMiBs =
        m.p50Us > 0 ? 2.0 * static_cast<double>(bytes) / (m.p50Us * 1e-6) / (1024.0 * 1024.0) : 0;
    m.engineCpuUs = us.empty() ? 0 : engineCpuNs / 1e3 / static_cast<double>(us.size());
    m.peerCpuUs = us.empty() ? 0 : peerCpuNs / 1e3 / static_cast<double>(us.size());
    return m;
}

std::size_t tripsFor(const IpcLabOptions& o, double firstTripUs) {
    const double budget = o.secondsPerPoint * 1e6;
    const auto n = static_cast<std::size_t>(budget / std::max(firstTripUs, 0.05));
    return std::clamp(n, o.minRoundTrips, o.maxRoundTrips);
}

void measureTransport(Transport t, const IpcLabOptions& o, std::vector<IpcMeasurement>& out,
                      const std::function<void(const IpcMeasurement&)>& progress,
                      const std::atomic<bool>* stop) {
    SigpipeBlock sigpipe;  // an echo peer that dies must be an error here, not our death
    const auto largest = *std::max_element(o.sizes.begin(), o.sizes.end());
    std::unique_ptr<ShmPool> pool;
    if (t == Transport::SharedMemory)
        pool = std::make_unique<ShmPool>(1, std::max<std::size_t>(1 << 20, largest / 2));
    auto channel = makeChannel(t, pool.get(), 0);
    std::vector<std::pair<int, int>> map;
    for (std::size_t i = 0; i < channel.workerFds.size(); ++i)
        map.emplace_back(channel.workerFds[i].get(), kFirstWorkerFd + static_cast<int>(i));
    auto peer =
        spawnProgram({workerExecutable(), "--echo", std::to_string(::getpid()), toString(t)}, map);
    channel.workerFds.clear();
    auto& ch = *channel.engine;
    // On the way out, normally or by an exception: end the stream so that the peer exits. One
    // that does not within a second is killed and reaped by its ChildProcess.
    struct EndStream {
        EngineChannel& ch;
        ChildProcess& peer;
        ~EndStream() {
            try {
                ch.closeSend();
                peer.wait(1000);
            } catch (...) {
            }
        }
    } endStream{ch, peer};

    std::vector<std::byte> msg(largest + 4), back(largest + 4);
    auto peerCpu = [&] {
        std::uint32_t marker = kReportCpu;
        std::byte reply[8];
        exchange(ch, pool.get(), reinterpret_cast<std::byte*>(&marker), 4, reply, 8);
        std::int64_t ns;
        std::memcpy(&ns, reply, 8);
        return static_cast<double>(ns);
    };
    for (auto size : o.sizes) {
        const auto len = static_cast<std::uint32_t>(size);
        std::memcpy(msg.data(), &len, 4);
        std::memset(msg.data() + 4, 0x5a, size);
        // One untimed trip to warm up, and to size the run to the time budget.
        const auto w0 = monotonicNs();
        exchange(ch, pool.get(), msg.data(), size + 4, back.data(), size + 4);
        const auto trips = tripsFor(o, static_cast<double>(monotonicNs() - w0) / 1e3);
        std::vector<double> us;
        us.reserve(trips);
        const double peerBefore = peerCpu();
        const auto cpu0 = threadCpuNs();
        for (std::size_t i = 0; i < trips; ++i) {
            checkStop(stop);
            const auto t0 = monotonicNs();
            exchange(ch, pool.get(), msg.data(), size + 4, back.data(), size + 4);
            us.push_back(static_cast<double>(monotonicNs() - t0) / 1e3);
        }
        const auto cpu = static_cast<double>(threadCpuNs() - cpu0);
        const double peer = peerCpu() - peerBefore;
        if (std::memcmp(back.data(), msg.data(), size + 4) != 0)
            throw std::runtime_error(std::string(toString(t)) + ": the echo came back different");
        out.push_back(summarizeTrips(toString(t), size, us, cpu, peer));
        if (progress) progress(out.back());
    }
}

/// Times round trips of one size for the in-process baselines: one untimed trip to warm up and
/// to size the run, then the measured ones; `peerCpuNs` reads the peer thread's CPU clock.
template <class Trip, class PeerCpu>
IpcMeasurement timeTrips(const std::string& name, std::size_t size, const IpcLabOptions& o,
                         const std::atomic<bool>* stop, Trip trip, PeerCpu peerCpuNs) {
    const auto w0 = monotonicNs();
    trip();
    const auto trips = tripsFor(o, static_cast<double>(monotonicNs() - w0) / 1e3);
    std::vector<double> us;
    us.reserve(trips);
    const auto peer0 = peerCpuNs();
    const auto cpu0 = threadCpuNs();
    for (std::size_t i = 0; i < trips; ++i) {
        checkStop(stop);
        const auto t0 = monotonicNs();
        trip();
        us.push_back(static_cast<double>(monotonicNs() - t0) / 1e3);
    }
    const auto cpu = static_cast<double>(threadCpuNs() - cpu0);
    return summarizeTrips(name, size, us, cpu, static_cast<double>(peerCpuNs() - peer0));
}

/// Baseline: a mutex + condition variable queue between two threads, copying the message.
void measureThreadQueue(const IpcLabOptions& o, std::vector<IpcMeasurement>& out,
                        const std::function<void(const IpcMeasurement&)>& progress,
                        const std::atomic<bool>* stopLab) {
    std::mutex m;
    std::condition_variable cv;
    std::deque<std::vector<std::byte>> toPeer, toMe;
    bool stop = false;
    std::atomic<std::int64_t> peerCpuNs{0};
    std::jthread peer([&] {
        const auto c0 = threadCpuNs();
        for (;;) {
            std::unique_lock lk(m);
            cv.wait(lk, [&] { return stop || !toPeer.empty(); });
            if (stop) break;
            auto msg = std::move(toPeer.front());
            toPeer.pop_front();
            std::vector<std::byte> copy(msg);  // the echo copies, as a transport would
            toMe.push_back(std::move(copy));
            peerCpuNs.store(threadCpuNs() - c0);
            cv.notify_all();
        }
    });
    PeerStopper stopPeer{[&] {
        {
            std::lock_guard lk(m);
            stop = true;
        }
        cv.notify_all();
    }};
    for (auto size : o.sizes) {
        std::vector<std::byte> msg(size, std::byte{0x5a});
        auto trip = [&] {
            std::unique_lock lk(m);
            toPeer.emplace_back(msg);  // copy in
            cv.notify_all();
            cv.wait(lk, [&] { return !toMe.empty(); });
            toMe.pop_front();
        };
        out.push_back(
            timeTrips("thread-queue", size, o, stopLab, trip, [&] { return peerCpuNs.load(); }));
        if (progress) progress(out.back());
    }
}

/// Baseline: two threads hand a buffer back and forth by spinning on a sequence number.
void measureSpin(const IpcLabOptions& o, std::vector<IpcMeasurement>& out,
                 const std::function<void(const IpcMeasurement&)>& progress,
                 const std::atomic<bool>* stopLab) {
    if (std::thread::hardware_concurrency() < 2)
        return;  // spinning on one core measures the scheduler
    const auto largest = *std::max_element(o.sizes.begin(), o.sizes.end());
    std::vector<std::byte> there(largest), back(largest);
    alignas(64) std::atomic<std::uint64_t> request{0};
    alignas(64) std::atomic<std::uint64_t> reply{0};
    std::atomic<std::size_t> size{0};
    std::atomic<bool> stop{false};
    std::atomic<std::int64_t> peerCpuNs{0};
    std::jthread peer([&] {
        const auto c0 = threadCpuNs();
        std::uint64_t seen = 0;
        while (!stop.load(std::memory_order_relaxed)) {
            const auto r = request.load(std::memory_order_acquire);
            if (r == seen) continue;
            seen = r;
            std::memcpy(back.data(), there.data(), size.load(std::memory_order_relaxed));
            reply.store(r, std::memory_order_release);
            peerCpuNs.store(threadCpuNs() - c0, std::memory_order_relaxed);
        }
    });
    PeerStopper stopPeer{[&] { stop = true; }};
    std::vector<std::byte> msg(largest, std::byte{0x5a}), mine(largest);
    std::uint64_t seq = 0;
    for (auto s : o.sizes) {
        size = s;
        auto trip = [&] {
            std::memcpy(there.data(), msg.data(), s);
            request.store(++seq, std::memory_order_release);
            while (reply.load(std::memory_order_acquire) != seq) {
            }
            std::memcpy(mine.data(), back.data(), s);
        };
        out.push_back(timeTrips("spin", s, o, stopLab, trip, [&] { return peerCpuNs.load(); }));
        if (progress) progress(out.back());
    }
}

}  // namespace

std::vector<IpcMeasurement> runIpcLab(const IpcLabOptions& options,
                                      const std::function<void(const IpcMeasurement&)>& progress,
                                      const std::atomic<bool>* stop) {
    std::vector<IpcMeasurement> out;
    try {
        for (const auto& name : options.mechanisms) {
            checkStop(stop);
            if (name == "thread-queue")
                measureThreadQueue(options, out, progress, stop);
            else if (name == "spin")
                measureSpin(options, out, progress, stop);
            else if (name == "mpi")
                detail::measureMpi(options, out, progress, stop);
            else
                measureTransport(parseTransport(name), options, out, progress, stop);
        }
    } catch (const Stopped&) {
        // Asked to stop: what was measured so far is the answer.
    }
    return out;
}

std::vector<std::string> defaultIpcMechanisms() {
    std::vector<std::string> m = {"pipe", "unix", "mqueue", "shm", "thread-queue", "spin"};
    if (mpiUnavailableReason().empty()) m.push_back("mpi");
    return m;
}

int runEchoPeer(Transport transport) {
    std::unique_ptr<WorkerChannel> ch;
    try {
        ch = openWorkerChannel(transport, 0);
        std::vector<std::byte> buf;
        for (;;) {
            std::uint32_t len = 0;
            if (!ch->readExact(&len, 4)) return 0;
            if (len == kReportCpu) {
                const std::int64_t ns = threadCpuNs();
                ch->writeAll(&ns, sizeof ns);
                continue;
            }
            buf.resize(len + 4);
            std::memcpy(buf.data(), &len, 4);
            if (len > 0 && !ch->readExact(buf.data() + 4, len)) return 3;
            ch->writeAll(buf.data(), buf.size());
        }
    } catch (const std::exception&) {
        return 4;
    }
}

double rawPingPongUs(Transport t, std::size_t roundTrips) {
    // [0] is the end the reader holds, [1] the writer's; owned, so a failure leaks none.
    UniqueFd there[2], back[2];
    auto open = [t](UniqueFd(&ends)[2]) {
        int fds[2];
        if (t == Transport::UnixSocket) {
            if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
                throwSystemError("socketpair");
        } else if (::pipe2(fds, O_CLOEXEC) != 0) {
            throwSystemError("pipe2");
        }
        ends[0].reset(fds[0]);
        ends[1].reset(fds[1]);
    };
    open(there);
    open(back);
    const int in = there[0].get(), out = back[1].get();
    const int ourOut = there[1].get(), ourIn = back[0].get();
    const pid_t pid = ::fork();
    if (pid < 0) throwSystemError("fork");
    if (pid == 0) {
        runChildAndExit([=] {
            // Only close, read and write until _exit: async-signal-safe.
            char b[8];
            ::close(ourOut);  // or our own copy would keep the stream from ever ending
            ::close(ourIn);
            while (::read(in, b, 8) == 8) {
                if (::write(out, b, 8) != 8) break;
            }
            return 0;
        });
    }
    auto child = ChildProcess::adopt(pid);  // from here it is killed and reaped, whatever happens
    there[0].reset();
    back[1].reset();
    char b[8] = {};
    for (int i = 0; i < 10; ++i) {
        [[maybe_unused]] auto w = ::write(ourOut, b, 8);
        [[maybe_unused]] auto r = ::read(ourIn, b, 8);
    }
    std::vector<double> us;
    for (std::size_t i = 0; i < roundTrips; ++i) {
        const auto t0 = monotonicNs();
        if (::write(ourOut, b, 8) != 8 || ::read(ourIn, b, 8) != 8) break;
        us.push_back(static_cast<double>(monotonicNs() - t0) / 1e3);
    }
    there[1].reset();  // end of stream: the child leaves its loop and exits
    back[0].reset();
    child.wait(1000);
    std::sort(us.begin(), us.end());
    return quantileSorted(us, 0.5);
}

}  // namespace coreduel
