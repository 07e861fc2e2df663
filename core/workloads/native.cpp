// native: your own kernel as a workload. A shared library with the C ABI of
// include/coreduel/kernel.h says how many tasks its parameters make and computes task i into
// bytes; every process that runs tasks (the engine, each worker process, each MPI rank) loads
// it when it builds this workload from the experiment's parameters. The library path is made
// absolute before it is sent, so that a worker started elsewhere loads the same file. Under
// gil-threads a task holds the modelled lock throughout (a kernel has no check points), unless
// the experiment says tasks release it (--gil-released), as for every workload.

#include <dlfcn.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

#include "core/util/file_digest.h"
#include "core/workloads/factories.h"
#include "core/workloads/kernel_crash.h"
#include "coreduel/kernel.h"

namespace coreduel::workloads {

namespace {

constexpr std::size_t kErrorSize = 512;
const char* const kLibrary = "library";
const char* const kSha = "library_sha256";
const char* const kBytes = "library_bytes";

// A kernel that crashes in a worker process fails that run, named by the engine (task, worker,
// signal). In the engine's own process (sequential, threads, gil-threads) the crash is caught
// on the kernel's thread (kernel_crash.h) and fails the run; the library is then refused in
// this process, since the crash may have damaged its memory and the kernel's own state.
struct Crashed {
    std::string what;  ///< "SIGSEGV in task 3"
};
std::mutex g_crashedMutex;
std::map<std::string, Crashed> g_crashed;  ///< by the library's SHA-256
std::atomic<bool> g_anyCrashed{false};

std::optional<Crashed> crashedBefore(const std::string& sha256) {
    if (!g_anyCrashed.load(std::memory_order_acquire)) return std::nullopt;
    const std::lock_guard lock(g_crashedMutex);
    const auto it = g_crashed.find(sha256);
    return it == g_crashed.end() ? std::nullopt : std::optional<Crashed>(it->second);
}

std::string refusedAfterCrash(const std::string& path, const Crashed& c) {
    return "native: '" + path + "' crashed (" + c.what +
           ") earlier in this process (in an earlier run or this experiment's unreported "
           "warm-up), which may have damaged its memory: it is not run here again. Restart "
           "CoreDuel to run it in-process, or run it under processes, where a crash stays in "
           "its worker";
}

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
    Kernel(const std::string& path, std::string sha256,
           const std::map<std::string, std::string>& params)
        : m_path(path), m_sha256(std::move(sha256)), m_lib(path) {
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
        // After a crash the kernel's state is not to be trusted with another call.
        if (m_fini != nullptr && !crashedBefore(m_sha256)) m_fini(m_context);
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
    /// `catchCrash` (the engine's own process): a crash in the kernel throws too.
    void compute(std::uint64_t index, std::vector<std::byte>& out, bool catchCrash) const {
        const auto start = out.size();
        std::size_t capacity = 64;
        for (int attempt = 0; attempt < 3; ++attempt) {
            out.resize(start + capacity);
            std::size_t size = 0;
            char error[kErrorSize] = {};
            Call call{this,     index, reinterpret_cast<unsigned char*>(out.data() + start),
                      capacity, &size, error};
            const int sig = catchCrash ? callCatchingCrash(m_path.c_str(), index, &Call::run, &call)
                                       : (Call::run(&call), 0);
            if (sig != 0) {
                out.resize(start);
                crashed(index, sig);
            }
            const int rc = call.rc;
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
    /// One call of the kernel's compute, as a C callback for callCatchingCrash: nothing in it
    /// has a destructor, since a crash jumps over it.
    struct Call {
        const Kernel* kernel;
        std::uint64_t index;
        unsigned char* out;
        std::size_t capacity;
        std::size_t* size;
        char* error;
        int rc = 0;
        static void run(void* p) {
            auto* c = static_cast<Call*>(p);
            const Kernel& k = *c->kernel;
            c->rc = k.m_compute(k.m_context, &k.m_params, c->index, c->out, c->capacity, c->size,
                                c->error, kErrorSize);
        }
    };

    [[noreturn]] void crashed(std::uint64_t index, int sig) const {
        const char* name = ::sigabbrev_np(sig);
        Crashed c{"SIG" + std::string(name != nullptr ? name : "?") + " in task " +
                  std::to_string(index)};
        {
            const std::lock_guard lock(g_crashedMutex);
            g_crashed.emplace(m_sha256, c);
        }
        g_anyCrashed.store(true, std::memory_order_release);
        throw std::runtime_error("native: '" + m_path + "' crashed (" + c.what +
                                 ") in the engine's own process; the run is failed and the "
                                 "library is not run in this process again (the crash may have "
                                 "damaged its memory): restart CoreDuel to run it in-process, "
                                 "or run it under processes, where a crash stays in its worker");
    }

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
    std::string m_sha256;
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
    if (const auto c = crashedBefore(d.sha256)) throw InvalidArgument(refusedAfterCrash(path, *c));
    const auto& recorded = p.getString(kSha);
    if (!recorded.empty() && recorded != d.sha256)
        throw InvalidArgument("native: '" + path +
                              "' is not the library this experiment recorded (sha256 " + recorded +
                              ", now " + d.sha256 +
                              "); it changed since: to run it as it is now, leave out " + kSha +
                              " (in the window: choose the library again)");
    return d;
}

class Native final : public Workload {
public:
    explicit Native(ParamValues p)
        : Workload(std::move(p)),
          m_digest(checkedDigest(params())),
          m_kernel(params().getString(kLibrary), m_digest.sha256, kernelParams(params())),
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
        m_kernel.compute(index, result.buffer(), /*catchCrash=*/false);
    }
    /// In the engine's own process: a crash fails the run instead of ending the program, and
    /// no later task of the library runs here.
    void computeLocal(std::size_t index, ByteWriter& result, ExecContext& ctx) const override {
        ctx.checkpoint();
        if (const auto c = crashedBefore(m_digest.sha256))
            throw std::runtime_error(refusedAfterCrash(params().getString(kLibrary), *c));
        m_kernel.compute(index, result.buffer(), /*catchCrash=*/true);
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
        "every process that runs tasks; the kernel's own parameters (key=value) go to it as "
        "text.",
        Boundedness::Cpu,
        {
            {kLibrary, ParamKind::Path, "", 0, 0, "",
             "the kernel's shared library (lib...so); sent to workers as an absolute path"},
            {kSha, ParamKind::String, "", 0, 0, "",
             "recorded by a run: the library's SHA-256; given, a run refuses a library that "
             "differs",
             true},
            {kBytes, ParamKind::String, "", 0, 0, "", "recorded by a run: the library's size",
             true},
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
