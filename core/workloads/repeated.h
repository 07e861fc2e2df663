#pragma once
// Weak scaling (Gustafson): with p workers the job is p copies of the base job, so each worker
// keeps the same amount of work. Task i is the base task i mod N; worker processes rebuild the
// base workload and never know the difference.

#include <string>

#include "core/workloads/workload.h"

namespace coreduel {

class RepeatedWorkload final : public Workload {
public:
    RepeatedWorkload(Workload& base, unsigned copies)
        : Workload(base.params()), m_base(base), m_copies(copies) {}
    const WorkloadInfo& info() const override { return m_base.info(); }
    std::size_t taskCount() const override { return m_base.taskCount() * m_copies; }
    void encodeTask(std::size_t index, ByteWriter& out) const override {
        m_base.encodeTask(index % m_base.taskCount(), out);
    }
    void compute(ByteReader& task, ByteWriter& result, ExecContext& ctx) const override {
        m_base.compute(task, result, ctx);
    }
    void computeLocal(std::size_t index, ByteWriter& result, ExecContext& ctx) const override {
        m_base.computeLocal(index % m_base.taskCount(), result, ctx);
    }
    void beforeRun(const RunConfig& config) override { m_base.beforeRun(config); }
    // Weak scaling repeats the parallel part only: p copies of the job, one serial part.
    void serialPart(const std::atomic<bool>& cancel) override { m_base.serialPart(cancel); }
    std::string summarize(const std::vector<std::vector<std::byte>>& results) const override {
        const std::vector<std::vector<std::byte>> first(
            results.begin(), results.begin() + static_cast<std::ptrdiff_t>(m_base.taskCount()));
        return std::to_string(m_copies) + " x (" + m_base.summarize(first) + ")";
    }

private:
    Workload& m_base;
    unsigned m_copies;
};

}  // namespace coreduel
