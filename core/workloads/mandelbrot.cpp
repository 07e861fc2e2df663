// mandelbrot: escape-time iteration counts, one task per image row. CPU-bound with very uneven
// tasks (rows through the set cost max_iter per pixel, rows outside it almost nothing), which is
// what makes chunking and load balancing visible.

#include <cstdint>
#include <string>

#include "core/workloads/factories.h"

namespace coreduel::workloads {

namespace {

class Mandelbrot final : public Workload {
public:
    explicit Mandelbrot(ParamValues p) : Workload(std::move(p)) {
        m_width = static_cast<std::uint32_t>(params().getInt("width"));
        m_height = static_cast<std::uint32_t>(params().getInt("height"));
        m_maxIter = static_cast<std::uint32_t>(params().getInt("max_iter"));
    }
    const WorkloadInfo& info() const override { return MandelbrotInfo(); }
    std::size_t taskCount() const override { return m_height; }

    void encodeTask(std::size_t index, ByteWriter& out) const override {
        out.u32(static_cast<std::uint32_t>(index));
        out.u32(m_width);
        out.u32(m_height);
        out.u32(m_maxIter);
    }
    void compute(ByteReader& task, ByteWriter& result, ExecContext& ctx) const override {
        const auto row = task.u32();
        const auto width = task.u32();
        const auto height = task.u32();
        const auto maxIter = task.u32();
        // The classic view: x in [-2.2, 0.8], y in [-1.2, 1.2].
        const double ci = -1.2 + 2.4 * (row + 0.5) / height;
        std::uint64_t total = 0;
        std::vector<std::uint32_t> counts(width);
        for (std::uint32_t x = 0; x < width; ++x) {
            if ((x & 15) == 0) ctx.checkpoint();
            const double cr = -2.2 + 3.0 * (x + 0.5) / width;
            double zr = 0, zi = 0;
            std::uint32_t it = 0;
            while (it < maxIter && zr * zr + zi * zi <= 4.0) {
                const double t = zr * zr - zi * zi + cr;
                zi = 2.0 * zr * zi + ci;
                zr = t;
                ++it;
            }
            counts[x] = it;
            total += it;
        }
        result.u64(total);
        result.raw(counts.data(), counts.size() * sizeof(std::uint32_t));
    }
    std::string summarize(const std::vector<std::vector<std::byte>>& results) const override {
        std::uint64_t total = 0;
        for (const auto& r : results) total += ByteReader(r).u64();
        return std::to_string(m_width) + "x" + std::to_string(m_height) + " pixels, " +
               std::to_string(total) + " iterations in total";
    }

private:
    std::uint32_t m_width = 0, m_height = 0, m_maxIter = 0;
};

}  // namespace

const WorkloadInfo& MandelbrotInfo() {
    static const WorkloadInfo info{
        "mandelbrot",
        "Escape-time Mandelbrot image, one task per row: uneven tasks that show load balancing.",
        Boundedness::Cpu,
        {
            {"width", ParamKind::Int, "1000", 1, 100000, "px", "image width"},
            {"height", ParamKind::Int, "600", 1, 100000, "px", "image height = number of tasks"},
            {"max_iter", ParamKind::Int, "1000", 1, 1e7, "iterations", "escape limit per pixel"},
        }};
    return info;
}

std::unique_ptr<Workload> createMandelbrot(ParamValues params) {
    return std::make_unique<Mandelbrot>(std::move(params));
}

}  // namespace coreduel::workloads
