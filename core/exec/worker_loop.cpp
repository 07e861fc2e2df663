#include "core/exec/worker_loop.h"

#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <string>

#include "core/exec/protocol.h"
#include "core/exec/worker_status.h"
#include "core/proc/child_process.h"
#include "core/util/clock.h"
#include "core/util/sys.h"
#include "core/workloads/workload.h"

namespace coreduel {

namespace {

void sendFrame(WorkerChannel& ch, ByteWriter& w) {
    ch.writeAll(w.buffer().data(), w.size());
}

void sendReady(WorkerChannel& fd, std::int64_t mainEnteredNs) {
    ByteWriter w;
    const auto f = protocol::beginFrame(w, protocol::Type::Ready);
    w.i64(::getpid());
    w.i64(mainEnteredNs);
    w.i64(monotonicNs());
    protocol::finishFrame(w, f);
    sendFrame(fd, w);
}

void sendText(WorkerChannel& fd, protocol::Type type, std::uint64_t chunk, std::uint64_t task,
              const std::string& message) {
    ByteWriter w;
    const auto f = protocol::beginFrame(w, type);
    if (type == protocol::Type::Error) {
        w.u64(chunk);
        w.u64(task);
    }
    w.str(message);
    protocol::finishFrame(w, f);
    sendFrame(fd, w);
}

/// VmHWM of this process, in KiB (0 if unreadable). Plain read(2): no stdio in workers.
std::int64_t ownPeakRssKib() {
    UniqueFd fd(::open("/proc/self/status", O_RDONLY | O_CLOEXEC));
    if (!fd.valid()) return 0;
    char buf[4096];
    const ssize_t n = ::read(fd.get(), buf, sizeof buf - 1);
    if (n <= 0) return 0;
    buf[n] = '\0';
    const char* p = std::strstr(buf, "VmHWM:");
    return p != nullptr ? std::strtoll(p + 6, nullptr, 10) : 0;
}

/// What the worker spent its time on, reported in Bye.
struct WorkerTotals {
    std::int64_t waitNs = 0;     // blocked for the next frame's header: nothing to do
    std::int64_t recvNs = 0;     // reading the rest of a frame
    std::int64_t decodeNs = 0;   // unpacking chunks outside the tasks
    std::int64_t computeNs = 0;  // inside tasks
    std::int64_t taskCpuNs = 0;  // inside tasks, on a CPU (CLOCK_THREAD_CPUTIME_ID)
    std::int64_t encodeNs = 0;   // framing results outside the tasks
    std::int64_t sendNs = 0;     // writing result frames
};

/// readFrame with the wait for the header (idle) timed apart from reading the body (transfer).
std::optional<protocol::Frame> readFrameTimed(WorkerChannel& fd, WorkerTotals& t) {
    std::byte header[protocol::kHeaderSize];
    const auto t0 = monotonicNs();
    if (!fd.readExact(header, 1)) return std::nullopt;
    const auto t1 = monotonicNs();
    if (!fd.readExact(header + 1, protocol::kHeaderSize - 1))
        throw DecodeError("end of stream in a header");
    std::uint32_t len = 0;
    std::memcpy(&len, header, sizeof len);
    const auto type = static_cast<std::uint8_t>(header[4]);
    if (len > protocol::kMaxFrame || type < 1 || type > 7)
        throw DecodeError("corrupt frame header");
    protocol::Frame f{static_cast<protocol::Type>(type), std::vector<std::byte>(len)};
    if (len > 0 && !fd.readExact(f.payload.data(), len))
        throw DecodeError("end of stream inside a frame");
    t.waitNs += t1 - t0;
    t.recvNs += monotonicNs() - t1;
    return f;
}

void sendBye(WorkerChannel& fd, const WorkerTotals& t) {
    try {
        ByteWriter w;
        const auto f = protocol::beginFrame(w, protocol::Type::Bye);
        w.i64(ownPeakRssKib());
        w.i64(t.waitNs);
        w.i64(t.recvNs);
        w.i64(t.decodeNs);
        w.i64(t.computeNs);
        w.i64(t.encodeNs);
        w.i64(t.sendNs);
        w.i64(t.taskCpuNs);
        protocol::finishFrame(w, f);
        sendFrame(fd, w);
    } catch (...) {
        // The engine stopped listening; nothing to tell it.
    }
}

}  // namespace

int runWorkerLoop(Transport transport, unsigned workerIndex, const Workload* inherited,
                  std::int64_t mainEnteredNs) {
    std::unique_ptr<WorkerChannel> channel;
    std::unique_ptr<WorkerStatusPage> status;
    try {
        channel = openWorkerChannel(transport, workerIndex);
        status = std::make_unique<WorkerStatusPage>(kFirstWorkerFd + workerFdCount(transport),
                                                    workerIndex);
    } catch (const std::exception&) {
        return 6;
    }
    return runWorkerLoop(*channel, inherited, mainEnteredNs, &status->slot(workerIndex));
}

int runWorkerLoop(WorkerChannel& ch, const Workload* inherited, std::int64_t mainEnteredNs,
                  WorkerStatusSlot* status) {
    std::unique_ptr<Workload> owned;
    const Workload* workload = inherited;
    try {
        if (workload == nullptr) {
            WorkerTotals ignored;
            auto setup = readFrameTimed(ch, ignored);
            if (!setup) return 0;  // the engine gave up before we started
            if (setup->type != protocol::Type::Setup)
                throw DecodeError("expected a Setup message first");
            ByteReader in(setup->payload);
            const auto name = in.str();
            std::map<std::string, std::string> params;
            for (auto n = in.u32(); n > 0; --n) {
                auto key = in.str();
                params[key] = in.str();
            }
            owned = createWorkload(name, params);
            workload = owned.get();
        }
        sendReady(ch, mainEnteredNs);
    } catch (const std::exception& e) {
        try {
            sendText(ch, protocol::Type::Fatal, 0, 0,
                     std::string("worker setup failed: ") + e.what());
        } catch (...) {
        }
        return 2;
    }

    ExecContext ctx;  // no GIL, no cancellation flag: the engine kills us if it must
    ByteWriter out;
    WorkerTotals totals;
    constexpr std::size_t kCoalesceBytes = 256 * 1024;
    std::vector<std::byte> pending;
    auto flushPending = [&] {
        if (pending.empty()) return;
        const auto sendStart = monotonicNs();
        ch.writeAll(pending.data(), pending.size());
        totals.sendNs += monotonicNs() - sendStart;
        pending.clear();
    };
    for (;;) {
        std::optional<protocol::Frame> frame;
        try {
            frame = readFrameTimed(ch, totals);
        } catch (const std::exception&) {
            return 3;  // the engine went away mid-frame
        }
        if (!frame) {
            flushPending();
            sendBye(ch, totals);
            return 0;
        }
        if (frame->type != protocol::Type::Chunk) return 4;
        const auto decodeStart = monotonicNs();
        ByteReader in(frame->payload);
        const auto chunkId = in.u64();
        const auto n = in.u32();
        std::int64_t chunkComputeNs = 0;
        out.buffer().clear();
        const auto f = protocol::beginFrame(out, protocol::Type::Results);
        out.u64(chunkId);
        out.u32(n);
        std::uint64_t task = 0;
        std::string error;
        try {
            for (std::uint32_t i = 0; i < n; ++i) {
                task = in.u64();
                ByteReader description(in.bytes());
                const auto payload = in.bytes();
                // Read every byte, as unpickling would, and send as much back.
                std::uint64_t touched = 0;
                for (auto b : payload) touched += static_cast<std::uint8_t>(b);
                if (!payload.empty() &&
                    touched != payload.size() * static_cast<std::uint8_t>(payload[0]))
                    throw DecodeError("payload corrupted in transit");
                out.u64(task);
                const auto startNs = monotonicNs();
                if (status != nullptr) {
                    status->startedNs.store(startNs, std::memory_order_relaxed);
                    status->task.store(task + 1, std::memory_order_release);
                }
                const auto cpuStart = static_cast<std::int16_t>(::sched_getcpu());
                const auto cpuTimeAtStart = threadCpuNs();
                out.i64(startNs);
                const auto endAt = out.size();
                out.i64(0);  // end, patched below
                out.u32(0);  // cpus, patched below
                out.i64(0);  // thread CPU time over the task, patched below
                const auto lenAt = out.size();
                out.u32(0);  // result length, patched below
                workload->compute(description, out, ctx);
                const auto endNs = monotonicNs();
                const auto taskCpuNs = threadCpuNs() - cpuTimeAtStart;
                totals.taskCpuNs += taskCpuNs;
                if (status != nullptr) status->task.store(0, std::memory_order_release);
                chunkComputeNs += endNs - startNs;
                const auto cpuEnd = static_cast<std::int16_t>(::sched_getcpu());
                std::memcpy(out.buffer().data() + endAt, &endNs, sizeof endNs);
                std::memcpy(out.buffer().data() + endAt + 8, &cpuStart, sizeof cpuStart);
                std::memcpy(out.buffer().data() + endAt + 10, &cpuEnd, sizeof cpuEnd);
                std::memcpy(out.buffer().data() + endAt + 12, &taskCpuNs, sizeof taskCpuNs);
                out.patchU32(lenAt, static_cast<std::uint32_t>(out.size() - lenAt - 4));
                out.u32(static_cast<std::uint32_t>(payload.size()));
                const auto payloadAt = out.size();
                out.buffer().resize(payloadAt + payload.size());
                if (!payload.empty())
                    std::memset(out.buffer().data() + payloadAt, static_cast<int>(task & 0xff),
                                payload.size());
            }
            protocol::finishFrame(out, f);
            const auto doneAt = monotonicNs();
            // Everything between reading the chunk and sending its results that was not a task
            // is the worker's unpacking and packing; split evenly, as they interleave.
            const auto overhead = std::max<std::int64_t>(0, doneAt - decodeStart - chunkComputeNs);
            totals.computeNs += chunkComputeNs;
            totals.decodeNs += overhead / 2;
            totals.encodeNs += overhead - overhead / 2;
            // While more chunks are already here (in our buffer, or in the kernel's: one
            // non-blocking read tells), keep results back and send them together: one write
            // and one engine wake-up instead of one per chunk. Never while waiting, so the
            // engine's window turns.
            pending.insert(pending.end(), out.buffer().begin(), out.buffer().end());
            if (pending.size() >= kCoalesceBytes || !ch.pollInput()) flushPending();
        } catch (const std::system_error& e) {
            if (e.code().value() == EPIPE) return 5;  // the engine is gone
            error = e.what();
        } catch (const std::exception& e) {
            error = e.what();
        }
        if (!error.empty()) {
            try {
                flushPending();
                sendText(ch, protocol::Type::Error, chunkId, task, error);
            } catch (...) {
                return 5;
            }
        }
    }
}

}  // namespace coreduel
