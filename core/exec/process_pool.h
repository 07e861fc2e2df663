#pragma once
// Inside the processes executor (runProcesses): a pool of worker processes fed over pipes or
// shared memory. One engine thread drives every worker with poll() and non-blocking channels,
// so a large task never deadlocks against a large result, a dead worker is noticed at once
// (EOF, or its pidfd), and cancellation and timeouts act within one poll interval. Each worker
// has up to a window of chunks in flight, so dispatch is not a blocking round trip per chunk.
//
// The pool's work is split by job: worker_launch.cpp starts workers, process_dispatch.cpp is
// the poll loop, result_frames.cpp reads what workers send, failure_text.* words failures,
// worker_teardown.cpp ends and reaps every worker, process_executor.cpp ties them together.

#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/exec/chunking.h"
#include "core/exec/executor.h"
#include "core/exec/protocol.h"
#include "core/exec/worker_status.h"
#include "core/ipc/channel.h"
#include "core/ipc/shm_ring.h"
#include "core/proc/child_process.h"

namespace coreduel::detail {

inline constexpr int kPollMs = 20;         // bounds how late cancellation is noticed
inline constexpr int kExitGraceMs = 2000;  // a worker told to exit gets this long before SIGKILL

struct InFlight {
    Chunk chunk;
    std::uint64_t endByte = 0;   ///< bytesSent once its frame is fully written
    std::int64_t writtenNs = 0;  ///< when that happened
};

struct Worker {
    unsigned index = 0;
    ChildProcess proc;  ///< killed and reaped by its destructor if teardown never got to it
    std::unique_ptr<EngineChannel> ch;
    bool exited = false;  ///< its pidfd said the process ended (any transport, any parent)
    std::vector<std::byte> out;
    std::size_t outPos = 0;
    protocol::FrameAssembler in;
    std::deque<InFlight> inFlight;
    std::int64_t requestedNs = 0;
    std::int64_t readyNs = 0;
    std::int64_t lastProgressNs = 0;
    bool ready = false;
    bool eof = false;
    bool saidBye = false;
    std::uint64_t bytesQueued = 0;
    std::int64_t sumTaskNs = 0;         ///< fallback for on-CPU time when no Bye came
    std::int64_t sumTaskBlockedNs = 0;  ///< and for off-CPU time inside tasks
    WorkerStats stats;

    [[nodiscard]] pid_t pid() const { return proc.pid(); }
};

class ProcessPool {
public:
    ProcessPool(const ExecRequest& req, ForkServer* server);
    /// Runs the whole pool. A failed run is on the outcome; a broken assumption of ours
    /// (std::logic_error) is thrown, after every worker has been killed and reaped.
    ExecOutcome run();

private:
    // worker_launch.cpp
    void startWorkers();
    ChildProcess launch(unsigned index, const std::vector<int>& fds);
    void queueSetup(Worker& w);

    // process_dispatch.cpp
    void dispatch();
    void refill(Worker& w);
    void refillFrames(Worker& w);
    void writeSome(Worker& w);
    void writeSomeTimed(Worker& w);
    void readSome(Worker& w);
    void workerExited(Worker& w);
    void workerDied(Worker& w);
    void checkTimeouts();
    void flushEventsIfDue();
    void flushEvents();
    [[nodiscard]] bool allDone() const { return m_done == m_results.size(); }

    // result_frames.cpp
    void handleFrames(Worker& w);
    void handleResults(Worker& w, ByteReader& in);
    void drainFinalFrames(Worker& w);

    // worker_teardown.cpp
    void teardown();
    void closeSendPatiently(Worker& w);
    std::optional<ChildExit> collectExit(Worker& w, int timeoutMs);
    void record(Worker& w, const ChildExit& e);
    void finishBreakdown(Worker& w, std::int64_t wallNs);

    const ExecRequest& m_req;
    ForkServer* m_server;
    StartMethod m_method;
    std::size_t m_chunksize;
    ChunkQueue m_queue;
    std::vector<std::vector<std::byte>> m_results;
    std::unique_ptr<ShmPool> m_shm;  ///< shared-memory transport: the rings of every worker
    std::unique_ptr<WorkerStatusPage> m_status;  ///< which task each worker is on
    std::vector<Worker> m_workers;               ///< after what they use, so they are ended first
    std::vector<TaskEvent> m_events;
    std::size_t m_done = 0;
    std::int64_t m_lastFlushNs = 0;
    bool m_cancelled = false;
    std::string m_error;
};

}  // namespace coreduel::detail
