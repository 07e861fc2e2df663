// What workers send back: Ready, Results (task events and result bytes), Bye (their own
// account of where the time went), Error and Fatal.

#include <algorithm>

#include "core/exec/failure_text.h"
#include "core/exec/process_pool.h"
#include "core/util/clock.h"

namespace coreduel::detail {

void ProcessPool::handleFrames(Worker& w) {
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
                const auto insideTasks = in.i64();
                t.encodeNs = in.i64();
                t.transferNs = recv + in.i64();
                // Inside tasks = on a CPU + off it (blocked, or runnable without a CPU).
                t.computeNs = std::min(insideTasks, in.i64());
                t.blockedNs = insideTasks - t.computeNs;
                w.saidBye = true;
                break;
            }
            case protocol::Type::Error: {
                in.u64();
                const auto task = in.u64();
                m_error = describeTaskError(w.index, w.pid(), task, in.str());
                return;
            }
            case protocol::Type::Fatal:
                m_error = workerName(w.index, w.pid()) + ": " + in.str();
                return;
            default:
                m_error = "worker " + std::to_string(w.index) + " sent an unexpected message";
                return;
        }
    }
}

void ProcessPool::handleResults(Worker& w, ByteReader& in) {
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
        ev.pid = w.pid();
        ev.tid = w.pid();
        ev.startNs = in.i64();
        ev.endNs = in.i64();
        const auto cpus = in.u32();
        ev.cpuStart = static_cast<std::int16_t>(cpus & 0xffff);
        ev.cpuEnd = static_cast<std::int16_t>(cpus >> 16);
        ev.cpuNs = in.i64();
        const auto result = in.bytes();
        in.bytes();  // the returned payload: it only had to travel
        if (ev.task >= m_results.size()) throw DecodeError("result for unknown task");
        m_results[ev.task].assign(result.begin(), result.end());
        ev.sentNs = sent;
        w.sumTaskNs += taskOnCpuNs(ev);
        w.sumTaskBlockedNs += taskBlockedNs(ev);
        ++w.stats.tasks;
        ++m_done;
        m_events.push_back(ev);
    }
    const auto decoded = monotonicNs();
    for (auto i = firstEvent; i < m_events.size(); ++i) m_events[i].receivedNs = decoded;
    w.stats.time.engineDecodeNs += decoded - decodeStart;
    refill(w);  // written by readSome once the whole batch has been handled
}

/// After a clean exit the channel still holds the worker's Bye; read what is left.
void ProcessPool::drainFinalFrames(Worker& w) {
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

}  // namespace coreduel::detail
