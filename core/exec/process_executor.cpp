// processes: runProcesses, and the pool's front: set up, run, tear down, hand back the outcome.
// See process_pool.h for how the pool's work is split.

#include <stdexcept>

#include "core/exec/process_pool.h"
#include "core/util/clock.h"
#include "core/util/errors.h"
#include "core/util/sigpipe.h"

namespace coreduel {

namespace detail {

ProcessPool::ProcessPool(const ExecRequest& req, ForkServer* server)
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

ExecOutcome ProcessPool::run() {
    SigpipeBlock sigpipe;
    const auto t0 = monotonicNs();
    try {
        startWorkers();
        if (m_error.empty()) dispatch();
    } catch (const InvalidArgument& e) {
        if (m_error.empty()) m_error = e.what();  // bad input: a failed run like any other
    } catch (const std::logic_error& bug) {
        // A broken assumption of ours: not a failed run but a bug, to surface as one. The
        // workers are killed and reaped first, so nothing outlives the throw.
        if (m_error.empty()) m_error = bug.what();
        teardown();
        throw;
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

}  // namespace detail

ExecOutcome runProcesses(const ExecRequest& request, ForkServer* server) {
    detail::ProcessPool pool(request, server);
    return pool.run();
}

}  // namespace coreduel
