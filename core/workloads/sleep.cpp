// sleep: each task blocks for a fixed time, like waiting on a network reply. Nothing computes,
// so every model that can wait in parallel scales, the GIL included (it is released around
// blocking calls).

#include <time.h>

#include <algorithm>
#include <string>

#include "core/util/clock.h"
#include "core/workloads/factories.h"

namespace coreduel::workloads {

namespace {

class Sleep final : public Workload {
public:
    explicit Sleep(ParamValues p) : Workload(std::move(p)) {
        m_tasks = static_cast<std::size_t>(params().getInt("tasks"));
        m_ms = params().getDouble("ms");
    }
    const WorkloadInfo& info() const override { return SleepInfo(); }
    std::size_t taskCount() const override { return m_tasks; }

    void encodeTask(std::size_t index, ByteWriter& out) const override {
        out.u64(index);
        out.i64(static_cast<std::int64_t>(m_ms * 1e6));
    }
    void compute(ByteReader& task, ByteWriter& result, ExecContext& ctx) const override {
        const auto index = task.u64();
        const auto ns = task.i64();
        ctx.checkpoint();
        ctx.blocking([&] {
            // Sleep in slices of at most 10 ms so that cancellation is noticed quickly.
            const auto deadline = monotonicNs() + ns;
            for (auto now = monotonicNs(); now < deadline; now = monotonicNs()) {
                if (ctx.stopRequested()) throw Cancelled();
                const auto slice = std::min<std::int64_t>(deadline - now, 10'000'000);
                timespec ts{slice / 1'000'000'000, slice % 1'000'000'000};
                nanosleep(&ts, nullptr);
            }
        });
        result.u64(index);
    }
    std::string summarize(const std::vector<std::vector<std::byte>>& results) const override {
        return std::to_string(results.size()) + " tasks slept " + std::to_string(m_ms) + " ms each";
    }
    bool releasesGil() const override { return false; }

private:
    std::size_t m_tasks = 0;
    double m_ms = 0;
};

}  // namespace

const WorkloadInfo& SleepInfo() {
    static const WorkloadInfo info{
        "sleep",
        "Each task blocks for 'ms' milliseconds (an I/O wait): parallel waiting, not computing.",
        Boundedness::Io,
        {
            {"tasks", ParamKind::Int, "32", 1, 1e6, "tasks", "number of waits"},
            {"ms", ParamKind::Double, "50", 0, 60000, "ms", "length of each wait"},
        }};
    return info;
}

std::unique_ptr<Workload> createSleep(ParamValues params) {
    return std::make_unique<Sleep>(std::move(params));
}

}  // namespace coreduel::workloads
