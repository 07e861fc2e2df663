// primes: count the primes in a range by trial division. CPU-bound, with even tasks: testing n
// costs about sqrt(n) divisions, so a slice [a, b) costs about b^1.5 - a^1.5, and the slices are
// cut equal in that measure rather than in length (equal lengths would make the last slices
// several times dearer than the first, and the tail of the run unbalanced).

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

#include "core/workloads/factories.h"

namespace coreduel::workloads {

namespace {

bool isPrime(std::uint64_t n) {
    if (n < 2) return false;
    if (n % 2 == 0) return n == 2;
    for (std::uint64_t d = 3; d * d <= n; d += 2)
        if (n % d == 0) return false;
    return true;
}

class Primes final : public Workload {
public:
    explicit Primes(ParamValues p) : Workload(std::move(p)) {
        m_begin = static_cast<std::uint64_t>(params().getInt("start"));
        m_end = static_cast<std::uint64_t>(params().getInt("end"));
        m_tasks = static_cast<std::size_t>(params().getInt("tasks"));
        if (m_end <= m_begin)
            throw InvalidArgument("primes: 'end' (" + std::to_string(m_end) +
                                  ") must be greater than 'start' (" + std::to_string(m_begin) +
                                  ")");
        if (m_end - m_begin < m_tasks)
            throw InvalidArgument("primes: the range [start, end) must hold at least 'tasks' (" +
                                  std::to_string(m_tasks) + ") numbers");
    }
    const WorkloadInfo& info() const override { return PrimesInfo(); }
    std::size_t taskCount() const override { return m_tasks; }

    void encodeTask(std::size_t index, ByteWriter& out) const override {
        out.u64(boundary(index));
        out.u64(boundary(index + 1));
    }
    void compute(ByteReader& task, ByteWriter& result, ExecContext& ctx) const override {
        const auto first = task.u64();
        const auto last = task.u64();
        std::uint64_t count = 0;
        std::uint64_t sum = 0;
        for (auto n = first; n < last; ++n) {
            if ((n & 63) == 0) ctx.checkpoint();
            if (isPrime(n)) {
                ++count;
                sum += n;
            }
        }
        result.u64(count);
        result.u64(sum);
    }
    std::string summarize(const std::vector<std::vector<std::byte>>& results) const override {
        std::uint64_t count = 0;
        for (const auto& r : results) count += ByteReader(r).u64();
        return std::to_string(count) + " primes in [" + std::to_string(m_begin) + ", " +
               std::to_string(m_end) + ")";
    }

private:
    /// Start of slice `i`: equal steps in x^1.5 between begin^1.5 and end^1.5.
    std::uint64_t boundary(std::size_t i) const {
        if (i == 0) return m_begin;
        if (i >= m_tasks) return m_end;
        const double lo = std::pow(static_cast<double>(m_begin), 1.5);
        const double hi = std::pow(static_cast<double>(m_end), 1.5);
        const double x = std::pow(
            lo + (hi - lo) * static_cast<double>(i) / static_cast<double>(m_tasks), 2.0 / 3.0);
        // Clamp so slices stay ordered and non-empty, whatever the rounding.
        const auto v = static_cast<std::uint64_t>(std::llround(x));
        return std::clamp<std::uint64_t>(v, m_begin + i, m_end - (m_tasks - i));
    }

    std::uint64_t m_begin = 0;
    std::uint64_t m_end = 0;
    std::size_t m_tasks = 0;
};

}  // namespace

const WorkloadInfo& PrimesInfo() {
    static const WorkloadInfo info{
        "primes",
        "Count primes in [start, end) by trial division; the range is cut into equal slices.",
        Boundedness::Cpu,
        {
            {"start", ParamKind::Int, "0", 0, 1e12, "", "first number examined"},
            {"end", ParamKind::Int, "6000000", 1, 1e12, "", "one past the last number examined"},
            {"tasks", ParamKind::Int, "256", 1, 1e6, "tasks", "number of equal slices"},
        }};
    return info;
}

std::unique_ptr<Workload> createPrimes(ParamValues params) {
    return std::make_unique<Primes>(std::move(params));
}

}  // namespace coreduel::workloads
