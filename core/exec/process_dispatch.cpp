// The pool's engine loop: hand chunks to workers (a window of them in flight each), move bytes
// both ways without ever blocking, notice dead workers, timeouts and cancellation.

#include <poll.h>
#include <time.h>

#include <algorithm>
#include <cstring>

#include "core/exec/failure_text.h"
#include "core/exec/process_pool.h"
#include "core/util/clock.h"
#include "core/util/sys.h"

namespace coreduel::detail {

namespace {

/// Chunks in flight per worker: enough that a worker never waits for its next chunk, few
/// enough that dynamic scheduling still balances at the end. Small chunks need a deeper
/// window to keep the pipe full.
std::size_t windowFor(std::size_t chunksize, std::size_t chunks, unsigned workers) {
    if (chunksize >= 8) return 2;
    // Never more than a quarter of a fair share, so no worker hoards the tail of the queue.
    return std::clamp<std::size_t>(chunks / (4 * std::max(1u, workers)), 2, 16);
}

/// The payload stands for a pickled argument: real bytes, written (so they cost what
/// serialising costs) and sent.
void appendPayload(ByteWriter& body, std::size_t bytes, std::uint64_t task) {
    body.u32(static_cast<std::uint32_t>(bytes));
    const auto at = body.size();
    body.buffer().resize(at + bytes);
    if (bytes > 0) std::memset(body.buffer().data() + at, static_cast<int>(task & 0xff), bytes);
}

}  // namespace

/// Hands chunks to a worker until its window is full.
void ProcessPool::refill(Worker& w) {
    const auto encodeStart = monotonicNs();
    refillFrames(w);
    w.stats.time.engineEncodeNs += monotonicNs() - encodeStart;
}

void ProcessPool::refillFrames(Worker& w) {
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

void ProcessPool::dispatch() {
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
            for (auto& w : m_workers) fds.push_back({w.exited ? -1 : w.proc.pidfd(), POLLIN, 0});
            if (::poll(fds.data(), fds.size(), 0) < 0 && errno != EINTR) throwSystemError("poll");
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
                fds.push_back({w.eof || w.exited ? -1 : w.proc.pidfd(), POLLIN, 0});
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

void ProcessPool::writeSome(Worker& w) {
    const auto start = monotonicNs();
    writeSomeTimed(w);
    const auto now = monotonicNs();
    w.stats.time.engineTransferNs += now - start;
    // Stamp a chunk with the start of the write that completed it: the worker cannot have
    // begun it earlier, whereas "now" may already be later than its start (preemption).
    for (auto& f : w.inFlight)
        if (f.writtenNs == 0 && w.stats.bytesSent >= f.endByte) f.writtenNs = start;
}

void ProcessPool::writeSomeTimed(Worker& w) {
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
void ProcessPool::workerExited(Worker& w) {
    w.exited = true;
    readSome(w);
    if (!w.eof) workerDied(w);
}

void ProcessPool::readSome(Worker& w) {
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
    // Every chunk refilled for this batch of results goes out in one write: a write per
    // result would wake the worker once per task and break up its own batching.
    if (!w.eof && m_error.empty() && w.outPos < w.out.size()) writeSome(w);
}

/// A worker's result pipe reached EOF (or its task pipe broke) while the run needed it.
void ProcessPool::workerDied(Worker& w) {
    w.eof = true;
    if (!m_error.empty()) return;
    if (allDone() && w.inFlight.empty()) return;
    WorkerDeath d;
    if (auto e = collectExit(w, 1000)) d.waitStatus = e->status;
    if (auto running = m_status->running(w.index)) d.runningTask = running->first;
    if (!w.inFlight.empty()) d.inFlight = w.inFlight.front().chunk;
    d.ready = w.ready;
    m_error = describeWorkerDeath(w.index, w.pid(), d);
}

void ProcessPool::checkTimeouts() {
    const double limit = m_req.config.taskTimeoutSeconds;
    if (limit <= 0) return;
    const auto now = monotonicNs();
    for (auto& w : m_workers) {
        if (w.eof) continue;
        // Per task, from the worker's status slot: results may be held back in batches,
        // so "no result for a while" would not mean "one task ran too long".
        const auto running = m_status->running(w.index);
        const bool late = running
                              ? static_cast<double>(now - running->second) / 1e9 > limit
                              : !w.ready && static_cast<double>(now - w.requestedNs) / 1e9 > limit;
        if (!late) continue;
        m_error = describeTimeout(w.index, w.pid(), limit,
                                  running ? std::optional(running->first) : std::nullopt);
        return;
    }
}

void ProcessPool::flushEventsIfDue() {
    const auto now = monotonicNs();
    if (now - m_lastFlushNs < 50'000'000 && m_events.size() < 4096) return;
    m_lastFlushNs = now;
    flushEvents();
}

void ProcessPool::flushEvents() {
    if (!m_events.empty() && m_req.onEvents) m_req.onEvents(std::move(m_events));
    m_events.clear();
    if (m_req.onProgress) m_req.onProgress(m_done, m_results.size());
}

}  // namespace coreduel::detail
