// python: your own Python function as a workload, task i = function(inputs[i]), run only by
// the real interpreter (py:sequential, py:threads, py:processes). Building it runs the
// interpreter once (coreduel_py.user_function.probe_main): it imports the file, finds the
// function, reads the inputs (a literal list, a file, or a name in the module), pickles each
// one and says whether a pool worker could be sent the function. The engine keeps the
// pickles and sends them as the tasks; the interpreter answers each task with the SHA-256 of
// the result's canonical encoding (coreduel_py/digest.py), which the engine checksums like
// any workload's result bytes. Nothing here runs the function in the engine's process.
// Reading a file that names this workload only checks the declaration (checkParams).

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/proc/child_process.h"
#include "core/util/clock.h"
#include "core/util/install_paths.h"
#include "core/util/sys.h"
#include "core/workloads/factories.h"

namespace coreduel::workloads {

namespace {

const char* const kFile = "file";
const char* const kFunction = "function";
const char* const kInputs = "inputs";
const char* const kPython = "python";
const char* const kSha = "file_sha256";
const char* const kBytes = "file_bytes";
constexpr std::int64_t kProbeTimeoutNs = 300'000'000'000;  // an import that reads a data set

constexpr const char* kProbe =
    "import sys; sys.path.insert(0, sys.argv[1]); import coreduel_py.user_function as u; "
    "u.probe_main(sys.argv[2:])";

/// What the probe found: the inputs' pickles and facts about the file.
struct Probe {
    std::vector<std::vector<std::byte>> inputs;
    std::string sha256, notSendable;
    std::uint64_t fileBytes = 0;
};

std::string readAllFrom(int fd) {
    std::string text;
    char buf[4096];
    for (off_t at = 0;;) {
        const ssize_t n = ::pread(fd, buf, sizeof buf, at);
        if (n <= 0) break;
        text.append(buf, static_cast<std::size_t>(n));
        at += n;
    }
    return text;
}

/// The last non-empty line of the probe's stderr: its one-line reason.
std::string lastLine(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    const auto pos = text.rfind('\n');
    return pos == std::string::npos ? text : text.substr(pos + 1);
}

std::string interpreter(const std::string& asked) {
    const std::string name = asked.empty() ? "python3" : asked;
    std::string path = findOnPath(name);
    if (path.empty())
        throw InvalidArgument("python: the interpreter " + name +
                              " was not found (on Debian: sudo apt-get install python3; or "
                              "name another: --python PATH, or Interpreters in the window)");
    return path;
}

/// Runs the probe to its end and returns its stdout; throws InvalidArgument with its line.
std::string runProbe(const ParamValues& p) {
    Pipe out = makePipe();
    UniqueFd err(::memfd_create("coreduel-python-probe", MFD_CLOEXEC));
    if (!err.valid()) throwSystemError("memfd_create");
    UniqueFd devnull(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    const std::string python = interpreter(p.getString(kPython));
    ChildProcess child =
        spawnProgram({python, "-u", "-B", "-E", "-s", "-c", kProbe, pythonPackageDirectory(),
                      p.getString(kFile), p.getString(kFunction), p.getString(kInputs)},
                     {{devnull.get(), 0}, {out.write.get(), 1}, {err.get(), 2}},
                     SpawnOptions{.newProcessGroup = true});
    out.write.reset();
    std::string data;
    const auto deadline = monotonicNs() + kProbeTimeoutNs;
    for (;;) {
        pollfd fd{out.read.get(), POLLIN, 0};
        const int rc = ::poll(&fd, 1, 100);
        if (rc < 0 && errno != EINTR) throwSystemError("poll");
        if (rc > 0) {
            char buf[65536];
            const ssize_t n = ::read(out.read.get(), buf, sizeof buf);
            if (n < 0 && errno != EINTR) throwSystemError("read from python");
            if (n == 0) break;
            if (n > 0) data.append(buf, static_cast<std::size_t>(n));
        }
        if (monotonicNs() > deadline) {
            ::killpg(child.pid(), SIGKILL);
            throw InvalidArgument("python: reading " + p.getString(kFile) +
                                  " and its inputs took longer than 300 s");
        }
    }
    auto exit = child.wait(kProbeTimeoutNs / 1'000'000);
    ::killpg(child.pid(), SIGKILL);  // anything the module started and left behind
    if (!exit) exit = child.killAndWait();
    const std::string said = lastLine(readAllFrom(err.get()));
    if (!exit || !WIFEXITED(exit->status) || WEXITSTATUS(exit->status) != 0)
        throw InvalidArgument(
            !said.empty()
                ? said
                : "python: checking " + p.getString(kFile) + " with " + python + " failed (" +
                      (exit ? describeWaitStatus(exit->status) : std::string("no exit status")) +
                      ")");
    return data;
}

Probe probe(const ParamValues& p) {
    const std::string data = runProbe(p);
    const auto eol = data.find('\n');
    if (eol == std::string::npos)
        throw std::runtime_error("python: the probe gave no answer for " + p.getString(kFile));
    const auto head = nlohmann::json::parse(data.substr(0, eol));
    Probe r;
    r.sha256 = head.at("file_sha256").get<std::string>();
    r.fileBytes = head.at("file_bytes").get<std::uint64_t>();
    if (head.at("not_sendable").is_string()) r.notSendable = head["not_sendable"];
    const auto tasks = head.at("tasks").get<std::size_t>();
    std::size_t at = eol + 1;
    for (std::size_t i = 0; i < tasks; ++i) {
        std::uint32_t n = 0;
        if (data.size() - at < 4) throw std::runtime_error("python: the probe's answer is cut");
        std::memcpy(&n, data.data() + at, 4);
        at += 4;
        if (data.size() - at < n) throw std::runtime_error("python: the probe's answer is cut");
        const auto* first = reinterpret_cast<const std::byte*>(data.data() + at);
        r.inputs.emplace_back(first, first + n);
        at += n;
    }
    return r;
}

class PythonFunction final : public Workload {
public:
    explicit PythonFunction(ParamValues p) : Workload(std::move(p)), m_probe(probe(params())) {
        const auto& recorded = params().getString(kSha);
        if (!recorded.empty() && recorded != m_probe.sha256)
            throw InvalidArgument("python: " + params().getString(kFile) +
                                  " is not the file this experiment recorded (sha256 " + recorded +
                                  ", now " + m_probe.sha256 +
                                  "); it changed since: to run it as it is now, leave out "
                                  "file_sha256 (in the window: choose the file again)");
    }
    const WorkloadInfo& info() const override { return PythonFunctionInfo(); }
    std::size_t taskCount() const override { return m_probe.inputs.size(); }

    void encodeTask(std::size_t index, ByteWriter& out) const override {
        const auto& input = m_probe.inputs.at(index);
        out.raw(input.data(), input.size());
    }
    void compute(ByteReader&, ByteWriter&, ExecContext&) const override {
        throw std::logic_error("python: a Python function runs only in the interpreter");
    }
    std::string summarize(const std::vector<std::vector<std::byte>>& results) const override {
        const auto name = std::filesystem::path(params().getString(kFile)).filename().string();
        return std::to_string(results.size()) + " results of " + params().getString(kFunction) +
               "() in " + name + " (sha256 " + m_probe.sha256.substr(0, 12) + "...)";
    }
    std::string whyNotUnder(Model m) const override {
        if (m == Model::PyProcesses && !m_probe.notSendable.empty())
            return m_probe.notSendable + " (py:processes)";
        return {};
    }
    std::map<std::string, std::string> recordedParams() const override {
        return {{kSha, m_probe.sha256}, {kBytes, std::to_string(m_probe.fileBytes)}};
    }

private:
    Probe m_probe;
};

}  // namespace

const WorkloadInfo& PythonFunctionInfo() {
    static const WorkloadInfo info{
        "python",
        "Your own Python function: task i is function(inputs[i]), run by the real "
        "interpreter under the py: models only; each result's canonical digest is checked.",
        Boundedness::Cpu,
        {
            {kFile, ParamKind::Path, "", 0, 0, "", "the Python file that defines the function"},
            {kFunction, ParamKind::String, "", 0, 0, "", "the function's name in that file"},
            {kInputs, ParamKind::String, "", 0, 0, "",
             "a Python list (\"[1, 2, 3]\"), a file of inputs (.json: one JSON list; else one "
             "Python literal per line) or the name of a list or function in the file"},
            {kPython, ParamKind::String, "", 0, 0, "",
             "the interpreter that reads the inputs (set from --python; default python3)", true},
            {kSha, ParamKind::String, "", 0, 0, "",
             "recorded by a run: the file's SHA-256; given, a run refuses a file that differs",
             true},
            {kBytes, ParamKind::String, "", 0, 0, "", "recorded by a run: the file's size", true},
        },
        /*userCode=*/true,
        /*pythonOnly=*/true};
    return info;
}

std::unique_ptr<Workload> createPythonFunction(ParamValues params) {
    auto given = params.all();
    for (const char* key : {kFile, kFunction, kInputs})
        if (given.at(key).empty())
            throw InvalidArgument(std::string("python: parameter '") + key +
                                  "' is required: the file, the function's name in it and its "
                                  "inputs (a list such as [1, 2, 3])");
    // Absolute, so that the interpreter and its pool workers import the same file.
    given[kFile] = std::filesystem::absolute(given[kFile]).lexically_normal().string();
    const auto& info = PythonFunctionInfo();
    return std::make_unique<PythonFunction>(ParamValues(info.name, info.params, given, false));
}

}  // namespace coreduel::workloads
