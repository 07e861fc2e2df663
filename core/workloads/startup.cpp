// startup: what starting a worker costs. One trivial task per worker; before the runs the
// engine grows by `parent_mib` MiB of touched memory, so the fork start method (which copies
// the parent's page tables) can be compared with spawn and forkserver (which do not) as the
// parent grows. The memory is the engine's, released after the experiment.

#include <sys/mman.h>

#include <cstring>
#include <string>

#include "core/util/sys.h"
#include "core/workloads/factories.h"

namespace coreduel::workloads {

namespace {

class Startup final : public Workload {
public:
    explicit Startup(ParamValues p) : Workload(std::move(p)) {
        m_tasks = static_cast<std::size_t>(params().getInt("tasks"));
        m_parentMib = static_cast<std::size_t>(params().getInt("parent_mib"));
    }
    ~Startup() override { cleanup(); }
    const WorkloadInfo& info() const override { return StartupInfo(); }
    std::size_t taskCount() const override { return m_tasks; }

    void prepare() override {
        if (m_parentMib == 0) return;
        m_bytes = m_parentMib << 20;
        void* p =
            ::mmap(nullptr, m_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) throwSystemError("mmap " + std::to_string(m_parentMib) + " MiB");
        // Touched, so the pages are really there and fork() has page tables to copy.
        std::memset(p, 0x5a, m_bytes);
        m_ballast = p;
    }
    void cleanup() noexcept override {
        if (m_ballast != nullptr) ::munmap(m_ballast, m_bytes);
        m_ballast = nullptr;
    }

    void encodeTask(std::size_t index, ByteWriter& out) const override { out.u64(index); }
    void compute(ByteReader& task, ByteWriter& result, ExecContext& ctx) const override {
        ctx.checkpoint();
        result.u64(task.u64());
    }
    std::string summarize(const std::vector<std::vector<std::byte>>& results) const override {
        return std::to_string(results.size()) + " trivial tasks; the engine held " +
               std::to_string(m_parentMib) + " MiB of extra touched memory";
    }

private:
    std::size_t m_tasks = 0;
    std::size_t m_parentMib = 0;
    std::size_t m_bytes = 0;
    void* m_ballast = nullptr;
};

}  // namespace

const WorkloadInfo& StartupInfo() {
    static const WorkloadInfo info{
        "startup",
        "One trivial task per worker, with the engine grown by parent_mib MiB first: the cost "
        "of starting workers, and of fork as the parent grows.",
        Boundedness::Overhead,
        {
            {"tasks", ParamKind::Int, "8", 1, 100000, "tasks", "number of trivial tasks"},
            {"parent_mib", ParamKind::Int, "0", 0, 16384, "MiB",
             "extra memory the engine allocates and touches before the runs"},
        }};
    return info;
}

std::unique_ptr<Workload> createStartup(ParamValues params) {
    return std::make_unique<Startup>(std::move(params));
}

}  // namespace coreduel::workloads
