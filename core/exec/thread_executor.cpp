// sequential, threads and gil-threads. All three run the same task loop; sequential runs it on
// the calling thread, the others on N std::jthreads, gil-threads with a shared Gil.

#include <sched.h>
#include <sys/resource.h>
#include <unistd.h>

#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

#include "core/exec/chunking.h"
#include "core/exec/executor.h"
#include "core/util/clock.h"

namespace coreduel {

namespace {

// Events reach the supervisor in batches: when this many are pending, or when the oldest
// has waited this long (so a slow run still streams its timeline).
constexpr std::size_t kEventBatch = 512;
constexpr std::int64_t kEventMaxDelayNs = 20'000'000;

/// Everything the worker threads of one run share.
class InProcessRun {
public:
    InProcessRun(const ExecRequest& req, unsigned workers, std::size_t chunksize)
        : m_req(req),
          m_workers(workers),
          m_queue(planChunks(req.workload.taskCount(), chunksize), req.config.schedule, workers),
          m_results(req.workload.taskCount()),
          m_stats(workers),
          m_cpuNs(workers, 0),
          m_blockedNs(workers, 0),
          m_currentTaskStart(std::make_unique<std::atomic<std::int64_t>[]>(workers)),
          m_currentTask(std::make_unique<std::atomic<std::uint64_t>[]>(workers)) {
        if (req.config.model == Model::GilThreads) {
            m_gil.emplace(req.config.gilSwitchInterval);
            if (req.gilTraceCap > 0) {
                // Reserved up front (a slice of the cap), so recording rarely reallocates
                // while the threads contend.
                for (unsigned w = 0; w < workers; ++w) {
                    m_traces.emplace_back(w, req.gilTraceCap);
                    m_traces.back().intervals().reserve(std::min<std::size_t>(
                        req.gilTraceCap, 64 + 4 * req.workload.taskCount() / workers));
                }
            }
        }
        for (unsigned w = 0; w < workers; ++w) {
            m_stats[w].worker = w;
            m_currentTaskStart[w] = 0;
        }
    }

    ExecOutcome run() {
        const auto t0 = monotonicNs();
        // Sequential too runs on a thread of its own, so that cancellation and the task
        // timeout are watched the same way for every in-process model.
        std::vector<std::jthread> threads;
        threads.reserve(m_workers);
        try {
            for (unsigned w = 0; w < m_workers; ++w)
                threads.emplace_back([this, w, t0 = monotonicNs()] { workerMain(w, t0); });
        } catch (const std::system_error& e) {
            fail("could not start thread " + std::to_string(threads.size()) + ": " + e.what());
            std::lock_guard lk(m_mutex);
            m_finishedWorkers += m_workers - static_cast<unsigned>(threads.size());
        }
        supervise();
        threads.clear();  // joins
        drain();
        const auto wallNs = monotonicNs() - t0;
        for (auto& s : m_stats) {
            auto& t = s.time;
            t.startupNs = s.startupNs;
            t.lockWaitNs = s.gil.waitNs;
            t.computeNs = m_cpuNs[s.worker];
            t.blockedNs = m_blockedNs[s.worker];
            t.idleNs = std::max<std::int64_t>(
                0, wallNs - t.startupNs - t.computeNs - t.blockedNs - t.lockWaitNs);
        }
        ExecOutcome out;
        out.results = std::move(m_results);
        out.workers = std::move(m_stats);
        out.chunks = m_queue.size();
        out.gilSwitches = m_gil ? m_gil->switchCount() : 0;
        if (!m_traces.empty()) out.gilTimeline = GilTimeline::merge(m_traces, m_req.gilTraceCap);
        out.cancelled = m_cancelled;
        out.error = m_error;
        return out;
    }

    std::size_t tasksDone() const { return m_done.load(std::memory_order_relaxed); }

private:
    void workerMain(unsigned w, std::int64_t requestedAtNs) {
        auto& stats = m_stats[w];
        stats.pid = ::getpid();
        stats.tid = ::gettid();
        if (m_req.onWorkerStarted) m_req.onWorkerStarted(w, stats.pid, stats.tid);
        if (m_req.config.model != Model::Sequential)
            stats.startupNs = monotonicNs() - requestedAtNs;
        rusage before{};
        ::getrusage(RUSAGE_THREAD, &before);
        ExecContext ctx(&m_halt, m_gil ? &*m_gil : nullptr, &stats.gil,
                        m_traces.empty() ? nullptr : &m_traces[w]);
        std::vector<TaskEvent> events;
        // GIL waits are charged to the next task that starts (gilWaitBeforeNs) from here.
        std::int64_t gilWaitMark = stats.gil.waitNs;
        try {
            // Like a Python pool thread: it runs interpreted code, holding the GIL, from its
            // start until it blocks. Taking the next work item from a queue that has one does
            // not block (CPython's SimpleQueue.get keeps the lock then), so the lock is kept
            // across chunks and let go only at the switch interval, in a task that blocks, or
            // when the queue is empty and the thread ends.
            ctx.enterGil();
            while (auto chunk = m_queue.next(w)) {
                if (m_halt.load(std::memory_order_relaxed)) break;
                runChunk(w, *chunk, ctx, events, gilWaitMark);
            }
        } catch (const Cancelled&) {
            // The run was stopped (cancel, another worker's failure or a timeout); the reason is
            // already recorded.
        } catch (const std::exception& e) {
            fail("task " + std::to_string(m_currentTask[w].load()) + " on worker " +
                 std::to_string(w) + " threw: " + e.what());
        }
        ctx.leaveGil();
        m_currentTaskStart[w].store(0);
        publish(events);
        rusage after{};
        ::getrusage(RUSAGE_THREAD, &after);
        stats.cpuUserNs = toNs(after.ru_utime) - toNs(before.ru_utime);
        stats.cpuSystemNs = toNs(after.ru_stime) - toNs(before.ru_stime);
        stats.voluntarySwitches = static_cast<std::uint64_t>(after.ru_nvcsw - before.ru_nvcsw);
        stats.involuntarySwitches = static_cast<std::uint64_t>(after.ru_nivcsw - before.ru_nivcsw);
        stats.minorFaults = static_cast<std::uint64_t>(after.ru_minflt - before.ru_minflt);
        stats.majorFaults = static_cast<std::uint64_t>(after.ru_majflt - before.ru_majflt);
        {
            std::lock_guard lk(m_mutex);
            ++m_finishedWorkers;
        }
        m_wake.notify_all();
    }

    void runChunk(unsigned w, const Chunk& chunk, ExecContext& ctx, std::vector<TaskEvent>& events,
                  std::int64_t& gilWaitBefore) {
        auto& stats = m_stats[w];
        const bool native = m_req.config.gilReleasedByTasks;
        for (std::size_t i = chunk.first; i < chunk.first + chunk.count; ++i) {
            ctx.checkpoint();
            TaskEvent ev;
            ev.task = i;
            ev.worker = w;
            ev.pid = stats.pid;
            ev.tid = stats.tid;
            ev.cpuStart = static_cast<std::int16_t>(::sched_getcpu());
            const auto waitAtStart = stats.gil.waitNs;
            ev.gilWaitBeforeNs = waitAtStart - gilWaitBefore;
            const auto cpuAtStart = threadCpuNs();
            ev.startNs = monotonicNs();
            m_currentTask[w].store(i, std::memory_order_relaxed);
            m_currentTaskStart[w].store(ev.startNs, std::memory_order_relaxed);
            ByteWriter out(m_results[i]);
            if (native) {
                // Native code (NumPy-like) drops the lock for the compute and retakes it to
                // hand the result back to the interpreter.
                ctx.blocking([&] { m_req.workload.computeLocal(i, out, ctx); });
            } else {
                m_req.workload.computeLocal(i, out, ctx);
            }
            ev.endNs = monotonicNs();
            ev.cpuNs = threadCpuNs() - cpuAtStart;
            ev.cpuEnd = static_cast<std::int16_t>(::sched_getcpu());
            ev.gilWaitNs = stats.gil.waitNs - gilWaitBefore;
            m_cpuNs[w] += taskOnCpuNs(ev);
            m_blockedNs[w] += taskBlockedNs(ev);
            gilWaitBefore = stats.gil.waitNs;
            m_currentTaskStart[w].store(0, std::memory_order_relaxed);
            ++stats.tasks;
            m_done.fetch_add(1, std::memory_order_relaxed);
            events.push_back(ev);
            if (events.size() >= kEventBatch || ev.endNs - events.front().endNs > kEventMaxDelayNs)
                publish(events);
        }
    }

    void publish(std::vector<TaskEvent>& events) {
        if (events.empty()) return;
        std::lock_guard lk(m_mutex);
        m_pending.insert(m_pending.end(), events.begin(), events.end());
        events.clear();
    }

    void drain() {
        std::vector<TaskEvent> batch;
        {
            std::lock_guard lk(m_mutex);
            batch.swap(m_pending);
        }
        if (!batch.empty() && m_req.onEvents) m_req.onEvents(std::move(batch));
        if (m_req.onProgress) m_req.onProgress(tasksDone(), m_results.size());
    }

    void fail(const std::string& why) {
        {
            std::lock_guard lk(m_mutex);
            if (m_error.empty() && !m_cancelled) m_error = why;
        }
        m_halt.store(true);
    }

    /// The calling thread watches the workers: forwards events, notices cancellation and
    /// task timeouts. Threads cannot be killed, so a timed-out task is stopped at its next
    /// check point.
    void supervise() {
        const auto timeoutNs = static_cast<std::int64_t>(m_req.config.taskTimeoutSeconds * 1e9);
        for (;;) {
            {
                std::unique_lock lk(m_mutex);
                m_wake.wait_for(lk, std::chrono::milliseconds(20),
                                [&] { return m_finishedWorkers == m_workers; });
                if (m_finishedWorkers == m_workers) return;
            }
            drain();
            if (m_req.cancel.load() && !m_halt.load()) {
                {
                    std::lock_guard lk(m_mutex);
                    if (m_error.empty()) m_cancelled = true;
                }
                m_halt.store(true);
            }
            if (timeoutNs > 0) {
                const auto now = monotonicNs();
                for (unsigned w = 0; w < m_workers; ++w) {
                    const auto started = m_currentTaskStart[w].load();
                    if (started != 0 && now - started > timeoutNs)
                        fail("task " + std::to_string(m_currentTask[w].load()) + " on worker " +
                             std::to_string(w) + " exceeded the task timeout of " +
                             std::to_string(m_req.config.taskTimeoutSeconds) + " s");
                }
            }
        }
    }

    const ExecRequest& m_req;
    const unsigned m_workers;
    ChunkQueue m_queue;
    std::vector<std::vector<std::byte>> m_results;
    std::vector<WorkerStats> m_stats;
    std::vector<std::int64_t> m_cpuNs;      ///< per worker: tasks' on-CPU time
    std::vector<std::int64_t> m_blockedNs;  ///< per worker: tasks' off-CPU time (not GIL waits)
    std::optional<Gil> m_gil;
    std::vector<GilTrace> m_traces;  ///< per worker, gil-threads with recording on
    std::unique_ptr<std::atomic<std::int64_t>[]> m_currentTaskStart;
    std::unique_ptr<std::atomic<std::uint64_t>[]> m_currentTask;
    std::atomic<bool> m_halt{false};
    std::atomic<std::size_t> m_done{0};

    std::mutex m_mutex;  // guards the members below
    std::condition_variable m_wake;
    std::vector<TaskEvent> m_pending;
    unsigned m_finishedWorkers = 0;
    std::string m_error;
    bool m_cancelled = false;
};

}  // namespace

ExecOutcome runInProcess(const ExecRequest& request) {
    const bool sequential = request.config.model == Model::Sequential;
    const unsigned workers = sequential ? 1 : request.config.workers;
    const auto tasks = request.workload.taskCount();
    // Sequential runs the tasks in order, one "chunk" of everything: the plain loop.
    const std::size_t chunksize = sequential                     ? std::max<std::size_t>(1, tasks)
                                  : request.config.chunksize > 0 ? request.config.chunksize
                                                                 : defaultChunksize(tasks, workers);
    InProcessRun run(request, workers, chunksize);
    auto out = run.run();
    out.chunksize = chunksize;
    return out;
}

}  // namespace coreduel
