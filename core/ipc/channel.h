#pragma once
// The byte streams between the engine and one worker process, over a selectable kernel
// mechanism. The engine's end is non-blocking (one thread drives every worker); the worker's
// end is blocking (it has nothing else to do).
//
//   pipe     two pipes, one per direction
//   unix     two AF_UNIX stream socket pairs, one per direction
//   mqueue   two POSIX message queues; frames are cut into messages of at most the queue's
//            message size, and an empty message means end of stream. The queues are unlinked
//            as soon as both ends are open, before the worker even starts: no name survives.
//   shm      two single-producer/single-consumer rings in one memfd mapping (no name at all,
//            so nothing can be left in /dev/shm); readers spin briefly, then sleep on a futex.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/util/sys.h"
#include "core/vocab/model.h"

namespace coreduel {

class EngineChannel {
public:
    virtual ~EngineChannel() = default;
    /// Bytes accepted now (0 when full). Throws std::system_error(EPIPE) once the worker's
    /// end is gone.
    virtual std::size_t send(const std::byte* data, std::size_t n) = 0;
    /// Bytes read now (0: nothing yet); nullopt at end of stream.
    virtual std::optional<std::size_t> recv(std::byte* data, std::size_t n) = 0;
    /// No more tasks: the worker will read end of stream. Returns false if that could not
    /// be delivered yet (call again).
    virtual bool closeSend() = 0;
    /// Descriptors to poll: readable when recv has data, writable when send has room. -1 where
    /// the mechanism has none (shared memory: use the pool's doorbell instead).
    [[nodiscard]] virtual int recvFd() const = 0;
    [[nodiscard]] virtual int sendFd() const = 0;
    /// For channels without descriptors: would recv / send make progress now?
    [[nodiscard]] virtual bool recvReady() const { return true; }
    [[nodiscard]] virtual bool sendReady() const { return true; }
};

class WorkerChannel {
public:
    virtual ~WorkerChannel() = default;
    /// Blocks until n bytes arrived. False on end of stream before the first byte.
    virtual bool readExact(void* data, std::size_t n) = 0;
    virtual void writeAll(const void* data, std::size_t n) = 0;
    /// True when the next readExact can be served without waiting (data already here).
    [[nodiscard]] virtual bool inputPending() const = 0;
    /// Like inputPending, but also asks the kernel, without blocking, for bytes that arrived
    /// after the last read and takes them in: a worker holding results back learns that more
    /// work is waiting for one cheap system call, instead of flushing and blocking.
    virtual bool pollInput() { return inputPending(); }
    /// Before blocking on a read, poll without blocking for up to `us` microseconds (the shm
    /// ring: on top of its own short spin). Costs CPU to keep a waiting peer's core awake, as
    /// low-latency IPC libraries do; only the IPC lab's echo peer asks for it (--spin-us). 0,
    /// the default and what the execution models use: block at once.
    virtual void setSpinUs(unsigned us) { m_spinNs = static_cast<std::int64_t>(us) * 1000; }

protected:
    std::int64_t m_spinNs = 0;
};

/// The engine's end plus the descriptors the worker gets, in order, as fds 3, 4, ...
struct ChannelPair {
    std::unique_ptr<EngineChannel> engine;
    std::vector<UniqueFd> workerFds;
};

/// Shared state of a pool of shared-memory channels (one doorbell the engine sleeps on).
class ShmPool;

ChannelPair makeChannel(Transport t, ShmPool* pool = nullptr, unsigned workerIndex = 0);

/// The worker's end, from the fds makeChannel handed over (starting at fd 3).
std::unique_ptr<WorkerChannel> openWorkerChannel(Transport t, unsigned workerIndex);

/// Number of fds a worker receives for this transport.
int workerFdCount(Transport t);

}  // namespace coreduel
