// processes: a pool of worker processes fed over pipes. One engine thread drives every worker
// with poll() and non-blocking pipes, so a large task never deadlocks against a large result,
// a dead worker is noticed at once (EOF), and cancellation and timeouts act within one poll
// interval. Each worker has up to kWindow chunks in flight, so dispatch is not a blocking
// round trip per chunk.

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <deque>
#include <map>
#include <optional>

#include "core/proc/child_process.h"
#include "core/exec/chunking.h"
#include "core/exec/executor.h"
#include "core/exec/fork_server.h"
#include "core/exec/protocol.h"
#include "core/exec/worker_loop.h"
#include "core/exec/worker_status.h"
#include "core/ipc/channel.h"
#include "core/ipc/shm_ring.h"
#include "core/util/clock.h"
#include "core/util/sigpipe.h"
#include "core/util/sys.h"

namespace coreduel {

namespace {

/// Chunks in flight per worker: enough that a worker never waits for its next chunk, few
/// enough that dynamic scheduling still balances at the end. Small chunks need a deeper
/// window to keep the pipe full.
std::size_t windowFor(std::size_t chunksize, std::size_t chunks, unsigned workers) {
    if (chunksize >= 8) return 2;
    // Never more than a quarter of a fair share, so no worker hoards the tail of the queue.
    return std::clamp<std::size_t>(chunks / (4 * std::max(1u, workers)), 2, 16);
}
constexpr int kPollMs = 20;         // bounds how late cancellation is noticed
constexpr int kExitGraceMs = 2000;  // a worker told to exit gets this long before SIGKILL

struct InFlight {
    Chunk chunk;
    std::uint64_t endByte = 0;   ///< bytesSent once its frame is fully written
    std::int64_t writtenNs = 0;  ///< when that happened
};

struct Worker {
    unsigned index = 0;
    pid_t pid = -1;
    std::unique_ptr<EngineChannel> ch;
    UniqueFd pidfd;  // readable once the process has exited (any transport, any parent)
    bool exited = false;
    std::vector<std::byte> out;
    std::size_t outPos = 0;
    protocol::FrameAssembler in;
    std::deque<InFlight> inFlight;
    std::int64_t requestedNs = 0;
    std::int64_t readyNs = 0;
    std::int64_t lastProgressNs = 0;
    bool ready = false;
    bool eof = false;
    bool reaped = false;
    bool saidBye = false;
    std::uint64_t bytesQueued = 0;
    std::int64_t sumTaskNs = 0;  ///< fallback for compute time when no Bye came
    WorkerStats stats;
};

/// The payload stands for a pickled argument: real bytes, written (so they cost what
/// serialising costs) and sent.
void appendPayload(ByteWriter& body, std::size_t bytes, std::uint64_t task) {
    body.u32(static_cast<std::uint32_t>(bytes));
    const auto at = body.size();
    body.buffer().resize(at + bytes);
    if (bytes > 0) std::memset(body.buffer().data() + at, static_cast<int>(task & 0xff), bytes);
}

UniqueFd openPidfd(pid_t pid) {
    // A pidfd works for the fork server's children too, which we cannot wait for.
    return UniqueFd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
}

class ProcessPool {
public:
    ProcessPool(const ExecRequest& req, ForkServer* server)
        : m_req(req),
          m_server(server),
          m_method(req.config.startMethod),
          m_chunksize(req.config.chunksize > 0
                          ? req.config.chunksize
                          : defaultChunksize(req.workload.taskCount(), req.config.workers)),
          m_queue(planChunks(req.workload.taskCount(), m_chunksize), req.config.schedule,
                  req.config.workers),
          m_results(req.workload.taskCount()) {
        if (req.config.transport == Transport::SharedMemory)
            m_shm = std::make_unique<ShmPool>(req.config.workers, ShmPool::defaultRingBytes());
        m_status = std::make_unique<WorkerStatusPage>(req.config.workers);
    }

    ExecOutcome run() {
        SigpipeBlock sigpipe;
        const auto t0 = monotonicNs();
        try {
            startWorkers();
            if (m_error.empty()) dispatch();
        } catch (const std::exception& e) {
            if (m_error.empty()) m_error = e.what();
        }
        teardown();
        flushEvents();
        const auto wallNs = monotonicNs() - t0;
        for (auto& w : m_workers) finishBreakdown(w, wallNs);
        ExecOutcome out;
        out.results = std::move(m_results);
        for (auto& w : m_workers) out.workers.push_back(w.stats);
        out.chunksize = m_chunksize;
        out.chunks = m_queue.size();
        out.cancelled = m_cancelled;
        out.error = m_error;
        return out;
    }

private:
    void startWorkers() {
        m_workers.resize(m_req.config.workers);
        for (unsigned i = 0; i < m_workers.size(); ++i) {
            auto& w = m_workers[i];
            w.index = i;
            w.stats.worker = i;
            auto channel = makeChannel(m_req.config.transport, m_shm.get(), i);
            w.ch = std::move(channel.engine);
            w.requestedNs = monotonicNs();
            channel.workerFds.push_back(m_status->dupFd());
            std::vector<int> fds;
            for (const auto& fd : channel.workerFds) fds.push_back(fd.get());
            w.pid = launch(i, fds);
            w.pidfd = openPidfd(w.pid);
            w.stats.pid = w.pid;
            w.stats.tid = w.pid;
            if (m_req.onWorkerStarted) m_req.onWorkerStarted(i, w.pid, w.pid);
            // Our copies of the child's ends go now (closing channel.workerFds), or its end of
            // stream would never reach us.
            if (m_method != StartMethod::Fork) {
                queueSetup(w);
                // Send it now, not when the last worker has been launched: the worker's
                // start-up ends when it has read its Setup.
                writeSome(w);
            }
        }
    }

    pid_t launch(unsigned index, const std::vector<int>& fds) {
        const auto transport = m_req.config.transport;
        switch (m_method) {
            case StartMethod::Spawn: {
                std::vector<std::pair<int, int>> map;
                for (std::size_t i = 0; i < fds.size(); ++i)
                    map.emplace_back(fds[i], kFirstWorkerFd + static_cast<int>(i));
                return spawnProgram({workerExecutable(), "--worker", std::to_string(::getpid()),
                                     toString(transport), std::to_string(index)},
                                    map);
            }
            case StartMethod::ForkServer:
                if (m_server == nullptr)
                    throw std::logic_error("forkserver start method without a server");
                return m_server->startWorker(index, transport, fds);
            case StartMethod::Fork: {
                const int* fdArray = fds.data();
                const int fdCount = static_cast<int>(fds.size());
                const Workload* workload = &m_req.workload;
                const pid_t pid = ::fork();
                if (pid == 0) {
                    // Child of a possibly multithreaded engine. Up to the worker loop only
                    // async-signal-safe calls (moveToWorkerFds: fcntl, dup2, close_range).
                    // The loop itself then takes no lock that another engine thread could have
                    // held at the fork: it touches no mutex, stdio or iostream of ours, and the
                    // memory it allocates comes from glibc malloc, whose fork() takes every
                    // arena lock before forking and resets them in the child. It ends in
                    // _exit: no atexit handlers, no static destructors of the parent's state.
                    if (!moveToWorkerFds(fdArray, fdCount)) ::_exit(127);
                    ::_exit(runWorkerLoop(transport, index, workload, monotonicNs()));
                }
                if (pid < 0) throwSystemError("fork");
                return pid;
            }
        }
        throw std::logic_error("unknown start method");
    }

    void queueSetup(Worker& w) {
        ByteWriter body(w.out);
        const auto f = protocol::beginFrame(body, protocol::Type::Setup);
        body.str(m_req.workload.name());
        const auto& params = m_req.workload.params().all();
        body.u32(static_cast<std::uint32_t>(params.size()));
        for (const auto& [k, v] : params) {
            body.str(k);
            body.str(v);
        }
        body.u32(w.index);
        protocol::finishFrame(body, f);
        w.bytesQueued += body.size() - f;
    }

    void finishBreakdown(Worker& w, std::int64_t wallNs) {
        auto& t = w.stats.time;
        t.startupNs = w.stats.startupNs;
        if (!w.saidBye) t.computeNs = w.sumTaskNs;  // killed: only what its results told us
        const auto busy =
            t.startupNs + t.computeNs + t.encodeNs + t.decodeNs + t.transferNs + t.teardownNs;
        t.idleNs = std::max<std::int64_t>(0, wallNs - busy);
    }

    /// Hands chunks to a worker until its window is full.
    void refill(Worker& w) {
        const auto encodeStart = monotonicNs();
        refillFrames(w);
        w.stats.time.engineEncodeNs += monotonicNs() - encodeStart;
    }

    void refillFrames(Worker& w) {
        while (w.inFlight.size() < windowFor(m_chunksize, m_queue.size(), m_req.config.workers) &&
               !w.eof) {
            auto chunk = m_queue.next(w.index);
            if (!chunk) return;
            if (w.out.size() == w.outPos) {
                w.out.clear();
                w.outPos = 0;
            }
            ByteWriter body(w.out);
            const auto f = protocol::beginFrame(body, protocol::Type::Chunk);
            body.u64(chunk->id);
            body.u32(static_cast<std::uint32_t>(chunk->count));
            ByteWriter task;
            for (std::size_t t = chunk->first; t < chunk->first + chunk->count; ++t) {
                body.u64(t);
                task.buffer().clear();
                m_req.workload.encodeTask(t, task);
                body.bytes(task.buffer());
                appendPayload(body, m_req.config.payloadBytes, t);
            }
            protocol::finishFrame(body, f);
            if (w.inFlight.empty()) w.lastProgressNs = monotonicNs();
            w.bytesQueued += body.size() - f;
            w.inFlight.push_back({*chunk, w.bytesQueued, 0});
        }
    }

    bool allDone() const { return m_done == m_results.size(); }

    void dispatch() {
        for (auto& w : m_workers) refill(w);
        std::vector<pollfd> fds;
        while (!allDone() && m_error.empty()) {
            if (m_req.cancel.load()) {
                m_cancelled = true;
                return;
            }
            if (m_shm) {
                // Shared memory has no descriptor to poll: spin briefly, then sleep on the
                // doorbell every worker rings; pidfds are looked at on each pass.
                m_shm->waitForWorkers(kPollMs, [&] {
                    for (auto& w : m_workers) {
                        if (w.eof) continue;
                        if (w.ch->recvReady() || (w.outPos < w.out.size() && w.ch->sendReady()))
                            return true;
                    }
                    return false;
                });
                fds.clear();
                for (auto& w : m_workers) fds.push_back({w.exited ? -1 : w.pidfd.get(), POLLIN, 0});
                if (::poll(fds.data(), fds.size(), 0) < 0 && errno != EINTR)
                    throwSystemError("poll");
                for (std::size_t i = 0; i < m_workers.size() && m_error.empty(); ++i) {
                    auto& w = m_workers[i];
                    if (w.eof) continue;
                    if (w.outPos < w.out.size()) writeSome(w);
                    readSome(w);
                    if (fds[i].revents & POLLIN) workerExited(w);
                }
            } else {
                fds.clear();
                for (auto& w : m_workers) {
                    const bool pending = w.outPos < w.out.size() && !w.eof;
                    fds.push_back({w.eof ? -1 : w.ch->recvFd(), POLLIN, 0});
                    fds.push_back({pending ? w.ch->sendFd() : -1, POLLOUT, 0});
                    fds.push_back({w.eof || w.exited ? -1 : w.pidfd.get(), POLLIN, 0});
                }
                const int rc = ::poll(fds.data(), fds.size(), kPollMs);
                if (rc < 0 && errno != EINTR) throwSystemError("poll");
                for (std::size_t i = 0; i < m_workers.size() && m_error.empty(); ++i) {
                    auto& w = m_workers[i];
                    if (fds[3 * i + 1].revents & (POLLOUT | POLLERR | POLLHUP)) writeSome(w);
                    if (fds[3 * i].revents & (POLLIN | POLLHUP | POLLERR)) readSome(w);
                    if (!w.eof && (fds[3 * i + 2].revents & POLLIN)) workerExited(w);
                }
            }
            flushEventsIfDue();
            checkTimeouts();
        }
    }

    void writeSome(Worker& w) {
        const auto start = monotonicNs();
        writeSomeTimed(w);
        const auto now = monotonicNs();
        w.stats.time.engineTransferNs += now - start;
        // Stamp a chunk with the start of the write that completed it: the worker cannot have
        // begun it earlier, whereas "now" may already be later than its start (preemption).
        for (auto& f : w.inFlight)
            if (f.writtenNs == 0 && w.stats.bytesSent >= f.endByte) f.writtenNs = start;
    }

    void writeSomeTimed(Worker& w) {
        while (w.outPos < w.out.size()) {
            std::size_t n = 0;
            try {
                n = w.ch->send(w.out.data() + w.outPos, w.out.size() - w.outPos);
            } catch (const std::system_error& e) {
                if (e.code().value() == EPIPE || e.code().value() == ECONNRESET)
                    return workerDied(w);  // its reader is gone: it died
                throw;
            }
            if (n == 0) return;
            w.outPos += n;
            w.stats.bytesSent += n;
        }
    }

    /// The process ended (its pidfd said so): take what it left in the channel, then judge.
    void workerExited(Worker& w) {
        w.exited = true;
        readSome(w);
        if (!w.eof) workerDied(w);
    }

    void readSome(Worker& w) {
        std::byte buf[64 * 1024];
        for (;;) {
            const auto start = monotonicNs();
            const auto got = w.ch->recv(buf, sizeof buf);
            w.stats.time.engineTransferNs += monotonicNs() - start;
            if (!got) {
                handleFrames(w);
                return workerDied(w);
            }
            if (*got == 0) break;
            const auto n = *got;
            w.stats.bytesReceived += static_cast<std::uint64_t>(n);
            w.in.append(buf, static_cast<std::size_t>(n));
        }
        handleFrames(w);
    }

    void handleFrames(Worker& w) {
        while (m_error.empty()) {
            auto frame = w.in.next();
            if (!frame) return;
            ByteReader in(frame->payload);
            switch (frame->type) {
                case protocol::Type::Ready: {
                    in.i64();  // pid
                    in.i64();  // when its main() started
                    // The worker's own clock reading (CLOCK_MONOTONIC is system-wide): when we
                    // get around to reading the message does not count against it.
                    const auto readyAt = in.i64();
                    w.ready = true;
                    w.readyNs = monotonicNs();
                    w.lastProgressNs = w.readyNs;
                    w.stats.startupNs = std::max<std::int64_t>(0, readyAt - w.requestedNs);
                    break;
                }
                case protocol::Type::Results:
                    handleResults(w, in);
                    break;
                case protocol::Type::Bye: {
                    w.stats.maxRssKib = in.i64();
                    auto& t = w.stats.time;
                    in.i64();  // waiting for work: the idle remainder covers it
                    const auto recv = in.i64();
                    t.decodeNs = in.i64();
                    t.computeNs = in.i64();
                    t.encodeNs = in.i64();
                    t.transferNs = recv + in.i64();
                    w.saidBye = true;
                    break;
                }
                case protocol::Type::Error: {
                    in.u64();
                    const auto task = in.u64();
                    m_error = "task " + std::to_string(task) + " on worker " +
                              std::to_string(w.index) + " (pid " + std::to_string(w.pid) +
                              ") threw: " + in.str();
                    return;
                }
                case protocol::Type::Fatal:
                    m_error = "worker " + std::to_string(w.index) + " (pid " +
                              std::to_string(w.pid) + "): " + in.str();
                    return;
                default:
                    m_error = "worker " + std::to_string(w.index) + " sent an unexpected message";
                    return;
            }
        }
    }

    void handleResults(Worker& w, ByteReader& in) {
        const auto decodeStart = monotonicNs();
        const auto chunkId = in.u64();
        if (w.inFlight.empty() || w.inFlight.front().chunk.id != chunkId)
            throw DecodeError("worker " + std::to_string(w.index) + " answered chunk " +
                              std::to_string(chunkId) + " out of order");
        const auto sent = w.inFlight.front().writtenNs;
        w.inFlight.pop_front();
        const auto firstEvent = m_events.size();
        w.lastProgressNs = monotonicNs();
        for (auto n = in.u32(); n > 0; --n) {
            TaskEvent ev;
            ev.task = in.u64();
            ev.worker = w.index;
            ev.pid = w.pid;
            ev.tid = w.pid;
            ev.startNs = in.i64();
            ev.endNs = in.i64();
            const auto cpus = in.u32();
            ev.cpuStart = static_cast<std::int16_t>(cpus & 0xffff);
            ev.cpuEnd = static_cast<std::int16_t>(cpus >> 16);
            const auto result = in.bytes();
            in.bytes();  // the returned payload: it only had to travel
            if (ev.task >= m_results.size()) throw DecodeError("result for unknown task");
            m_results[ev.task].assign(result.begin(), result.end());
            ev.sentNs = sent;
            w.sumTaskNs += ev.endNs - ev.startNs;
            ++w.stats.tasks;
            ++m_done;
            m_events.push_back(ev);
        }
        const auto decoded = monotonicNs();
        for (auto i = firstEvent; i < m_events.size(); ++i) m_events[i].receivedNs = decoded;
        w.stats.time.engineDecodeNs += decoded - decodeStart;
        refill(w);
        if (w.outPos < w.out.size()) writeSome(w);
    }

    /// A worker's result pipe reached EOF (or its task pipe broke) while the run needed it.
    void workerDied(Worker& w) {
        w.eof = true;
        if (!m_error.empty()) return;
        if (allDone() && w.inFlight.empty()) return;
        std::string what =
            "worker " + std::to_string(w.index) + " (pid " + std::to_string(w.pid) + ")";
        if (auto e = collectExit(w, 1000))
            what += " " + describeWaitStatus(e->status);
        else
            what += " closed its pipe";
        if (auto running = m_status->running(w.index)) {
            what += " while running task " + std::to_string(running->first);
        } else if (!w.inFlight.empty()) {
            const auto& c = w.inFlight.front().chunk;
            what += " between tasks, with task" +
                    (c.count == 1 ? " " + std::to_string(c.first)
                                  : "s " + std::to_string(c.first) + "-" +
                                        std::to_string(c.first + c.count - 1)) +
                    " in flight";
        } else if (!w.ready) {
            what += " before it was ready";
        }
        m_error = what;
    }

    void checkTimeouts() {
        const double limit = m_req.config.taskTimeoutSeconds;
        if (limit <= 0) return;
        const auto now = monotonicNs();
        for (auto& w : m_workers) {
            if (w.eof) continue;
            // Per task, from the worker's status slot: results may be held back in batches,
            // so "no result for a while" would not mean "one task ran too long".
            const auto running = m_status->running(w.index);
            const bool late =
                running ? static_cast<double>(now - running->second) / 1e9 > limit
                        : !w.ready && static_cast<double>(now - w.requestedNs) / 1e9 > limit;
            if (!late) continue;
            m_error = "worker " + std::to_string(w.index) + " (pid " + std::to_string(w.pid) +
                      ") exceeded the task timeout of " + std::to_string(limit) + " s " +
                      (running ? "on task " + std::to_string(running->first)
                               : std::string("while starting")) +
                      "; killed with SIGKILL";
            return;
        }
    }

    /// Reaps a worker (our child, or the fork server's) and records how it ended.
    std::optional<ChildExit> collectExit(Worker& w, int timeoutMs) {
        if (w.reaped || w.pid <= 0) return std::nullopt;
        std::optional<ChildExit> e;
        if (m_method == StartMethod::ForkServer)
            e = m_server->waitExit(w.pid, timeoutMs);
        else
            e = reapChild(w.pid, timeoutMs);
        if (e) record(w, *e);
        return e;
    }

    void record(Worker& w, const ChildExit& e) {
        w.reaped = true;
        w.stats.cpuUserNs = e.cpuUserNs;
        w.stats.cpuSystemNs = e.cpuSystemNs;
        // ru_maxrss of an exec'd child includes the replaced image (the engine, for
        // posix_spawn); the worker's own VmHWM from its Bye message is the truth when we got it.
        if (w.stats.maxRssKib == 0) w.stats.maxRssKib = e.maxRssKib;
        w.stats.voluntarySwitches = e.voluntarySwitches;
        w.stats.involuntarySwitches = e.involuntarySwitches;
        w.stats.minorFaults = e.minorFaults;
        w.stats.majorFaults = e.majorFaults;
        w.stats.exit = describeWaitStatus(e.status);
    }

    /// Every worker ends here, whatever happened: told to exit (EOF on its task pipe) after
    /// a good run, killed after a failure or cancellation, and reaped in both cases.
    void teardown() {
        const auto teardownStart = monotonicNs();
        const bool clean = m_error.empty() && !m_cancelled;
        for (auto& w : m_workers) {
            if (clean && w.ch) closeSendPatiently(w);
            if (!clean && w.pid > 0 && !w.reaped) ::kill(w.pid, SIGKILL);
        }
        const auto deadline = monotonicNs() + std::int64_t{kExitGraceMs} * 1'000'000;
        for (auto& w : m_workers) {
            if (w.pid <= 0 || w.reaped) continue;
            const auto left = std::max<std::int64_t>(0, (deadline - monotonicNs()) / 1'000'000);
            std::optional<ChildExit> e;
            try {
                e = collectExit(w, static_cast<int>(left));
                if (!e) {
                    ::kill(w.pid, SIGKILL);
                    if (m_method == StartMethod::ForkServer)
                        e = m_server->waitExit(w.pid, 5000);
                    else
                        e = killAndReap(w.pid);
                    if (e) record(w, *e);
                    if (clean && m_error.empty())
                        m_error = "worker " + std::to_string(w.index) + " did not exit when asked";
                }
            } catch (const std::exception& ex) {
                if (m_error.empty()) m_error = ex.what();
            }
            if (clean) drainFinalFrames(w);
            w.stats.time.teardownNs = monotonicNs() - teardownStart;
        }
        if (clean && m_error.empty()) {
            for (auto& w : m_workers) {
                if (w.stats.exit != "exited with status 0")
                    m_error =
                        "worker " + std::to_string(w.index) + " " + w.stats.exit + " at shutdown";
            }
        }
    }

    /// End of the task stream. A message queue may be full for a moment; a worker that does
    /// not drain it within the grace period is killed like any worker that does not exit.
    void closeSendPatiently(Worker& w) {
        const auto deadline = monotonicNs() + std::int64_t{kExitGraceMs} * 1'000'000;
        while (!w.ch->closeSend() && monotonicNs() < deadline) {
            timespec ts{0, 1'000'000};
            ::nanosleep(&ts, nullptr);
        }
    }

    /// After a clean exit the channel still holds the worker's Bye; read what is left.
    void drainFinalFrames(Worker& w) {
        if (!w.ch || w.eof) return;
        std::byte buf[4096];
        for (;;) {
            std::optional<std::size_t> n;
            try {
                n = w.ch->recv(buf, sizeof buf);
            } catch (const std::exception&) {
                break;
            }
            if (!n || *n == 0) break;
            w.stats.bytesReceived += *n;
            w.in.append(buf, *n);
        }
        try {
            handleFrames(w);
        } catch (const std::exception&) {
            // A garbled goodbye is not worth failing a finished run for.
        }
    }

    void flushEventsIfDue() {
        const auto now = monotonicNs();
        if (now - m_lastFlushNs < 50'000'000 && m_events.size() < 4096) return;
        m_lastFlushNs = now;
        flushEvents();
    }
    void flushEvents() {
        if (!m_events.empty() && m_req.onEvents) m_req.onEvents(std::move(m_events));
        m_events.clear();
        if (m_req.onProgress) m_req.onProgress(m_done, m_results.size());
    }

    const ExecRequest& m_req;
    ForkServer* m_server;
    StartMethod m_method;
    std::size_t m_chunksize;
    ChunkQueue m_queue;
    std::vector<std::vector<std::byte>> m_results;
    std::vector<Worker> m_workers;
    std::vector<TaskEvent> m_events;
    std::unique_ptr<ShmPool> m_shm;  ///< shared-memory transport: the rings of every worker
    std::unique_ptr<WorkerStatusPage> m_status;  ///< which task each worker is on
    std::size_t m_done = 0;
    std::int64_t m_lastFlushNs = 0;
    bool m_cancelled = false;
    std::string m_error;
};

}  // namespace

ExecOutcome runProcesses(const ExecRequest& request, ForkServer* server) {
    ProcessPool pool(request, server);
    return pool.run();
}

}  // namespace coreduel
