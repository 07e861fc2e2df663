// memory: a STREAM-like triad a[i] = b[i] + s * c[i] over arrays much larger than the caches.
// Each thread or process streams its own arrays; once the memory bus is saturated more
// workers stop helping, which is the point of the lesson.

#include <cmath>
#include <cstring>
#include <string>

#include "core/workloads/factories.h"

namespace coreduel::workloads {

namespace {

class Memory final : public Workload {
public:
    explicit Memory(ParamValues p) : Workload(std::move(p)) {
        m_tasks = static_cast<std::size_t>(params().getInt("tasks"));
        m_mib = static_cast<std::uint64_t>(params().getInt("mib"));
        m_passes = static_cast<std::uint32_t>(params().getInt("passes"));
    }
    const WorkloadInfo& info() const override { return MemoryInfo(); }
    std::size_t taskCount() const override { return m_tasks; }

    void encodeTask(std::size_t index, ByteWriter& out) const override {
        out.u64(index);
        out.u64(m_mib);
        out.u32(m_passes);
    }
    void compute(ByteReader& task, ByteWriter& result, ExecContext& ctx) const override {
        const auto index = task.u64();
        const auto mib = task.u64();
        const auto passes = task.u32();
        const std::size_t n = mib * 1024 * 1024 / (3 * sizeof(double));
        // Reused per thread (and so per worker process): page faults of a fresh allocation
        // would otherwise dominate and this would measure the kernel, not the memory bus.
        thread_local std::vector<double> a, b, c;
        if (a.size() != n) {
            a.assign(n, 0.0);
            b.assign(n, 0.0);
            c.assign(n, 0.0);
        }
        for (std::size_t i = 0; i < n; ++i) {
            b[i] = static_cast<double>((i + index) % 1000);
            c[i] = static_cast<double>((i * 7 + index) % 1000);
        }
        const double s = 3.0;
        constexpr std::size_t kBlock = 1 << 16;
        for (std::uint32_t p = 0; p < passes; ++p) {
            for (std::size_t start = 0; start < n; start += kBlock) {
                ctx.checkpoint();
                const std::size_t end = std::min(n, start + kBlock);
                for (std::size_t i = start; i < end; ++i) a[i] = b[i] + s * c[i];
            }
        }
        // Sum of integers < 2^53 in doubles is exact, so every model gets the same bits.
        double sum = 0;
        for (std::size_t i = 0; i < n; ++i) sum += a[i];
        result.f64(sum);
        result.u64(static_cast<std::uint64_t>(n) * 3 * sizeof(double) * passes);
    }
    std::string summarize(const std::vector<std::vector<std::byte>>& results) const override {
        std::uint64_t bytes = 0;
        for (const auto& r : results) {
            ByteReader in(r);
            in.f64();
            bytes += in.u64();
        }
        return std::to_string(bytes / (1024 * 1024)) + " MiB streamed by the triad";
    }

private:
    std::size_t m_tasks = 0;
    std::uint64_t m_mib = 0;
    std::uint32_t m_passes = 0;
};

}  // namespace

const WorkloadInfo& MemoryInfo() {
    static const WorkloadInfo info{
        "memory",
        "STREAM-like triad a = b + s*c over arrays larger than the caches: bound by memory "
        "bandwidth, not by cores.",
        Boundedness::Memory,
        {
            {"tasks", ParamKind::Int, "16", 1, 100000, "tasks", "number of triad tasks"},
            {"mib", ParamKind::Int, "96", 1, 4096, "MiB", "working set of each task (3 arrays)"},
            {"passes", ParamKind::Int, "8", 1, 1000, "passes", "triad sweeps per task"},
        }};
    return info;
}

std::unique_ptr<Workload> createMemory(ParamValues params) {
    return std::make_unique<Memory>(std::move(params));
}

}  // namespace coreduel::workloads
