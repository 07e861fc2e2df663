#include "core/exec/python_executor.h"

#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/proc/child_process.h"
#include "core/util/clock.h"
#include "core/util/errors.h"
#include "core/util/install_paths.h"
#include "core/util/sigpipe.h"
#include "core/vocab/interpreter_spec.h"

namespace coreduel {

namespace {

using json = nlohmann::json;

constexpr const char* kPorts[] = {"primes", "mandelbrot", "factorial", "square", "sleep", "fileio",
                                  "amdahl", "counter",    "fault",     "python", "convoy"};

enum class Msg : std::uint8_t {
    Setup = 1,
    Task = 2,
    End = 3,
    Hello = 10,
    Worker = 12,
    Result = 13,
    Done = 14,
    Error = 15
};

constexpr int kPollMs = 50;
constexpr std::int64_t kHelloTimeoutNs = 60'000'000'000;  // a cold disk, a slow first import
constexpr int kExitGraceMs = 5000;                        // after Done: the pool is already joined
constexpr int kTermGraceMs = 2000;  // after SIGTERM: the runner terminates its pool
constexpr std::uint32_t kMaxMessage = 1u << 30;

/// The interpreter's code: put the package's folder first on sys.path, run its runner. -c
/// rather than -m, so that no folder of ours (or the cwd) is searched before the package;
/// -E and -s keep the user's PYTHON* variables and site-packages out, so every run of the
/// same interpreter runs the same code; -B writes no .pyc into an installed package.
constexpr const char* kBootstrap =
    "import sys; sys.path.insert(0, sys.argv[1]); import coreduel_py.runner as r; r.main()";

const char* modeOf(Model m) {
    switch (m) {
        case Model::PyThreads:
            return "threads";
        case Model::PyProcesses:
            return "processes";
        default:
            return "sequential";
    }
}

void appendMessage(std::vector<std::byte>& out, Msg type, const void* body, std::size_t n) {
    ByteWriter w(out);
    w.u32(static_cast<std::uint32_t>(n + 1));
    w.u8(static_cast<std::uint8_t>(type));
    w.raw(body, n);
}

/// CPU time of a process and its reaped children so far (/proc/PID/stat utime, stime,
/// cutime, cstime), in ns; {0, 0} if it cannot be read.
std::pair<std::int64_t, std::int64_t> processTreeCpuNs(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(in)), {});
    const auto close = text.rfind(')');
    if (close == std::string::npos) return {0, 0};
    std::istringstream fields(text.substr(close + 2));
    std::string f;
    std::int64_t v[4] = {0, 0, 0, 0};
    // After the name: state is field 3, utime field 14.
    for (int i = 3; i <= 17 && fields >> f; ++i)
        if (i >= 14) v[i - 14] = std::atoll(f.c_str());
    const double tick = 1e9 / static_cast<double>(::sysconf(_SC_CLK_TCK));
    return {static_cast<std::int64_t>(static_cast<double>(v[0] + v[2]) * tick),
            static_cast<std::int64_t>(static_cast<double>(v[1] + v[3]) * tick)};
}

/// The last lines the interpreter wrote to stderr (a traceback's end says what happened).
std::string tailOf(int fd, std::size_t maxLines = 6) {
    std::string text;
    char buf[4096];
    for (off_t at = 0;;) {
        const ssize_t n = ::pread(fd, buf, sizeof buf, at);
        if (n <= 0) break;
        text.append(buf, static_cast<std::size_t>(n));
        at += n;
        if (text.size() > (1u << 20)) text.erase(0, text.size() - (64u << 10));
    }
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    std::size_t pos = text.size(), lines = 0;
    while (pos > 0 && lines < maxLines) {
        pos = text.rfind('\n', pos - 1);
        if (pos == std::string::npos) {
            pos = 0;
            break;
        }
        ++lines;
    }
    return text.substr(pos == 0 ? 0 : pos + 1);
}

class PythonRun {
public:
    explicit PythonRun(const ExecRequest& req)
        : m_req(req), m_results(req.workload.taskCount()), m_have(req.workload.taskCount()) {}

    ExecOutcome run() {
        SigpipeBlock sigpipe;
        try {
            start();
            if (awaitHello()) {
                sendJob();
                pump();
            }
        } catch (const std::exception& e) {
            if (m_out.error.empty() && !m_out.cancelled) m_out.error = e.what();
        }
        finish();
        return std::move(m_out);
    }

private:
    void start() {
        Pipe toPy = makePipe();
        Pipe fromPy = makePipe();
        m_stderr = UniqueFd(::memfd_create("coreduel-python-stderr", MFD_CLOEXEC));
        if (!m_stderr.valid()) throwSystemError("memfd_create");
        m_spawnedNs = monotonicNs();
        std::vector<std::string> argv{m_req.python};
        argv.insert(argv.end(), m_req.pythonOptions.begin(), m_req.pythonOptions.end());
        for (const char* a : {"-u", "-B", "-E", "-s", "-c", kBootstrap}) argv.emplace_back(a);
        argv.push_back(pythonPackageDirectory());
        m_proc =
            spawnProgram(argv, {{toPy.read.get(), 0}, {fromPy.write.get(), 1}, {m_stderr.get(), 2}},
                         SpawnOptions{.newProcessGroup = true});
        m_group = m_proc.pid();
        m_toPy = std::move(toPy.write);
        m_fromPy = std::move(fromPy.read);
    }

    /// Waits for the interpreter's hello: it runs, and says which interpreter it is.
    bool awaitHello() {
        const auto deadline = m_spawnedNs + kHelloTimeoutNs;
        while (!m_hello) {
            if (!readSome()) return false;
            if (monotonicNs() > deadline)
                throw std::runtime_error(m_req.python +
                                         " did not start the coreduel_py runner in " +
                                         std::to_string(kHelloTimeoutNs / 1'000'000'000) + " s");
        }
        return true;
    }

    void sendJob() {
        const auto& w = m_req.workload;
        const RunConfig& c = m_req.config;
        m_chunksize = c.chunksize > 0 ? c.chunksize : defaultChunksize(w.taskCount(), c.workers);
        json setup = {
            {"workload", w.name()},
            {"params", w.params().all()},
            {"mode", modeOf(c.model)},
            {"workers", c.model == Model::PySequential ? 1u : c.workers},
            {"chunksize", m_chunksize},
            {"start_method", toString(c.startMethod)},
            {"switch_interval_s", std::chrono::duration<double>(c.gilSwitchInterval).count()},
            {"task_timeout_s", c.taskTimeoutSeconds},
            {"tasks", w.taskCount()}};
        std::vector<std::byte> out;
        const std::string text = setup.dump();
        appendMessage(out, Msg::Setup, text.data(), text.size());
        std::vector<std::byte> task;
        for (std::size_t i = 0; i < w.taskCount(); ++i) {
            task.clear();
            ByteWriter tw(task);
            tw.u64(i);
            w.encodeTask(i, tw);
            appendMessage(out, Msg::Task, task.data(), task.size());
            if (out.size() > (1u << 20)) flushToPython(out);
        }
        appendMessage(out, Msg::End, nullptr, 0);
        flushToPython(out);
    }

    void flushToPython(std::vector<std::byte>& out) {
        // Blocking: the runner reads the whole job before it starts any of it. A dead
        // interpreter makes this fail with EPIPE, and the run reports how it died.
        writeAll(m_toPy.get(), out.data(), out.size());
        out.clear();
    }

    /// Reads messages until the interpreter said Done or Error, ended, or the user cancelled.
    void pump() {
        while (!m_done && !m_out.cancelled) {
            if (!readSome()) break;
            flushEvents(false);
        }
        flushEvents(true);
    }

    /// One poll: reads what is there and handles whole messages. False once the interpreter's
    /// output ended (it exited or died) or the run was cancelled.
    bool readSome() {
        if (m_req.cancel.load()) {
            m_out.cancelled = true;
            return false;
        }
        pollfd fds[2] = {{m_fromPy.get(), POLLIN, 0}, {m_proc.pidfd(), POLLIN, 0}};
        const int rc = ::poll(fds, 2, kPollMs);
        if (rc < 0 && errno != EINTR) throwSystemError("poll");
        if (rc <= 0) return true;
        if ((fds[0].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
            std::byte buf[65536];
            const ssize_t n = ::read(m_fromPy.get(), buf, sizeof buf);
            if (n < 0 && errno != EINTR && errno != EAGAIN) throwSystemError("read from python");
            if (n == 0) return false;
            if (n > 0) {
                m_in.insert(m_in.end(), buf, buf + n);
                handleMessages();
            }
            return true;
        }
        // Ended without closing its output? Only if something it started still holds it; the
        // interpreter itself is gone, which is what matters.
        return (fds[1].revents & POLLIN) == 0;
    }

    void handleMessages() {
        std::size_t pos = 0;
        while (m_in.size() - pos >= 4) {
            std::uint32_t len = 0;
            std::memcpy(&len, m_in.data() + pos, 4);
            if (len == 0 || len > kMaxMessage)
                throw std::runtime_error("the Python runner sent a corrupt message (length " +
                                         std::to_string(len) + ")");
            if (m_in.size() - pos - 4 < len) break;
            const auto type = static_cast<Msg>(m_in[pos + 4]);
            handle(type, std::span<const std::byte>(m_in.data() + pos + 5, len - 1));
            pos += 4 + len;
        }
        m_in.erase(m_in.begin(), m_in.begin() + static_cast<std::ptrdiff_t>(pos));
    }

    static json parseJson(std::span<const std::byte> body) {
        return json::parse(reinterpret_cast<const char*>(body.data()),
                           reinterpret_cast<const char*>(body.data()) + body.size());
    }

    void handle(Msg type, std::span<const std::byte> body) {
        switch (type) {
            case Msg::Hello:
                onHello(parseJson(body));
                break;
            case Msg::Worker: {
                ByteReader in(body);
                const auto worker = in.u32();
                const auto pid = static_cast<std::int32_t>(in.u32());
                const auto tid = static_cast<std::int32_t>(in.u32());
                if (m_req.onWorkerStarted) m_req.onWorkerStarted(worker, pid, tid);
                break;
            }
            case Msg::Result:
                onResult(body);
                break;
            case Msg::Done:
                onDone(parseJson(body));
                break;
            case Msg::Error: {
                const json j = parseJson(body);
                std::string what = j.value("error", std::string("?"));
                // Every failure names its worker and pid, also when the runner's words do not.
                const int worker = j.value("worker", -1), pid = j.value("pid", -1);
                // On the first line: a user function's traceback follows it.
                if (worker >= 0 && what.find("worker") == std::string::npos)
                    what.insert(std::min(what.find('\n'), what.size()),
                                " (worker " + std::to_string(worker) +
                                    (pid > 0 ? ", pid " + std::to_string(pid) : std::string()) +
                                    ")");
                m_out.error = "in the Python interpreter: " + what;
                m_done = true;
                break;
            }
            default:
                throw std::runtime_error("the Python runner sent a message of unknown type " +
                                         std::to_string(static_cast<int>(type)));
        }
    }

    void onHello(const json& j) {
        m_hello = true;
        m_out.interpreterStartupNs = monotonicNs() - m_spawnedNs;
        // What starting cost (a launcher script, site, imports) is not the run's CPU time.
        m_startupCpuNs = processTreeCpuNs(m_group);
        std::string line = j.value("implementation", std::string("python"));
        if (line == "cpython") line = "CPython";
        const std::string version = j.value("version", std::string("?"));
        line += " " + version.substr(0, version.find(' '));
        line += " (" + j.value("executable", m_req.python) + ")";
        if (j.value("free_threaded_build", false)) line += ", free-threaded build";
        const auto gil = j.find("gil_enabled");
        if (gil != j.end() && gil->is_boolean())
            line += gil->get<bool>() ? ", GIL enabled" : ", GIL disabled";
        m_out.interpreter = line;
        m_gilEnabled = gil == j.end() || !gil->is_boolean() || gil->get<bool>();
        m_out.freeThreadedBuild = j.value("free_threaded_build", false);
        if (gil != j.end() && gil->is_boolean()) m_out.gilEnabled = gil->get<bool>();
        const auto v = j.value("version_info", std::vector<int>{});
        const auto gilOption = parseInterpreterSpec(m_req.config.python).gil;
        m_out.interpreterLabel = interpreterLabel(j.value("implementation", std::string("python")),
                                                  v.size() > 0 ? v[0] : 0, v.size() > 1 ? v[1] : 0,
                                                  m_out.freeThreadedBuild, gilOption);
    }

    void onResult(std::span<const std::byte> body) {
        ByteReader in(body);
        TaskEvent e;
        e.task = in.u64();
        e.worker = in.u32();
        e.pid = static_cast<std::int32_t>(in.u32());
        e.tid = static_cast<std::int32_t>(in.u32());
        e.startNs = in.i64();
        e.endNs = in.i64();
        e.cpuNs = in.i64();
        e.receivedNs = in.i64();
        const auto result = in.bytes();
        if (e.task >= m_results.size() || m_have[e.task])
            throw std::runtime_error(
                "the Python runner sent task " + std::to_string(e.task) +
                (e.task >= m_results.size() ? ", which does not exist" : " twice"));
        m_results[e.task].assign(result.begin(), result.end());
        m_have[e.task] = true;
        ++m_finished;
        if (inferGil()) {
            // Inferred, not measured: a CPU-bound task under the GIL that is not on a CPU is
            // waiting for the lock (or, with more threads than cores, for a core).
            e.gilWaitNs = std::max<std::int64_t>(0, e.endNs - e.startNs - e.cpuNs);
            m_out.gilWaitInferred = true;
        }
        m_events.push_back(e);
    }

    bool inferGil() const {
        // One worker thread has no other worker to wait for: its time off a CPU is the
        // scheduler's (other programs, a busy machine), never called a GIL wait.
        const auto bound = m_req.workload.info().bound;
        return m_req.config.model == Model::PyThreads && m_req.config.workers > 1 && m_gilEnabled &&
               (bound == Boundedness::Cpu || bound == Boundedness::Overhead);
    }

    void flushEvents(bool force) {
        if (m_events.empty()) return;
        const auto now = monotonicNs();
        if (!force && m_events.size() < 256 && now - m_lastFlushNs < 50'000'000) return;
        m_lastFlushNs = now;
        // Only the sums per worker are kept here: the events themselves go to the sink.
        for (const auto& e : m_events) {
            TimeBreakdown& t = m_taskTime[e.worker];
            t.computeNs += taskOnCpuNs(e);
            t.lockWaitNs += taskGilWaitInsideNs(e);
            t.blockedNs += taskBlockedNs(e);
        }
        if (m_req.onEvents) m_req.onEvents(std::move(m_events));
        m_events.clear();
        if (m_req.onProgress) m_req.onProgress(m_finished, m_results.size());
    }

    void onDone(const json& j) {
        m_done = true;
        const auto t0 = j.value("t0_ns", std::int64_t{0});
        const auto t1 = j.value("t1_ns", std::int64_t{0});
        if (t1 > t0) m_out.wallNs = t1 - t0;
        m_poolStartNs = j.value("pool_start_ns", t0);
        m_out.chunksize = j.value("chunksize", m_chunksize);
        m_out.chunks = j.value("chunks", std::size_t{0});
        m_out.interpreterPeakRssKib = std::max<std::int64_t>(0, j.value("max_rss_kib", -1));
        // Measured inside the run, after the workload's imports: what the hello said at
        // start-up may have changed since (an extension that needs the GIL turns it on).
        if (const auto gil = j.find("gil_enabled"); gil != j.end() && gil->is_boolean()) {
            m_out.gilEnabled = gil->get<bool>();
            m_gilEnabled = *m_out.gilEnabled;
        }
        if (j.contains("summary") && j["summary"].is_string())
            m_out.summary = j["summary"].get<std::string>();
        for (const auto& w : j.value("workers", json::array())) {
            WorkerStats s;
            s.worker = w.value("worker", 0u);
            s.pid = w.value("pid", 0);
            s.tid = w.value("tid", 0);
            const auto ready = w.value("ready_ns", std::int64_t{-1});
            s.startupNs = ready > 0 ? std::max<std::int64_t>(0, ready - m_poolStartNs) : 0;
            s.cpuUserNs = w.value("user_ns", std::int64_t{0});
            s.cpuSystemNs = w.value("system_ns", std::int64_t{0});
            s.voluntarySwitches = w.value("voluntary", std::uint64_t{0});
            s.involuntarySwitches = w.value("involuntary", std::uint64_t{0});
            s.maxRssKib = std::max<std::int64_t>(0, w.value("max_rss_kib", std::int64_t{-1}));
            s.tasks = w.value("tasks", std::uint64_t{0});
            m_out.workers.push_back(s);
        }
        if (m_finished != m_results.size())
            m_out.error = "the Python runner finished with " + std::to_string(m_finished) + " of " +
                          std::to_string(m_results.size()) + " results";
    }

    /// Where each worker's share of the interpreter's timed window went, from its tasks.
    void fillBreakdowns() {
        const std::int64_t wall = m_out.wallNs.value_or(0);
        for (auto& w : m_out.workers) {
            TimeBreakdown& t = w.time;
            if (const auto it = m_taskTime.find(w.worker); it != m_taskTime.end()) t = it->second;
            t.startupNs = w.startupNs;
            const auto used = t.startupNs + t.computeNs + t.lockWaitNs + t.blockedNs;
            t.idleNs = std::max<std::int64_t>(0, wall - used);
        }
    }

    /// Ends the interpreter and everything it started, whatever happened: asked nicely after
    /// Done (its stdin closes), SIGTERM to its group after a failure or Ctrl-C (its runner
    /// terminates its pool), SIGKILL to the group when that is not enough.
    void finish() {
        flushEvents(true);
        m_toPy.reset();
        if (!m_proc.valid()) return;
        const bool clean = m_done && m_out.error.empty() && !m_out.cancelled;
        if (!clean) ::killpg(m_group, SIGTERM);
        auto exit = m_proc.wait(clean ? kExitGraceMs : kTermGraceMs);
        if (!exit) {
            ::killpg(m_group, SIGKILL);
            exit = m_proc.killAndWait();
        }
        // Anything of the group still there (a pool worker the runner could not join, its
        // fork server): the interpreter is gone, nothing is left to ask.
        ::killpg(m_group, SIGKILL);
        if (exit) {
            std::int64_t user = 0, system = 0;
            for (const auto& w : m_out.workers) {
                user += w.cpuUserNs;
                system += w.cpuSystemNs;
            }
            m_out.otherCpuUserNs =
                std::max<std::int64_t>(0, exit->cpuUserNs - user - m_startupCpuNs.first);
            m_out.otherCpuSystemNs =
                std::max<std::int64_t>(0, exit->cpuSystemNs - system - m_startupCpuNs.second);
        }
        if (!m_done && !m_out.cancelled) {
            std::string why = "the Python interpreter (" + m_req.python + ", pid " +
                              std::to_string(m_group) + ") " +
                              (exit ? describeWaitStatus(exit->status) : std::string("vanished"));
            why += m_hello ? " with " + std::to_string(m_finished) + " of " +
                                 std::to_string(m_results.size()) + " tasks done"
                           : " before the coreduel_py runner started";
            if (!m_out.error.empty()) why += " (" + m_out.error + ")";
            const std::string tail = tailOf(m_stderr.get());
            if (!tail.empty()) why += "; it said: " + tail;
            m_out.error = why;
        } else if (!m_out.error.empty() && !m_out.cancelled) {
            const std::string tail = tailOf(m_stderr.get(), 3);
            if (!tail.empty() && m_out.error.find("Traceback") == std::string::npos &&
                tail.find("Traceback") != std::string::npos)
                m_out.error += "; it said: " + tail;
        }
        if (m_out.error.empty() && !m_out.cancelled) {
            m_out.results = std::move(m_results);
            fillBreakdowns();
        }
    }

    const ExecRequest& m_req;
    ExecOutcome m_out;
    ChildProcess m_proc;
    pid_t m_group = -1;
    UniqueFd m_toPy, m_fromPy, m_stderr;
    std::vector<std::byte> m_in;
    std::vector<std::vector<std::byte>> m_results;
    std::vector<bool> m_have;
    std::vector<TaskEvent> m_events;
    std::map<std::uint32_t, TimeBreakdown> m_taskTime;  ///< per worker, from its tasks
    std::size_t m_finished = 0;
    std::size_t m_chunksize = 1;
    std::int64_t m_spawnedNs = 0, m_poolStartNs = 0, m_lastFlushNs = 0;
    std::pair<std::int64_t, std::int64_t> m_startupCpuNs{0, 0};  ///< user, system at hello
    bool m_hello = false, m_done = false, m_gilEnabled = true;
};

}  // namespace

std::string resolvePython(const std::string& asked) {
    const std::string name = asked.empty() ? "python3" : asked;
    const std::string path = findOnPath(name);
    if (!path.empty()) return path;
    if (asked.empty())
        throw InvalidArgument(
            "the py: models need python3, and there is none on PATH (on Debian: sudo apt-get "
            "install python3; or name an interpreter: --python PATH, or Interpreters in the "
            "window)");
    throw InvalidArgument("interpreter '" + asked + "': no such executable" +
                          (asked.find('/') == std::string::npos ? " on PATH" : ""));
}

bool hasPythonPort(const std::string& workload) {
    return std::find(std::begin(kPorts), std::end(kPorts), workload) != std::end(kPorts);
}

std::string pythonPortList() {
    std::string s;
    for (const char* p : kPorts) s += (s.empty() ? "" : ", ") + std::string(p);
    return s;
}

ExecOutcome runPython(const ExecRequest& request) {
    PythonRun run(request);
    return run.run();
}

}  // namespace coreduel
