// factorial: exact n! with GMP, the guide's `pool.map(math.factorial, [10000, ..., 50000])`.
// Each result carries n, the number of decimal digits and their sum, so it can be checked
// against any other implementation (Python: len(str(f)), sum(map(int, str(f)))).

#include <gmp.h>

#include <memory>
#include <string>

#include "core/workloads/factories.h"

namespace coreduel::workloads {

namespace {

struct MpzGuard {
    mpz_t value;
    MpzGuard() { mpz_init(value); }
    ~MpzGuard() { mpz_clear(value); }
};

class Factorial final : public Workload {
public:
    explicit Factorial(ParamValues p) : Workload(std::move(p)) {
        for (auto v : params().getIntList("values"))
            m_values.push_back(static_cast<std::uint64_t>(v));
    }
    const WorkloadInfo& info() const override { return FactorialInfo(); }
    std::size_t taskCount() const override { return m_values.size(); }

    void encodeTask(std::size_t index, ByteWriter& out) const override { out.u64(m_values[index]); }
    void compute(ByteReader& task, ByteWriter& result, ExecContext& ctx) const override {
        const auto n = task.u64();
        ctx.checkpoint();
        MpzGuard f;
        mpz_fac_ui(f.value, n);
        ctx.checkpoint();
        // Decimal conversion is most of the cost, as str() is in Python.
        std::unique_ptr<char, void (*)(void*)> text(mpz_get_str(nullptr, 10, f.value), std::free);
        ctx.checkpoint();
        std::uint64_t digits = 0;
        std::uint64_t digitSum = 0;
        for (const char* p = text.get(); *p != '\0'; ++p) {
            ++digits;
            digitSum += static_cast<std::uint64_t>(*p - '0');
        }
        result.u64(n);
        result.u64(digits);
        result.u64(digitSum);
    }
    std::string summarize(const std::vector<std::vector<std::byte>>& results) const override {
        std::string s;
        for (const auto& r : results) {
            ByteReader in(r);
            const auto n = in.u64();
            const auto digits = in.u64();
            const auto sum = in.u64();
            if (!s.empty()) s += "; ";
            s += std::to_string(n) + "!: " + std::to_string(digits) + " digits, digit sum " +
                 std::to_string(sum);
        }
        return s;
    }

private:
    std::vector<std::uint64_t> m_values;
};

}  // namespace

const WorkloadInfo& FactorialInfo() {
    static const WorkloadInfo info{
        "factorial",
        "Exact n! with GMP for each value (the guide's math.factorial example); reports digit "
        "count and digit sum per value.",
        Boundedness::Cpu,
        {
            {"values", ParamKind::IntList, "10000,20000,30000,40000,50000", 0, 5e6, "",
             "comma-separated n, one task each"},
        }};
    return info;
}

std::unique_ptr<Workload> createFactorial(ParamValues params) {
    return std::make_unique<Factorial>(std::move(params));
}

}  // namespace coreduel::workloads
