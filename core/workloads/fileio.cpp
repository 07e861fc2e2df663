// fileio: each task writes a file, fsyncs it, reads it back and deletes it, inside a private
// temporary directory (0700, from mkdtemp) that is removed after the experiment whatever
// happened. The waits are real device I/O where the directory is on a disk.

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "core/util/hash.h"
#include "core/util/sys.h"
#include "core/workloads/factories.h"

namespace coreduel::workloads {

namespace {

class FileIo final : public Workload {
public:
    explicit FileIo(ParamValues p) : Workload(std::move(p)) {
        m_tasks = static_cast<std::size_t>(params().getInt("tasks"));
        m_kib = static_cast<std::uint64_t>(params().getInt("kib"));
        m_parent = params().getString("dir");
        if (m_parent.empty()) {
            const char* env = std::getenv("TMPDIR");
            m_parent = env != nullptr && *env != '\0' ? env : "/var/tmp";
        }
        std::error_code ec;
        if (!std::filesystem::is_directory(m_parent, ec))
            throw InvalidArgument("fileio: 'dir' must be an existing folder (" + m_parent +
                                  " is not)");
    }
    ~FileIo() override { cleanup(); }
    const WorkloadInfo& info() const override { return FileIoInfo(); }
    std::size_t taskCount() const override { return m_tasks; }

    void prepare() override {
        if (!m_dir.empty()) return;
        std::string templ = m_parent + "/coreduel-fileio-XXXXXX";
        if (::mkdtemp(templ.data()) == nullptr) throwSystemError("mkdtemp " + templ);
        m_dir = templ;
    }
    void cleanup() noexcept override {
        if (m_dir.empty()) return;
        std::error_code ec;
        std::filesystem::remove_all(m_dir, ec);
        m_dir.clear();
    }

    void encodeTask(std::size_t index, ByteWriter& out) const override {
        if (m_dir.empty()) throw std::logic_error("fileio: prepare() was not called");
        out.str(m_dir);
        out.u64(index);
        out.u64(m_kib);
    }
    void compute(ByteReader& task, ByteWriter& result, ExecContext& ctx) const override {
        const auto dir = task.str();
        const auto index = task.u64();
        const auto kib = task.u64();
        ctx.checkpoint();
        std::vector<std::uint8_t> data(kib * 1024);
        for (std::size_t i = 0; i < data.size(); ++i)
            data[i] = static_cast<std::uint8_t>((i * 131 + index * 7) >> 3);
        const std::string path = dir + "/task-" + std::to_string(index);
        Checksum sum;
        ctx.blocking([&] {
            UniqueFd out(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
            if (!out.valid()) throwSystemError("open " + path);
            writeAll(out.get(), data.data(), data.size());
            if (::fsync(out.get()) != 0) throwSystemError("fsync " + path);
            out.reset();
            std::vector<std::uint8_t> back(data.size());
            UniqueFd in(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
            if (!in.valid()) throwSystemError("open " + path);
            if (!back.empty() && !readExact(in.get(), back.data(), back.size()))
                throw std::runtime_error("fileio: " + path + " was empty on reading back");
            ::unlink(path.c_str());
            if (back != data)
                throw std::runtime_error("fileio: " + path + " read back differently");
            sum.add(std::as_bytes(std::span(back)));
        });
        result.u64(sum.value());
    }
    std::string summarize(const std::vector<std::vector<std::byte>>& results) const override {
        return std::to_string(results.size()) + " files of " + std::to_string(m_kib) +
               " KiB written, fsynced and read back in " + m_parent;
    }

private:
    std::size_t m_tasks = 0;
    std::uint64_t m_kib = 0;
    std::string m_parent;
    std::string m_dir;
};

}  // namespace

const WorkloadInfo& FileIoInfo() {
    static const WorkloadInfo info{
        "fileio",
        "Each task writes a file, fsyncs it and reads it back in a private temporary folder "
        "that is removed afterwards.",
        Boundedness::Io,
        {
            {"tasks", ParamKind::Int, "32", 1, 100000, "files", "number of files"},
            {"kib", ParamKind::Int, "256", 1, 1048576, "KiB", "size of each file"},
            {"dir", ParamKind::Path, "", 0, 0, "",
             "where the temporary folder goes ($TMPDIR or /var/tmp)"},
        }};
    return info;
}

std::unique_ptr<Workload> createFileIo(ParamValues params) {
    return std::make_unique<FileIo>(std::move(params));
}

}  // namespace coreduel::workloads
