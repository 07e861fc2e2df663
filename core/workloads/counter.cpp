// counter: the isolation lesson. Every task adds 1 to a shared counter `increments` times:
//   unlocked       read, add, write back: two threads in between each other lose updates
//                  (a GIL switch between the read and the write loses them too, as with
//                  `counter += 1` in CPython)
//   locked         the same under a mutex: nothing lost
//   shared-memory  a counter and a process-shared mutex in a memfd mapping every process
//                  opens: the only mode in which worker processes add to the same counter
// Worker processes have their own copy of everything else, so in the first two modes the
// engine's counter stays at 0 while each worker increments its own. The task results are the
// increments done (the same under every model, so runs verify); what happened to the counter
// is in the run's summary.

#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

#include <cerrno>
#include <mutex>
#include <string>
#include <system_error>

#include "core/proc/shared_mapping.h"
#include "core/util/sys.h"
#include "core/workloads/factories.h"

namespace coreduel::workloads {

namespace {

enum class Mode { Unlocked, Locked, SharedMemory };

struct SharedCounter {
    pthread_mutex_t mutex;
    std::uint64_t value;
};

class Counter final : public Workload {
public:
    explicit Counter(ParamValues p) : Workload(std::move(p)) {
        m_tasks = static_cast<std::size_t>(params().getInt("tasks"));
        m_increments = static_cast<std::uint64_t>(params().getInt("increments"));
        const std::string& mode = params().getString("mode");
        if (mode == "unlocked") {
            m_mode = Mode::Unlocked;
        } else if (mode == "locked") {
            m_mode = Mode::Locked;
        } else if (mode == "shared-memory") {
            m_mode = Mode::SharedMemory;
        } else {
            throw InvalidArgument("counter: mode must be unlocked, locked or shared-memory (got '" +
                                  mode + "')");
        }
    }

    const WorkloadInfo& info() const override { return CounterInfo(); }
    std::size_t taskCount() const override { return m_tasks; }

    void prepare() override {
        if (m_mode != Mode::SharedMemory) return;
        // A memfd, not a /dev/shm name: nothing can be left behind, whatever happens.
        m_memory = SharedMapping::create("coreduel-counter", sizeof(SharedCounter));
        m_shared = m_memory.as<SharedCounter>();
        pthread_mutexattr_t attr;
        pthread_mutexattr_init(&attr);
        pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
        pthread_mutex_init(&m_shared->mutex, &attr);
        pthread_mutexattr_destroy(&attr);
        m_path = "/proc/" + std::to_string(::getpid()) + "/fd/" + std::to_string(m_memory.fd());
    }
    void cleanup() noexcept override {
        m_shared = nullptr;
        m_memory.reset();
    }
    void beforeRun(const RunConfig& config) override {
        m_config = config;
        m_local.store(0);
        if (m_shared != nullptr) m_shared->value = 0;
    }

    void encodeTask(std::size_t, ByteWriter& out) const override {
        out.u64(m_increments);
        out.str(m_path);
    }
    void compute(ByteReader& task, ByteWriter& result, ExecContext& ctx) const override {
        const auto n = task.u64();
        const std::string path = task.str();
        if (m_mode == Mode::SharedMemory) attach(path);
        for (std::uint64_t i = 0; i < n; ++i) {
            switch (m_mode) {
                case Mode::Unlocked: {
                    const auto v = m_local.load(std::memory_order_relaxed);
                    // Between the read and the write: where an interpreter may switch threads.
                    if ((i & 1023) == 0) ctx.checkpoint();
                    m_local.store(v + 1, std::memory_order_relaxed);
                    break;
                }
                case Mode::Locked: {
                    if ((i & 1023) == 0) ctx.checkpoint();
                    std::lock_guard lock(m_mutex);
                    m_local.store(m_local.load(std::memory_order_relaxed) + 1,
                                  std::memory_order_relaxed);
                    break;
                }
                case Mode::SharedMemory:
                    if ((i & 1023) == 0) ctx.checkpoint();
                    pthread_mutex_lock(&m_shared->mutex);
                    ++m_shared->value;
                    pthread_mutex_unlock(&m_shared->mutex);
                    break;
            }
        }
        result.u64(n);
    }

    std::string summarize(const std::vector<std::vector<std::byte>>& results) const override {
        std::uint64_t done = 0;
        for (const auto& r : results) done += ByteReader(r).u64();
        const std::uint64_t seen = m_mode == Mode::SharedMemory ? m_shared->value : m_local.load();
        const std::string of = std::to_string(seen) + " of " + std::to_string(done);
        if ((m_config.model == Model::Processes || m_config.model == Model::Mpi) &&
            m_mode != Mode::SharedMemory) {
            return "counter in the engine process: " + of +
                   ": each worker process incremented its own copy";
        }
        if (seen == done) return "counter: " + of + ", no update lost";
        return "counter: " + of + ", " + std::to_string(done - seen) + " updates lost";
    }

private:
    /// A worker process maps the engine's memfd through /proc, once.
    void attach(const std::string& path) const {
        std::call_once(m_attached, [&] {
            if (m_shared != nullptr) return;  // the engine itself (threads, sequential)
            UniqueFd fd(::open(path.c_str(), O_RDWR | O_CLOEXEC));
            if (!fd.valid()) throwSystemError("open " + path);
            m_memory = SharedMapping::map(std::move(fd), sizeof(SharedCounter));
            m_memory.closeFd();
            m_shared = m_memory.as<SharedCounter>();
        });
    }

    std::size_t m_tasks = 0;
    std::uint64_t m_increments = 0;
    Mode m_mode = Mode::Unlocked;
    RunConfig m_config;
    mutable std::atomic<std::uint64_t> m_local{0};
    mutable std::mutex m_mutex;
    mutable SharedMapping m_memory;  ///< the engine's memfd, or a worker's mapping of it
    std::string m_path;
    mutable SharedCounter* m_shared = nullptr;
    mutable std::once_flag m_attached;
};

}  // namespace

const WorkloadInfo& CounterInfo() {
    static const WorkloadInfo info{
        "counter",
        "Tasks add 1 to a shared counter, unlocked, under a lock, or in shared memory: lost "
        "updates, and isolated copies in worker processes (the isolation lesson).",
        Boundedness::Overhead,
        {
            {"tasks", ParamKind::Int, "4", 1, 10000, "tasks", "number of tasks"},
            {"increments", ParamKind::Int, "5000000", 1, 1e10, "", "additions per task"},
            {"mode", ParamKind::String, "unlocked", 0, 0, "", "unlocked, locked or shared-memory"},
        }};
    return info;
}

std::unique_ptr<Workload> createCounter(ParamValues params) {
    return std::make_unique<Counter>(std::move(params));
}

}  // namespace coreduel::workloads
