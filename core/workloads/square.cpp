// square: x*x for each x, the guide's first Pool.map example. Each task is a few nanoseconds
// of work, so what a model pays per task (dispatch, encoding, IPC) is all that shows.

#include <string>

#include "core/workloads/factories.h"

namespace coreduel::workloads {

namespace {

class Square final : public Workload {
public:
    explicit Square(ParamValues p) : Workload(std::move(p)) {
        m_count = static_cast<std::size_t>(params().getInt("count"));
    }
    const WorkloadInfo& info() const override { return SquareInfo(); }
    std::size_t taskCount() const override { return m_count; }

    void encodeTask(std::size_t index, ByteWriter& out) const override { out.u64(index); }
    void compute(ByteReader& task, ByteWriter& result, ExecContext& ctx) const override {
        ctx.checkpoint();
        const auto x = task.u64();
        result.u64(x * x);
    }
    std::string summarize(const std::vector<std::vector<std::byte>>& results) const override {
        std::uint64_t sum = 0;  // modulo 2^64, as the results are
        for (const auto& r : results) sum += ByteReader(r).u64();
        return "sum of x*x for x in [0, " + std::to_string(m_count) + ") = " + std::to_string(sum) +
               " (mod 2^64)";
    }

private:
    std::size_t m_count = 0;
};

}  // namespace

const WorkloadInfo& SquareInfo() {
    static const WorkloadInfo info{
        "square",
        "x*x for x in 0..count-1, one tiny task each: the cost of the model itself dominates.",
        Boundedness::Overhead,
        {
            {"count", ParamKind::Int, "100000", 1, 1e8, "tasks", "how many numbers to square"},
        }};
    return info;
}

std::unique_ptr<Workload> createSquare(ParamValues params) {
    return std::make_unique<Square>(std::move(params));
}

}  // namespace coreduel::workloads
