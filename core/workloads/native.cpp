// native: your own kernel as a workload. A shared library with the C ABI of
// include/coreduel/kernel.h says how many tasks its parameters make and computes task i into
// bytes; every process that runs tasks (the engine, each worker process, each MPI rank) loads
// it when it builds this workload from the experiment's parameters. The library path is made
// absolute before it is sent, so that a worker started elsewhere loads the same file. Under
// gil-threads a task holds the modelled lock throughout (a kernel has no check points), unless
// the experiment says tasks release it (--gil-released), as for every workload.

#include <dlfcn.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <iterator>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

#include "core/util/file_digest.h"
#include "core/workloads/factories.h"
#include "coreduel/kernel.h"

namespace coreduel::workloads {

namespace {

constexpr std::size_t kErrorSize = 512;
const char* const kLibrary = "library";
const char* const kSha = "library_sha256";
const char* const kBytes = "library_bytes";

// A kernel that crashes in a worker process fails that run, named by the engine. In the
// engine's own process (sequential, threads, gil-threads) nothing can be saved, but the last
// line can say what happened before the process dies as it would have: the handler writes it,
// puts back the previous disposition (the default, or a sanitizer's) and raises the signal
// again. Only a thread inside a kernel's task says anything; elsewhere the handler only passes
// the signal on, so workers forked from the engine still die by it.
namespace crash {

constexpr int kSignals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
struct sigaction g_previous[std::size(kSignals)];
thread_local const char* t_library = nullptr;  ///< set while this thread runs a task
thread_local std::uint64_t t_task = 0;

void append(char* line, std::size_t& n, std::size_t cap, const char* text) {
    while (*text != '\0' && n + 1 < cap) line[n++] = *text++;
}

extern "C" void onFatalSignal(int sig) {
    std::size_t which = 0;
    while (which + 1 < std::size(kSignals) && kSignals[which] != sig) ++which;
    if (t_library != nullptr) {
        char line[1024];
        std::size_t n = 0;
        char digits[24];
        std::size_t d = sizeof digits;
        digits[--d] = '\0';
        auto task = t_task;
        do {
            digits[--d] = static_cast<char>('0' + task % 10);
            task /= 10;
        } while (task != 0 && d > 0);
        append(line, n, sizeof line, "coreduel: native kernel '");
        append(line, n, sizeof line, t_library);
        append(line, n, sizeof line, "' crashed (SIG");
        append(line, n, sizeof line, ::sigabbrev_np(sig) != nullptr ? ::sigabbrev_np(sig) : "?");
        append(line, n, sizeof line, ") in task ");
        append(line, n, sizeof line, digits + d);
        append(line, n, sizeof line,
               " in the engine's own process (sequential, threads and gil-threads run there; "
               "processes and mpi keep a crash in a worker)\n");
        [[maybe_unused]] auto written = ::write(STDERR_FILENO, line, n);
    }
    ::sigaction(sig, &g_previous[which], nullptr);
    ::raise(sig);  // blocked until this handler returns, then handled as before
}

void installOnce() {
    static std::once_flag once;
    std::call_once(once, [] {
        for (std::size_t i = 0; i < std::size(kSignals); ++i) {
            struct sigaction sa {};
            sa.sa_handler = onFatalSignal;
            ::sigemptyset(&sa.sa_mask);
            ::sigaction(kSignals[i], &sa, &g_previous[i]);
        }
    });
}

/// Marks this thread as inside task `index` of `library` for as long as it lives.
class InTask {
public:
    InTask(const std::string& library, std::uint64_t index) {
        installOnce();
        t_task = index;
        t_library = library.c_str();
    }
    ~InTask() { t_library = nullptr; }
    InTask(const InTask&) = delete;
    InTask& operator=(const InTask&) = delete;
};

}  // namespace crash

/// A dlopen() handle, closed when it goes.
class LibraryHandle {
public:
    explicit LibraryHandle(const std::string& path) {
        struct stat st {};
        if (::stat(path.c_str(), &st) != 0)
            throw InvalidArgument("native: '" + path + "' does not exist");
        if (!S_ISREG(st.st_mode)) throw InvalidArgument("native: '" + path + "' is not a file");
        m_handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (m_handle == nullptr) {
            const char* why = ::dlerror();
            throw InvalidArgument("native: '" + path + "' cannot be loaded: " +
                                  (why != nullptr ? why : "dlopen failed"));
        }
    }
    ~LibraryHandle() {
        if (m_handle != nullptr) ::dlclose(m_handle);
    }
    LibraryHandle(const LibraryHandle&) = delete;
    LibraryHandle& operator=(const LibraryHandle&) = delete;

    /// The symbol's address, or nullptr when the library does not define it.
    [[nodiscard]] void* symbol(const char* name) const { return ::dlsym(m_handle, name); }

private:
    void* m_handle = nullptr;
};

/// One load of a kernel: its functions, its parameters in the ABI's shape and its context.
class Kernel {
public:
    Kernel(const std::string& path, const std::map<std::string, std::string>& params)
        : m_path(path), m_lib(path) {
        const auto version =
            required<coreduel_kernel_abi_version_fn>("coreduel_kernel_abi_version");
        m_taskCount = required<coreduel_kernel_task_count_fn>("coreduel_kernel_task_count");
        m_compute = required<coreduel_kernel_compute_fn>("coreduel_kernel_compute");
        const int abi = version();
        if (abi != COREDUEL_KERNEL_ABI_VERSION)
            throw InvalidArgument("native: '" + m_path + "' was built for kernel ABI version " +
                                  std::to_string(abi) + "; this CoreDuel loads version " +
                                  std::to_string(COREDUEL_KERNEL_ABI_VERSION) +
                                  " (rebuild it against coreduel/kernel.h)");
        m_init = reinterpret_cast<coreduel_kernel_init_fn>(m_lib.symbol("coreduel_kernel_init"));
        m_fini = reinterpret_cast<coreduel_kernel_fini_fn>(m_lib.symbol("coreduel_kernel_fini"));
        for (const auto& [key, value] : params) {  // a std::map: sorted by key, as promised
            m_keys.push_back(key);
            m_values.push_back(value);
        }
        for (std::size_t i = 0; i < m_keys.size(); ++i)
            m_items.push_back({m_keys[i].c_str(), m_values[i].c_str()});
        m_params = {m_items.data(), m_items.size()};
        if (m_init != nullptr) {
            char error[kErrorSize] = {};
            if (m_init(&m_params, &m_context, error, sizeof error) != 0)
                throw InvalidArgument(failure("init", error));
        }
    }
    ~Kernel() {
        if (m_fini != nullptr) m_fini(m_context);
    }
    Kernel(const Kernel&) = delete;
    Kernel& operator=(const Kernel&) = delete;

    [[nodiscard]] std::uint64_t taskCount() {
        std::uint64_t count = 0;
        char error[kErrorSize] = {};
        if (m_taskCount(m_context, &m_params, &count, error, sizeof error) != 0)
            throw InvalidArgument(failure("task_count", error));
        if (count == 0)
            throw InvalidArgument("native: '" + m_path + "' says its parameters make no tasks");
        return count;
    }

    /// Task `index` appended to `out`; throws with the kernel's message when it fails.
    void compute(std::uint64_t index, std::vector<std::byte>& out) const {
        const auto start = out.size();
        std::size_t capacity = 64;
        for (int attempt = 0; attempt < 3; ++attempt) {
            out.resize(start + capacity);
            std::size_t size = 0;
            char error[kErrorSize] = {};
            const int rc = m_compute(m_context, &m_params, index,
                                     reinterpret_cast<unsigned char*>(out.data() + start), capacity,
                                     &size, error, sizeof error);
            if (rc != 0) {
                out.resize(start);
                throw std::runtime_error(failure("task " + std::to_string(index), error));
            }
            if (size <= capacity) {
                out.resize(start + size);
                return;
            }
            capacity = size;
        }
        out.resize(start);
        throw std::runtime_error("native: '" + m_path + "' asked for a larger buffer for task " +
                                 std::to_string(index) + " three times");
    }

private:
    template <class Fn>
    Fn required(const char* name) const {
        void* address = m_lib.symbol(name);
        if (address == nullptr)
            throw InvalidArgument("native: '" + m_path + "' has no symbol " + name +
                                  " (a kernel exports the functions of coreduel/kernel.h)");
        return reinterpret_cast<Fn>(address);
    }
    [[nodiscard]] std::string failure(const std::string& what, const char* error) const {
        std::string text(error, ::strnlen(error, kErrorSize));
        if (text.empty()) text = "no message";
        return "native: '" + m_path + "' failed in " + what + ": " + text;
    }

    std::string m_path;
    LibraryHandle m_lib;
    coreduel_kernel_task_count_fn m_taskCount = nullptr;
    coreduel_kernel_compute_fn m_compute = nullptr;
    coreduel_kernel_init_fn m_init = nullptr;
    coreduel_kernel_fini_fn m_fini = nullptr;
    std::vector<std::string> m_keys, m_values;
    std::vector<coreduel_kernel_param> m_items;
    coreduel_kernel_params m_params{};
    void* m_context = nullptr;
};

/// The kernel's own parameters: all but those the workload declares.
std::map<std::string, std::string> kernelParams(const ParamValues& p) {
    std::map<std::string, std::string> out;
    for (const auto& [key, value] : p.all())
        if (key != kLibrary && key != kSha && key != kBytes) out[key] = value;
    return out;
}

/// The library's digest; given a recorded one (a rerun of a result or session), refuses a
/// library that is no longer the file that ran, before it is loaded.
FileDigest checkedDigest(const ParamValues& p) {
    const auto& path = p.getString(kLibrary);
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        throw InvalidArgument("native: '" + path + "' does not exist");
    if (!S_ISREG(st.st_mode)) throw InvalidArgument("native: '" + path + "' is not a file");
    FileDigest d;
    try {
        d = digestFile(path);
    } catch (const std::system_error& e) {
        throw InvalidArgument("native: '" + path + "' cannot be read (" + e.what() + ")");
    }
    const auto& recorded = p.getString(kSha);
    if (!recorded.empty() && recorded != d.sha256)
        throw InvalidArgument(
            "native: '" + path + "' is not the library this experiment recorded (sha256 " +
            recorded + ", now " + d.sha256 + "); leave out " + kSha + " to run it as it is now");
    return d;
}

class Native final : public Workload {
public:
    explicit Native(ParamValues p)
        : Workload(std::move(p)),
          m_digest(checkedDigest(params())),
          m_kernel(params().getString(kLibrary), kernelParams(params())),
          m_tasks(m_kernel.taskCount()) {}
    const WorkloadInfo& info() const override { return NativeInfo(); }
    std::size_t taskCount() const override { return m_tasks; }

    void encodeTask(std::size_t index, ByteWriter& out) const override { out.u64(index); }
    void compute(ByteReader& task, ByteWriter& result, ExecContext& ctx) const override {
        ctx.checkpoint();
        const auto index = task.u64();
        if (index >= m_tasks)
            throw std::runtime_error("native: task " + std::to_string(index) + " of " +
                                     std::to_string(m_tasks));
        m_kernel.compute(index, result.buffer());
    }
    /// In the engine's process: a crash there gets its last line (see crash::onFatalSignal).
    void computeLocal(std::size_t index, ByteWriter& result, ExecContext& ctx) const override {
        ctx.checkpoint();
        crash::InTask marked(params().getString(kLibrary), index);
        m_kernel.compute(index, result.buffer());
    }
    std::string summarize(const std::vector<std::vector<std::byte>>& results) const override {
        std::size_t bytes = 0;
        for (const auto& r : results) bytes += r.size();
        const auto name = std::filesystem::path(params().getString(kLibrary)).filename().string();
        return std::to_string(results.size()) + " tasks of " + name + ", " + std::to_string(bytes) +
               " result bytes";
    }
    /// Which file ran: the absolute path every process loaded, its SHA-256 and size.
    std::map<std::string, std::string> recordedParams() const override {
        return {{kLibrary, params().getString(kLibrary)},
                {kSha, m_digest.sha256},
                {kBytes, std::to_string(m_digest.bytes)}};
    }

private:
    FileDigest m_digest;
    Kernel m_kernel;
    std::size_t m_tasks = 0;
};

}  // namespace

const WorkloadInfo& NativeInfo() {
    static const WorkloadInfo info{
        "native",
        "Your own kernel: a shared library with the C ABI of coreduel/kernel.h, loaded by "
        "every process that runs tasks; other -p key=value go to the kernel.",
        Boundedness::Cpu,
        {
            {kLibrary, ParamKind::Path, "", 0, 0, "",
             "the kernel's shared library (lib...so); sent to workers as an absolute path"},
            {kSha, ParamKind::String, "", 0, 0, "",
             "recorded by a run: the library's SHA-256; given, a run refuses a library that "
             "differs"},
            {kBytes, ParamKind::String, "", 0, 0, "", "recorded by a run: the library's size"},
        },
        /*userCode=*/true};
    return info;
}

std::unique_ptr<Workload> createNative(ParamValues params) {
    auto given = params.all();
    const auto& library = given.at(kLibrary);
    if (library.empty())
        throw InvalidArgument(
            "native: parameter 'library' is required: the path of a kernel's shared library "
            "(see coreduel/kernel.h)");
    // Absolute, so that a worker process or an MPI rank started in another folder loads the
    // same file (they get these parameters, not the experiment's as typed).
    given[kLibrary] = std::filesystem::absolute(library).lexically_normal().string();
    const auto& info = NativeInfo();
    return std::make_unique<Native>(ParamValues(info.name, info.params, given, info.userCode));
}

}  // namespace coreduel::workloads
