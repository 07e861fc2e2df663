#include "app/bench_window.h"

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <regex>

#include "app/program_run.h"
#include "core/report/schema.h"
#include "core/run/analysis.h"
#include "core/util/errors.h"

namespace coreduel::app {

namespace {

bool set(const char* name) {
    const char* v = std::getenv(name);
    return v != nullptr && *v != '\0';
}

}  // namespace

WindowBench::WindowBench(unsigned repetitions) {
    m_window = siblingProgram("coreduel", "the window's cost goal");
    m_cli = (std::filesystem::path(m_window).parent_path() / "coreduel-cli").string();
    m_display = set("DISPLAY") || set("WAYLAND_DISPLAY");
    std::string tmpl = (std::filesystem::temp_directory_path() / "coreduel-bench-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) throwSystemError("mkdtemp " + tmpl);
    m_dir = tmpl;
    Experiment e;
    e.workload = "primes";
    e.models = {Model::Sequential, Model::Threads, Model::Processes};
    e.workerCounts = {2};
    e.repetitions = repetitions;
    m_experiment = m_dir + "/experiment.json";
    writeFileAtomically(m_experiment, toJson(e).dump(2));
}

WindowBench::~WindowBench() {
    std::error_code ec;
    std::filesystem::remove_all(m_dir, ec);
}

std::string WindowBench::where() const {
    if (!m_display) return "offscreen (no display: the display server's drawing is not in it)";
    const char* d = std::getenv("DISPLAY");
    return std::string("on the display ") + (d != nullptr ? d : "(Wayland)") +
           " (its server's drawing competes for the CPUs too)";
}

PairedGoal WindowBench::goal() const {
    return {"window speedup / CLI speedup (same experiment)",
            0.97,
            false,
            "x",
            "window",
            "coreduel-cli",
            "x",
            "primes, sequential/threads/processes x2; speedup = geometric mean of threads and "
            "processes x2; the window " +
                where()};
}

PairedSpec WindowBench::spec(unsigned rounds) {
    return {rounds, [this] { return inWindow(); }, [this] { return inCli(); }, {}};
}

double WindowBench::speedupOf(const std::string& path) {
    const ExperimentResult r = loadResultFile(path);
    double logSum = 0;
    for (Model m : {Model::Threads, Model::Processes}) {
        const ConfigSummary* c = r.analysis.find(m, 2, 0);
        if (c == nullptr || !c->speedup)
            throw InvalidArgument(path + ": no verified " + std::string(toString(m)) +
                                  " x2 speedup");
        logSum += std::log(c->speedup->value);
    }
    return std::exp(logSum / 2);
}

double WindowBench::inWindow() {
    const std::string out = m_dir + "/window.json";
    std::vector<std::string> env;
    if (!m_display) env.emplace_back("QT_QPA_PLATFORM=offscreen");
    const ProgramRun run = runProgram(
        {m_window, "--run", m_experiment, "--quit-when-done", "--export-result", out}, env);
    if (!run.ok) throw InvalidArgument("the window " + run.how + ": " + run.stderrText);
    // Its own account: "... used 1.2 % of one core".
    static const std::regex used(R"(used ([0-9.]+) % of one core)");
    std::smatch m;
    if (std::regex_search(run.stderrText, m, used)) m_guiCpu.push_back(std::stod(m[1]));
    return speedupOf(out);
}

double WindowBench::inCli() {
    const std::string out = m_dir + "/cli.json";
    const ProgramRun run = runProgram({m_cli, "run", "-f", m_experiment, "-q", "-o", out});
    if (!run.ok) throw InvalidArgument("coreduel-cli " + run.how + ": " + run.stderrText);
    return speedupOf(out);
}

}  // namespace coreduel::app
