#include "core/exec/worker_loop.h"

#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#include <map>
#include <memory>
#include <cstdlib>
#include <cstring>
#include <string>

#include "core/exec/protocol.h"
#include "core/util/clock.h"
#include "core/util/sys.h"
#include "core/workloads/workload.h"

namespace coreduel {

namespace {

void sendFrame(int fd, ByteWriter& w) { writeAll(fd, w.buffer().data(), w.size()); }

void sendReady(int fd, std::int64_t mainEnteredNs) {
    ByteWriter w;
    const auto f = protocol::beginFrame(w, protocol::Type::Ready);
    w.i64(::getpid());
    w.i64(mainEnteredNs);
    w.i64(monotonicNs());
    protocol::finishFrame(w, f);
    sendFrame(fd, w);
}

void sendText(int fd, protocol::Type type, std::uint64_t chunk, std::uint64_t task,
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

void sendBye(int fd) {
    try {
        ByteWriter w;
        const auto f = protocol::beginFrame(w, protocol::Type::Bye);
        w.i64(ownPeakRssKib());
        protocol::finishFrame(w, f);
        sendFrame(fd, w);
    } catch (...) {
        // The engine stopped listening; nothing to tell it.
    }
}

}  // namespace

int runWorkerLoop(int inFd, int outFd, const Workload* inherited, std::int64_t mainEnteredNs) {
    std::unique_ptr<Workload> owned;
    const Workload* workload = inherited;
    try {
        if (workload == nullptr) {
            auto setup = protocol::readFrame(inFd);
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
        sendReady(outFd, mainEnteredNs);
    } catch (const std::exception& e) {
        try {
            sendText(outFd, protocol::Type::Fatal, 0, 0, std::string("worker setup failed: ") + e.what());
        } catch (...) {
        }
        return 2;
    }

    ExecContext ctx;  // no GIL, no cancellation flag: the engine kills us if it must
    ByteWriter out;
    for (;;) {
        std::optional<protocol::Frame> frame;
        try {
            frame = protocol::readFrame(inFd);
        } catch (const std::exception&) {
            return 3;  // the engine went away mid-frame
        }
        if (!frame) {
            sendBye(outFd);
            return 0;
        }
        if (frame->type != protocol::Type::Chunk) return 4;
        ByteReader in(frame->payload);
        const auto chunkId = in.u64();
        const auto n = in.u32();
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
                out.u64(task);
                const auto startNs = monotonicNs();
                const auto cpuStart = static_cast<std::int16_t>(::sched_getcpu());
                out.i64(startNs);
                const auto endAt = out.size();
                out.i64(0);  // end, patched below
                out.u32(0);  // cpus, patched below
                const auto lenAt = out.size();
                out.u32(0);  // result length, patched below
                workload->compute(description, out, ctx);
                const auto endNs = monotonicNs();
                const auto cpuEnd = static_cast<std::int16_t>(::sched_getcpu());
                std::memcpy(out.buffer().data() + endAt, &endNs, sizeof endNs);
                std::memcpy(out.buffer().data() + endAt + 8, &cpuStart, sizeof cpuStart);
                std::memcpy(out.buffer().data() + endAt + 10, &cpuEnd, sizeof cpuEnd);
                out.patchU32(lenAt, static_cast<std::uint32_t>(out.size() - lenAt - 4));
            }
            protocol::finishFrame(out, f);
            sendFrame(outFd, out);
        } catch (const std::system_error& e) {
            if (e.code().value() == EPIPE) return 5;  // the engine is gone
            error = e.what();
        } catch (const std::exception& e) {
            error = e.what();
        }
        if (!error.empty()) {
            try {
                sendText(outFd, protocol::Type::Error, chunkId, task, error);
            } catch (...) {
                return 5;
            }
        }
    }
}

}  // namespace coreduel
