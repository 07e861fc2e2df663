// image: grayscale + box blur over a set of images, the guide's data-parallel example. The
// images are generated (deterministic patterns) or read from a folder of PNG/JPEG files with
// stb_image. For worker processes the real pixels travel with each task and the processed
// pixels travel back; threads read the engine's copy in place.

#include <stb/stb_image.h>

#include <algorithm>
#include <filesystem>
#include <string>

#include "core/workloads/factories.h"

namespace coreduel::workloads {

namespace {

struct Rgb {
    std::uint32_t width = 0;
    std::uint32_t height = 0;
    std::vector<std::uint8_t> pixels;  // RGB, row-major
};

Rgb generateImage(std::size_t index, std::uint32_t w, std::uint32_t h) {
    Rgb img{w, h, std::vector<std::uint8_t>(std::size_t{w} * h * 3)};
    std::uint64_t state = 0x9e3779b97f4a7c15ULL * (index + 1);
    for (std::uint32_t y = 0; y < h; ++y) {
        for (std::uint32_t x = 0; x < w; ++x) {
            state = state * 6364136223846793005ULL + 1442695040888963407ULL;  // LCG noise
            const auto noise = static_cast<std::uint8_t>(state >> 59);
            auto* p = &img.pixels[(std::size_t{y} * w + x) * 3];
            p[0] = static_cast<std::uint8_t>((x * 255) / std::max(1u, w - 1)) ^ noise;
            p[1] = static_cast<std::uint8_t>((y * 255) / std::max(1u, h - 1)) ^ noise;
            p[2] = static_cast<std::uint8_t>(((x / 16 + y / 16 + index) & 1) * 200) ^ noise;
        }
    }
    return img;
}

/// Grayscale (ITU-R BT.601 integer weights), then a separable box blur of `radius`.
void process(std::uint32_t w, std::uint32_t h, const std::uint8_t* rgb, std::uint32_t radius,
             std::vector<std::uint8_t>& out, ExecContext& ctx) {
    std::vector<std::uint16_t> gray(std::size_t{w} * h);
    for (std::size_t i = 0; i < gray.size(); ++i) {
        if ((i & 0xffff) == 0) ctx.checkpoint();
        gray[i] = static_cast<std::uint16_t>(
            (299u * rgb[i * 3] + 587u * rgb[i * 3 + 1] + 114u * rgb[i * 3 + 2]) / 1000u);
    }
    std::vector<std::uint32_t> tmp(gray.size());
    const int r = static_cast<int>(radius);
    for (std::uint32_t y = 0; y < h; ++y) {  // horizontal pass
        ctx.checkpoint();
        for (std::uint32_t x = 0; x < w; ++x) {
            std::uint32_t s = 0;
            for (int d = -r; d <= r; ++d) {
                const int xx = std::clamp(static_cast<int>(x) + d, 0, static_cast<int>(w) - 1);
                s += gray[std::size_t{y} * w + xx];
            }
            tmp[std::size_t{y} * w + x] = s;
        }
    }
    out.resize(gray.size());
    const std::uint32_t area = static_cast<std::uint32_t>((2 * r + 1) * (2 * r + 1));
    for (std::uint32_t y = 0; y < h; ++y) {  // vertical pass
        ctx.checkpoint();
        for (std::uint32_t x = 0; x < w; ++x) {
            std::uint32_t s = 0;
            for (int d = -r; d <= r; ++d) {
                const int yy = std::clamp(static_cast<int>(y) + d, 0, static_cast<int>(h) - 1);
                s += tmp[std::size_t(yy) * w + x];
            }
            out[std::size_t{y} * w + x] = static_cast<std::uint8_t>(s / area);
        }
    }
}

class Image final : public Workload {
public:
    explicit Image(ParamValues p) : Workload(std::move(p)) {
        m_dir = params().getString("dir");
        m_radius = static_cast<std::uint32_t>(params().getInt("radius"));
        if (m_dir.empty()) {
            m_count = static_cast<std::size_t>(params().getInt("count"));
            const double bytes = static_cast<double>(m_count) * params().getInt("width") *
                                 params().getInt("height") * 3;
            if (bytes > 2.0 * (1u << 30))
                throw InvalidArgument(
                    "image: count x width x height x 3 bytes must stay within 2 GiB");
        } else {
            std::error_code ec;
            if (!std::filesystem::is_directory(m_dir, ec))
                throw InvalidArgument("image: 'dir' must be a readable folder of PNG/JPEG files (" +
                                      m_dir + " is not a folder)");
            for (const auto& e : std::filesystem::directory_iterator(m_dir, ec)) {
                auto ext = e.path().extension().string();
                std::transform(ext.begin(), ext.end(), ext.begin(), ::tolower);
                if (ext == ".png" || ext == ".jpg" || ext == ".jpeg") m_files.push_back(e.path());
            }
            std::sort(m_files.begin(), m_files.end());
            if (m_files.empty())
                throw InvalidArgument("image: folder " + m_dir +
                                      " holds no .png, .jpg or .jpeg files");
            m_count = m_files.size();
        }
    }
    const WorkloadInfo& info() const override { return ImageInfo(); }
    std::size_t taskCount() const override { return m_count; }

    void prepare() override {
        if (!m_images.empty()) return;
        const auto w = static_cast<std::uint32_t>(params().getInt("width"));
        const auto h = static_cast<std::uint32_t>(params().getInt("height"));
        for (std::size_t i = 0; i < m_count; ++i) {
            if (m_files.empty()) {
                m_images.push_back(generateImage(i, w, h));
                continue;
            }
            int x = 0, y = 0, channels = 0;
            stbi_uc* data = stbi_load(m_files[i].c_str(), &x, &y, &channels, 3);
            if (data == nullptr)
                throw InvalidArgument("image: cannot decode " + m_files[i].string() + ": " +
                                      stbi_failure_reason());
            Rgb img{static_cast<std::uint32_t>(x), static_cast<std::uint32_t>(y), {}};
            img.pixels.assign(data, data + std::size_t(x) * y * 3);
            stbi_image_free(data);
            m_images.push_back(std::move(img));
        }
    }
    void cleanup() noexcept override { m_images.clear(); }

    void encodeTask(std::size_t index, ByteWriter& out) const override {
        const auto& img = image(index);
        out.u32(img.width);
        out.u32(img.height);
        out.u32(m_radius);
        out.bytes(std::as_bytes(std::span(img.pixels)));
    }
    void compute(ByteReader& task, ByteWriter& result, ExecContext& ctx) const override {
        const auto w = task.u32();
        const auto h = task.u32();
        const auto radius = task.u32();
        const auto pixels = task.bytes();
        if (pixels.size() != std::size_t{w} * h * 3)
            throw DecodeError("image: pixel count mismatch");
        std::vector<std::uint8_t> out;
        process(w, h, reinterpret_cast<const std::uint8_t*>(pixels.data()), radius, out, ctx);
        writeResult(w, h, out, result);
    }
    void computeLocal(std::size_t index, ByteWriter& result, ExecContext& ctx) const override {
        const auto& img = image(index);
        std::vector<std::uint8_t> out;
        process(img.width, img.height, img.pixels.data(), m_radius, out, ctx);
        writeResult(img.width, img.height, out, result);
    }
    std::string summarize(const std::vector<std::vector<std::byte>>& results) const override {
        std::uint64_t pixels = 0, graySum = 0;
        for (const auto& r : results) {
            ByteReader in(r);
            const auto w = in.u32();
            const auto h = in.u32();
            graySum += in.u64();
            pixels += std::uint64_t{w} * h;
        }
        return std::to_string(results.size()) + " images, " + std::to_string(pixels) +
               " pixels, mean gray after blur " +
               std::to_string(pixels ? static_cast<double>(graySum) / pixels : 0.0);
    }

private:
    const Rgb& image(std::size_t index) const {
        if (index >= m_images.size())
            throw std::logic_error("image: prepare() was not called before encoding tasks");
        return m_images[index];
    }
    static void writeResult(std::uint32_t w, std::uint32_t h, const std::vector<std::uint8_t>& out,
                            ByteWriter& result) {
        std::uint64_t sum = 0;
        for (auto v : out) sum += v;
        result.u32(w);
        result.u32(h);
        result.u64(sum);
        result.bytes(std::as_bytes(std::span(out)));
    }

    std::string m_dir;
    std::uint32_t m_radius = 0;
    std::size_t m_count = 0;
    std::vector<std::filesystem::path> m_files;
    std::vector<Rgb> m_images;
};

}  // namespace

const WorkloadInfo& ImageInfo() {
    static const WorkloadInfo info{
        "image",
        "Grayscale + box blur of each image (generated, or the PNG/JPEG files in 'dir'); the "
        "pixels travel to worker processes and back.",
        Boundedness::Cpu,
        {
            {"count", ParamKind::Int, "16", 1, 100000, "images",
             "generated images (ignored with dir)"},
            {"width", ParamKind::Int, "800", 1, 16384, "px", "generated image width"},
            {"height", ParamKind::Int, "600", 1, 16384, "px", "generated image height"},
            {"radius", ParamKind::Int, "3", 0, 64, "px", "box blur radius"},
            {"dir", ParamKind::Path, "", 0, 0, "", "folder of PNG/JPEG files to process instead"},
        }};
    return info;
}

std::unique_ptr<Workload> createImage(ParamValues params) {
    return std::make_unique<Image>(std::move(params));
}

}  // namespace coreduel::workloads
