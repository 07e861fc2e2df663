// convoy: the convoy effect (Beazley, PyCon 2010; CPython's old Tools/ccbench latency test).
// Task 0 is a latency probe, an I/O-style thread answering a ping every few milliseconds: it
// sleeps `every_ms`, wakes, and records how late it got to run again (for gil-threads: with
// the lock retaken, as a Python thread must before it can answer). Tasks 1..tasks are the
// primes workload's slices, computed by the other workers meanwhile. With one worker the probe
// runs alone first: the latency of an idle program.
//
// The probe's result holds the ping count (checked, the same in every model) followed by the
// measured delays, which vary from run to run: takeMeasurements() moves them out before the
// runner checksums the results.

#include <time.h>

#include <string>

#include "core/util/clock.h"
#include "core/workloads/factories.h"

namespace coreduel::workloads {

namespace {

class Convoy final : public Workload {
public:
    explicit Convoy(ParamValues p) : Workload(std::move(p)) {
        m_pings = static_cast<std::size_t>(params().getInt("pings"));
        m_everyNs = static_cast<std::int64_t>(params().getDouble("every_ms") * 1e6);
        m_cpu = createWorkload(
            "primes", {{"end", params().all().at("end")}, {"tasks", params().all().at("tasks")}});
    }
    const WorkloadInfo& info() const override { return ConvoyInfo(); }
    std::size_t taskCount() const override { return 1 + m_cpu->taskCount(); }

    void encodeTask(std::size_t index, ByteWriter& out) const override {
        out.u64(index == 0 ? 0 : 1);
        if (index == 0) {
            out.u64(m_pings);
            out.i64(m_everyNs);
        } else {
            m_cpu->encodeTask(index - 1, out);
        }
    }
    void compute(ByteReader& task, ByteWriter& result, ExecContext& ctx) const override {
        if (task.u64() != 0) return m_cpu->compute(task, result, ctx);
        const auto pings = task.u64();
        const auto everyNs = task.i64();
        result.u64(pings);
        for (std::uint64_t i = 0; i < pings; ++i) {
            ctx.checkpoint();
            const auto due = monotonicNs() + everyNs;
            ctx.blocking([&] {
                for (auto now = monotonicNs(); now < due; now = monotonicNs()) {
                    if (ctx.stopRequested()) throw Cancelled();
                    const auto left = due - now;
                    timespec ts{left / 1'000'000'000, left % 1'000'000'000};
                    nanosleep(&ts, nullptr);
                }
            });
            // Back with the lock (gil-threads): now the ping could be answered.
            result.i64(monotonicNs() - due);
        }
    }
    std::vector<std::int64_t> takeMeasurements(
        std::vector<std::vector<std::byte>>& results) const override {
        std::vector<std::int64_t> delays;
        if (results.empty() || results[0].size() < sizeof(std::uint64_t)) return delays;
        ByteReader r(results[0]);
        const auto pings = r.u64();
        if (results[0].size() != sizeof(std::uint64_t) * (1 + pings))
            throw InvalidArgument("convoy: the probe's result holds " +
                                  std::to_string(results[0].size()) + " bytes, not " +
                                  std::to_string(8 * (1 + pings)));
        for (std::uint64_t i = 0; i < pings; ++i) delays.push_back(r.i64());
        results[0].resize(sizeof(std::uint64_t));
        return delays;
    }
    std::string summarize(const std::vector<std::vector<std::byte>>& results) const override {
        if (results.empty()) return "no results";
        const auto pings = ByteReader(results[0]).u64();
        const std::vector<std::vector<std::byte>> cpu(results.begin() + 1, results.end());
        return std::to_string(pings) + " pings answered beside " + m_cpu->summarize(cpu);
    }

private:
    std::size_t m_pings = 0;
    std::int64_t m_everyNs = 0;
    std::unique_ptr<Workload> m_cpu;
};

}  // namespace

const WorkloadInfo& ConvoyInfo() {
    static const WorkloadInfo info{
        "convoy",
        "The convoy effect: task 0 answers a ping every 'every_ms' ms (an I/O thread) while the "
        "other workers count primes; records how late each ping is answered (p50/p99).",
        Boundedness::Cpu,
        {
            {"pings", ParamKind::Int, "100", 1, 100000, "pings", "pings the probe answers"},
            {"every_ms", ParamKind::Double, "5", 0.1, 1000, "ms", "sleep between pings"},
            {"end", ParamKind::Int, "3000000", 1, 1e12, "", "primes below this are counted"},
            {"tasks", ParamKind::Int, "64", 1, 1e6, "tasks", "slices of the prime count"},
        }};
    return info;
}

std::unique_ptr<Workload> createConvoy(ParamValues params) {
    return std::make_unique<Convoy>(std::move(params));
}

}  // namespace coreduel::workloads
