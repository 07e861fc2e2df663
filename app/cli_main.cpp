// coreduel-cli: the engine from a terminal.
//   coreduel-cli list [--json]
//   coreduel-cli run --workload primes --models all --workers 1,2 [--json]

#include <CLI/CLI.hpp>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "app/bench_command.h"
#include "app/cli_options.h"
#include "app/lesson_command.h"
#include "app/profile_command.h"
#include "app/run_command.h"
#include "core/measure/ipc_lab.h"
#include "core/measure/cpu_sampler.h"
#include "core/report/formats.h"
#include "core/report/schema.h"
#include "core/run/compare.h"
#include "core/workloads/workload.h"

namespace {

const char* kindName(coreduel::ParamKind k) {
    switch (k) {
        case coreduel::ParamKind::Int:
            return "integer";
        case coreduel::ParamKind::Double:
            return "number";
        case coreduel::ParamKind::IntList:
            return "integer list";
        case coreduel::ParamKind::String:
            return "text";
        case coreduel::ParamKind::Path:
            return "path";
    }
    return "?";
}

std::string formatLimit(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, v == static_cast<long long>(v) ? "%.0f" : "%g", v);
    return buf;
}

int compareCommand(const std::string& basePath, const std::string& nextPath, double failIfSlower,
                   bool json) {
    using namespace coreduel;
    const auto base = loadResultFile(basePath);
    const auto next = loadResultFile(nextPath);
    if (base.experiment.workload != next.experiment.workload ||
        base.experiment.params != next.experiment.params) {
        std::string b, n;
        for (const auto& [k, v] : base.experiment.params) b += " " + k + "=" + v;
        for (const auto& [k, v] : next.experiment.params) n += " " + k + "=" + v;
        std::cerr << "note: the two results ran different experiments (" << base.experiment.workload
                  << b << " vs " << next.experiment.workload << n
                  << "): the comparison is of different work\n";
    }
    const auto rows = compareResults(base, next);
    if (rows.empty()) {
        std::cerr << "coreduel-cli: the two results have no configuration in common\n";
        return 2;
    }
    int regressions = 0;
    nlohmann::json j;
    j["schema"] = "coreduel.compare/1";
    if (!json)
        std::printf("%-30s %4s %4s %12s %12s %24s %9s  %s\n", "configuration", "n", "n", "base [s]",
                    "new [s]", "new/base (95% CI)", "p", "verdict");
    for (const auto& c : rows) {
        const double pct = (c.ratio.value - 1) * 100;
        std::string verdict =
            !c.significant ? "no significant difference"
            : pct > 0 ? "slower by " + std::to_string(static_cast<int>(std::lround(pct))) + " %"
                      : "faster by " + std::to_string(static_cast<int>(std::lround(-pct))) + " %";
        const bool regression = failIfSlower >= 0 && c.significant && pct > failIfSlower;
        if (regression) {
            ++regressions;
            verdict += "  REGRESSION";
        }
        if (c.base.n < 2 || c.next.n < 2)
            verdict += " (fewer than 2 repetitions: no test possible)";
        if (json) {
            j["configurations"].push_back({{"configuration", c.configuration},
                                           {"base_mean_seconds", c.base.mean},
                                           {"new_mean_seconds", c.next.mean},
                                           {"base_n", c.base.n},
                                           {"new_n", c.next.n},
                                           {"ratio", c.ratio.value},
                                           {"ratio_ci95_low", c.ratio.low},
                                           {"ratio_ci95_high", c.ratio.high},
                                           {"p_value_welch", c.pValue},
                                           {"significant", c.significant},
                                           {"regression", regression}});
        } else {
            char ci[64];
            std::snprintf(ci, sizeof ci, "%.3f (%.3f-%.3f)", c.ratio.value, c.ratio.low,
                          c.ratio.high);
            std::printf("%-30s %4zu %4zu %12.4f %12.4f %24s %9.4f  %s\n", c.configuration.c_str(),
                        c.base.n, c.next.n, c.base.mean, c.next.mean, ci, c.pValue,
                        verdict.c_str());
        }
    }
    if (json) {
        j["regressions"] = regressions;
        std::cout << j.dump(2) << '\n';
    } else {
        std::printf(
            "\nwall time means; p from Welch's two-sided t-test, significant below 0.05.\n");
    }
    return regressions > 0 ? 1 : 0;
}

std::size_t parseSize(const std::string& text) {
    std::size_t used = 0;
    unsigned long long v = 0;
    try {
        v = std::stoull(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    std::string suffix = text.substr(used);
    std::size_t mult = suffix.empty()                   ? 1
                       : suffix == "K" || suffix == "k" ? 1024
                       : suffix == "M"                  ? 1 << 20
                                                        : 0;
    if (used == 0 || mult == 0 || text[0] == '-' || v * mult > (64ull << 20) || v == 0)
        throw coreduel::InvalidArgument("bad message size '" + text +
                                        "' (allowed: 1 B to 64M, e.g. 8, 4K, 1M)");
    return static_cast<std::size_t>(v * mult);
}

int ipcCommand(const std::string& mechanisms, const std::string& sizes, double seconds, bool json) {
    using namespace coreduel;
    IpcLabOptions o;
    o.mechanisms = coreduel::splitList(mechanisms);
    for (const auto& m : o.mechanisms)
        if (m != "thread-queue" && m != "spin") parseTransport(m);  // refuse unknown names up front
    o.sizes.clear();
    for (const auto& s : coreduel::splitList(sizes)) o.sizes.push_back(parseSize(s));
    o.secondsPerPoint = seconds;
    if (!json)
        std::printf("%-13s %9s %7s %11s %11s %12s %14s %14s\n", "mechanism", "size [B]", "trips",
                    "p50 [us]", "p99 [us]", "thru [MiB/s]", "cpu send [us]", "cpu echo [us]");
    const auto results = runIpcLab(o, [&](const IpcMeasurement& m) {
        if (json) return;
        std::printf("%-13s %9zu %7zu %11.2f %11.2f %12.1f %14.2f %14.2f\n", m.mechanism.c_str(),
                    m.bytes, m.roundTrips, m.p50Us, m.p99Us, m.throughputMiBs, m.engineCpuUs,
                    m.peerCpuUs);
        std::fflush(stdout);
    });
    if (json) {
        nlohmann::json j;
        j["schema"] = "coreduel.ipc/1";
        j["units"] = {{"latency", "microseconds per round trip, steady clock"},
                      {"throughput", "MiB/s = 2 x size / median round trip"},
                      {"cpu", "microseconds of CPU per round trip (thread CPU clock)"}};
        for (const auto& m : results)
            j["results"].push_back({{"mechanism", m.mechanism},
                                    {"bytes", m.bytes},
                                    {"round_trips", m.roundTrips},
                                    {"p50_us", m.p50Us},
                                    {"p99_us", m.p99Us},
                                    {"mean_us", m.meanUs},
                                    {"throughput_mib_s", m.throughputMiBs},
                                    {"cpu_send_us", m.engineCpuUs},
                                    {"cpu_echo_us", m.peerCpuUs}});
        std::cout << j.dump(2) << '\n';
    } else {
        std::printf(
            "\nround trip = message there and back (echo process for pipe/unix/mqueue/shm; a "
            "second thread "
            "for the baselines); thru = 2 x size / p50; cpu from CLOCK_THREAD_CPUTIME_ID on each "
            "side.\n");
    }
    return 0;
}

/// Per-second averages of the sampler's windows: what mpstat -P ALL 1 prints, from our source.
int sampleCommand(double seconds, double hz) {
    using namespace coreduel;
    std::mutex mutex;
    std::vector<double> busy, user, system;
    std::int64_t windowNs = 0;
    int printed = 0;
    CpuSampler sampler(hz, [&](UtilizationSample&& s) {
        std::lock_guard lk(mutex);
        if (busy.size() < s.cores.size())
            busy.resize(s.cores.size()), user.resize(s.cores.size()), system.resize(s.cores.size());
        for (std::size_t c = 0; c < s.cores.size(); ++c) {
            busy[c] += s.cores[c].busy() * s.windowNs;
            user[c] += s.cores[c].user * s.windowNs;
            system[c] += s.cores[c].system * s.windowNs;
        }
        windowNs += s.windowNs;
        if (windowNs < 1'000'000'000 - s.windowNs / 2) return;
        std::printf("%3d s", ++printed);
        for (std::size_t c = 0; c < busy.size(); ++c)
            std::printf("  cpu%zu %5.1f%% (usr %5.1f sys %5.1f)", c, 100 * busy[c] / windowNs,
                        100 * user[c] / windowNs, 100 * system[c] / windowNs);
        std::printf("\n");
        std::fflush(stdout);
        std::fill(busy.begin(), busy.end(), 0.0);
        std::fill(user.begin(), user.end(), 0.0);
        std::fill(system.begin(), system.end(), 0.0);
        windowNs = 0;
    });
    std::printf(
        "per-core busy = user+nice+system+irq+softirq, from %s (%s); %.0f Hz windows summed to 1 "
        "s\n",
        sampler.info().systemSource.c_str(), "USER_HZ ticks: 1 % resolution over 1 s", hz);
    sampler.start();
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds + 0.02));
    sampler.stop();
    std::printf("sampler cost: %.3f %% of one core\n",
                100.0 * sampler.ownCpuSeconds() / sampler.ranSeconds());
    return 0;
}

int listCommand(bool json) {
    using namespace coreduel;
    if (json) {
        nlohmann::json j;
        for (const auto& w : workloadCatalog()) {
            nlohmann::json params = nlohmann::json::array();
            for (const auto& p : w.params) {
                nlohmann::json pj{{"name", p.name},
                                  {"type", kindName(p.kind)},
                                  {"default", p.defaultValue},
                                  {"unit", p.unit},
                                  {"help", p.help}};
                if (p.kind != ParamKind::String && p.kind != ParamKind::Path) {
                    pj["min"] = p.min;
                    pj["max"] = p.max;
                }
                params.push_back(pj);
            }
            j["workloads"].push_back({{"name", w.name},
                                      {"description", w.description},
                                      {"bound", toString(w.bound)},
                                      {"params", params}});
        }
        for (auto m : allModels()) j["models"].push_back(toString(m));
        j["start_methods"] = {"spawn", "forkserver", "fork"};
        j["schedules"] = {"dynamic", "static"};
        std::cout << j.dump(2) << '\n';
        return 0;
    }
    for (const auto& w : workloadCatalog()) {
        std::cout << w.name << " (" << toString(w.bound) << ")\n  " << w.description << '\n';
        for (const auto& p : w.params) {
            std::cout << "    " << p.name << " = "
                      << (p.defaultValue.empty() ? "\"\"" : p.defaultValue);
            if (!p.unit.empty()) std::cout << ' ' << p.unit;
            std::cout << "  (" << kindName(p.kind);
            if (p.kind != ParamKind::String && p.kind != ParamKind::Path)
                std::cout << ", " << formatLimit(p.min) << " to " << formatLimit(p.max);
            std::cout << ") " << p.help << '\n';
        }
    }
    std::cout << "models: sequential, threads, gil-threads, processes\n"
                 "start methods (processes): spawn, forkserver, fork\n"
                 "schedules: dynamic, static\n";
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    // profile takes a command line of its own after "--", which an option parser would eat.
    if (argc >= 2 && std::strcmp(argv[1], "profile") == 0)
        return coreduel::app::profileCommand(argc - 2, argv + 2);
    CLI::App app{
        "CoreDuel: the same workload as sequential code, threads, GIL-threads and "
        "processes, measured and verified."};
    app.require_subcommand(1);
    app.footer(
        "also: coreduel-cli profile [--label NAME] [-r N] [--shell] -- CMD ARGS... [--vs -- CMD2 "
        "ARGS...]\n"
        "      (see coreduel-cli profile --help)");

    bool listJson = false;
    auto* list =
        app.add_subcommand("list", "workloads with their parameters, models, start methods");
    list->add_flag("--json", listJson, "machine-readable output");
    list->footer(
        "examples:\n  coreduel-cli list\n  coreduel-cli list --json | jq '.workloads[].name'");

    coreduel::app::ExperimentFlags flags;
    bool json = false, quiet = false;
    auto* run = app.add_subcommand("run", "run one experiment and print the comparison");
    coreduel::app::addExperimentOptions(*run, flags);
    run->add_flag("--json", json, "print the results as JSON (schema coreduel.result/1)");
    bool csv = false, markdown = false;
    run->add_flag("--csv", csv, "print one CSV row per run");
    run->add_flag("--markdown", markdown, "print a Markdown report");
    run->add_flag("-q,--quiet", quiet, "no progress lines on stderr");
    std::string output;
    run->add_option("-o,--output", output,
                    "also write the result to this file, atomically; the extension picks the "
                    "format (.json .csv .md "
                    ".html .txt)");
    run->footer(
        "examples:\n"
        "  coreduel-cli run -w primes -m all -n 1,2\n"
        "  coreduel-cli run -w sleep -p tasks=32 -p ms=50 -n 1,2,8\n"
        "  coreduel-cli run -w square -m sequential,processes --chunksize 1,16,256 --json\n"
        "  coreduel-cli run -f experiment.json -n 1-4 -r 5 -o result.json");

    std::string ipcMechanisms = "pipe,unix,mqueue,shm,thread-queue,spin";
    std::string ipcSizes = "8,64,512,4K,32K,256K,1M,4M";
    double ipcSeconds = 0.2;
    bool ipcJson = false;
    auto* ipc = app.add_subcommand(
        "ipc", "the IPC lab: round-trip latency and throughput per transport and size");
    ipc->add_option("--transports", ipcMechanisms,
                    "pipe, unix, mqueue, shm, and the baselines thread-queue and spin")
        ->capture_default_str();
    ipc->add_option("--sizes", ipcSizes, "message sizes, with K and M suffixes (1 KiB = 1024 B)")
        ->capture_default_str();
    ipc->add_option("--seconds-per-point", ipcSeconds, "time budget per transport and size")
        ->capture_default_str()
        ->check(CLI::Range(0.001, 60.0));
    ipc->add_flag("--json", ipcJson, "machine-readable output");
    ipc->footer(
        "examples:\n  coreduel-cli ipc\n  coreduel-cli ipc --transports pipe,shm --sizes 8,1M "
        "--seconds-per-point 1");

    std::string cmpBase, cmpNext;
    double failIfSlower = -1;
    bool cmpJson = false;
    auto* compare =
        app.add_subcommand("compare", "compare two saved results configuration by configuration");
    compare->add_option("base", cmpBase, "the earlier result (coreduel.result/1)")
        ->required()
        ->check(CLI::ExistingFile);
    compare->add_option("new", cmpNext, "the later result")->required()->check(CLI::ExistingFile);
    compare
        ->add_option(
            "--fail-if-slower", failIfSlower,
            "exit 1 when a configuration got significantly slower by more than this many percent")
        ->check(CLI::Range(0.0, 1000.0));
    compare->add_flag("--json", cmpJson, "machine-readable output");
    compare->footer("example:\n  coreduel-cli compare before.json after.json --fail-if-slower 5");

    std::string reportIn, reportOut;
    auto* report =
        app.add_subcommand("report", "render a saved result as Markdown, HTML, CSV, JSON or text");
    report->add_option("result", reportIn, "a saved result (coreduel.result/1)")
        ->required()
        ->check(CLI::ExistingFile);
    report
        ->add_option(
            "-o,--output", reportOut,
            "where to write it; the extension picks the format (.md .html .csv .json .txt)")
        ->required();
    report->footer("example:\n  coreduel-cli report result.json -o report.html");

    bool benchQuick = false;
    auto* bench = app.add_subcommand(
        "bench", "check the performance goals; prints each as a ratio measured in this run");
    bench->add_flag("--quick", benchQuick, "fewer repetitions");
    bench->footer("exit status 1 when a goal is missed.\nexample:\n  coreduel-cli bench --quick");

    double sampleSeconds = 5, sampleHz = 20;
    auto* sample = app.add_subcommand(
        "sample", "print per-core utilization once a second (compare with mpstat -P ALL 1)");
    sample->add_option("--seconds", sampleSeconds, "how long to sample")
        ->capture_default_str()
        ->check(CLI::Range(1.0, 86400.0));
    sample->add_option("--hz", sampleHz, "sampling rate")
        ->capture_default_str()
        ->check(CLI::Range(0.5, 1000.0));
    sample->footer(
        "example (compare the two):\n  coreduel-cli sample --seconds 5 & mpstat -P ALL 1 5");

    coreduel::app::LessonOptions lessonOptions;
    std::vector<std::string> lessonPredictions;
    auto* lesson = app.add_subcommand(
        "lesson",
        "a lesson: question, your predictions, the run, the explanation with its numbers");
    lesson->add_option("name", lessonOptions.name, "lesson name (none: list the lessons)");
    lesson->add_flag("--quick", lessonOptions.quick, "a reduced size: seconds instead of a minute");
    lesson->add_option("--predict", lessonPredictions,
                       "your predicted speedup before the run, e.g. --predict processes=2");
    lesson->add_option("-o,--output", lessonOptions.output,
                       "also save the result (.json .csv .md .html)");
    lesson->footer(
        "examples:\n  coreduel-cli lesson\n  coreduel-cli lesson gil --predict "
        "threads=2 --predict gil-threads=1.5 --predict processes=2");

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        std::cerr << "coreduel-cli: " << e.what() << " (see --help)\n";
        return 2;
    }
    try {
        if (list->parsed()) return listCommand(listJson);
        if (sample->parsed()) return sampleCommand(sampleSeconds, sampleHz);
        if (bench->parsed()) return coreduel::app::benchCommand(benchQuick);
        if (lesson->parsed()) {
            for (const std::string& p : lessonPredictions) {
                const auto [model, value] = coreduel::splitKeyValue(p);
                std::size_t used = 0;
                double v = -1;
                try {
                    v = std::stod(value, &used);
                } catch (const std::exception&) {
                }
                if (used != value.size() || v < 0) {
                    throw coreduel::InvalidArgument("--predict " + p +
                                                    ": the speedup must be a number, e.g. 1.9");
                }
                lessonOptions.predictions[model] = v;
            }
            return coreduel::app::runLessonCommand(lessonOptions);
        }
        if (compare->parsed()) return compareCommand(cmpBase, cmpNext, failIfSlower, cmpJson);
        if (report->parsed()) {
            const auto result = coreduel::loadResultFile(reportIn);
            coreduel::writeFileAtomically(reportOut, coreduel::renderForFile(result, reportOut));
            std::cerr << "wrote " << reportOut << '\n';
            return 0;
        }
        if (ipc->parsed()) return ipcCommand(ipcMechanisms, ipcSizes, ipcSeconds, ipcJson);
        const auto experiment = coreduel::app::toExperiment(*run, flags);
        if (int(json) + int(csv) + int(markdown) > 1) {
            std::cerr << "coreduel-cli: choose one of --json, --csv, --markdown\n";
            return 2;
        }
        const auto format = json       ? coreduel::app::Format::Json
                            : csv      ? coreduel::app::Format::Csv
                            : markdown ? coreduel::app::Format::Markdown
                                       : coreduel::app::Format::Table;
        return coreduel::app::runExperimentInTerminal(experiment, format, quiet, output);
    } catch (const coreduel::InvalidArgument& e) {
        std::cerr << "coreduel-cli: " << e.what() << '\n';
        return 2;
    } catch (const coreduel::FileFormatError& e) {
        std::cerr << "coreduel-cli: " << e.what() << '\n';
        return 2;
    } catch (const std::system_error& e) {
        // A file that cannot be written (full disk, no permission): nothing half-written is left.
        std::cerr << "coreduel-cli: " << e.what() << '\n';
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "coreduel-cli: error: " << e.what() << '\n';
        return 1;
    }
}
