// amdahl: a CPU-bound job with a serial part of adjustable size. The serial share of the work
// runs on the engine thread at the start of every run, inside its timed window and before any
// task is dispatched; the rest is cut into equal tasks. So T(p) = S + P / p by construction,
// and fitting Amdahl's law to the measured speedups should recover the serial share — or show
// by how much start-up and hand-over costs make it look larger.

#include <cmath>
#include <string>

#include "core/workloads/factories.h"

namespace coreduel::workloads {

namespace {

/// One work unit: 200 000 rounds of xorshift64* (~0.2-0.4 ms on a desktop core). Pure and
/// deterministic, so every model computes the same state.
std::uint64_t spinUnit(std::uint64_t state) {
    for (int i = 0; i < 200000; ++i) {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        state *= 0x2545F4914F6CDD1DULL;
    }
    return state;
}

class Amdahl final : public Workload {
public:
    explicit Amdahl(ParamValues p) : Workload(std::move(p)) {
        m_units = static_cast<std::uint64_t>(params().getInt("units"));
        const double serial = params().getDouble("serial");
        m_serialUnits =
            static_cast<std::uint64_t>(std::llround(static_cast<double>(m_units) * serial / 100.0));
        m_tasks = static_cast<std::size_t>(params().getInt("tasks"));
        if (m_units - m_serialUnits < m_tasks) {
            throw InvalidArgument("amdahl: " + std::to_string(m_units - m_serialUnits) +
                                  " parallel units cannot fill " + std::to_string(m_tasks) +
                                  " tasks (raise units or lower tasks)");
        }
    }
    const WorkloadInfo& info() const override { return AmdahlInfo(); }
    std::size_t taskCount() const override { return m_tasks; }

    void serialPart(const std::atomic<bool>& cancel) override {
        std::uint64_t state = 0x9E3779B97F4A7C15ULL;
        for (std::uint64_t u = 0; u < m_serialUnits && !cancel.load(std::memory_order_relaxed);
             ++u) {
            state = spinUnit(state);
        }
        m_serialState = state;  // kept, so the compiler cannot drop the work
    }

    void encodeTask(std::size_t index, ByteWriter& out) const override {
        const auto [first, last] = sliceOf(0, m_units - m_serialUnits, index, m_tasks);
        out.u64(index);
        out.u64(last - first);
    }
    void compute(ByteReader& task, ByteWriter& result, ExecContext& ctx) const override {
        const auto index = task.u64();
        const auto units = task.u64();
        std::uint64_t state = 0xD1B54A32D192ED03ULL ^ index;
        for (std::uint64_t u = 0; u < units; ++u) {
            ctx.checkpoint();
            state = spinUnit(state);
        }
        result.u64(state);
    }
    std::string summarize(const std::vector<std::vector<std::byte>>& results) const override {
        std::uint64_t x = 0;
        for (const auto& r : results) x ^= ByteReader(r).u64();
        return std::to_string(m_units) + " units, " + std::to_string(m_serialUnits) +
               " of them serial (" + params().all().at("serial") +
               " %, on the engine thread before the tasks); parallel states xor " +
               std::to_string(x);
    }

private:
    std::uint64_t m_units = 0;
    std::uint64_t m_serialUnits = 0;
    std::size_t m_tasks = 0;
    volatile std::uint64_t m_serialState = 0;
};

}  // namespace

const WorkloadInfo& AmdahlInfo() {
    static const WorkloadInfo info{
        "amdahl",
        "CPU-bound work with a serial part of adjustable size, run before the parallel tasks "
        "in every model: Amdahl's law by construction.",
        Boundedness::Cpu,
        {
            {"units", ParamKind::Int, "3000", 1, 1e7, "units", "work units in all (~0.3 ms each)"},
            {"serial", ParamKind::Double, "20", 0, 95, "%", "share of the units that is serial"},
            {"tasks", ParamKind::Int, "64", 1, 1e6, "tasks", "parallel tasks the rest is cut into"},
        }};
    return info;
}

std::unique_ptr<Workload> createAmdahl(ParamValues params) {
    return std::make_unique<Amdahl>(std::move(params));
}

}  // namespace coreduel::workloads
