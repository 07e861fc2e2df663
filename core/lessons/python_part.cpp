// Real-Python lesson parts: python3 from PATH runs an example script under the profiler.

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "core/lessons/lesson.h"
#include "core/measure/profiler.h"
#include "core/util/errors.h"
#include "core/util/install_paths.h"

namespace coreduel {
namespace fs = std::filesystem;

std::string pythonExecutable() {
    return findOnPath("python3");
}

ExperimentResult runPythonPart(const Lesson& lesson, std::size_t part, bool quick,
                               const std::atomic<bool>* cancel) {
    const LessonPart& p = lesson.parts.at(part);
    const std::string python = pythonExecutable();
    if (python.empty()) {
        throw InvalidArgument("python3 is not installed (on Debian: sudo apt-get install python3)");
    }
    std::vector<std::string> argv = quick ? p.quickPython : p.python;
    argv.front() = (fs::path(examplesDirectory()) / argv.front()).string();
    argv.insert(argv.begin(), python);
    ProfileOptions options;
    options.argv = argv;
    const ProfileRun run = profileOnce(options, cancel);
    ExperimentResult r;
    r.environment = probeEnvironment();
    RunResult rr;
    rr.workload = "python: " + (quick ? p.quickPython : p.python).front();
    rr.wallSeconds = run.wallSeconds;
    rr.cpuUserSeconds = run.cpuUserSeconds;
    rr.cpuSystemSeconds = run.cpuSystemSeconds;
    rr.maxProcessRssKib = run.maxRssKib;
    rr.ok = WIFEXITED(run.exitStatus) && WEXITSTATUS(run.exitStatus) == 0;
    rr.cancelled = cancel != nullptr && cancel->load();
    rr.error =
        rr.ok ? ""
              : "python3 " + argv[1] + " failed (status " + std::to_string(run.exitStatus) + ")";
    rr.summary = rr.workload + ": " + std::to_string(run.processes.size()) + " processes seen";
    r.runs.push_back(rr);
    r.cancelled = rr.cancelled;
    return r;
}

}  // namespace coreduel
