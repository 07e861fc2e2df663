#include "app/profile_command.h"

#include <sys/wait.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/measure/profiler.h"
#include "core/run/compare.h"
#include "core/stats/summary.h"
#include "core/util/sys.h"

namespace coreduel::app {

namespace {

std::atomic<bool> g_stop{false};
void onSigint(int) {
    g_stop.store(true);
}

const char* kUsage =
    "usage: coreduel-cli profile [--label NAME] [--vs-label NAME] [-r N] [--shell] [--timeout S] "
    "[--json]\n"
    "                            -- CMD ARGS... [--vs -- CMD2 ARGS...]\n"
    "Runs CMD (and CMD2) N times, samples per-core utilization while it runs, follows its whole\n"
    "process tree (CPU time, peak RSS, threads per process) and compares the two commands.\n"
    "Commands run directly from their argv; --shell runs each as one /bin/sh -c string.\n"
    "options:\n"
    "  --label NAME            the name of CMD in the output (default: its command line)\n"
    "  --vs-label NAME         the name of CMD2\n"
    "  -r, --repetitions N     runs of each command, 1 to 1000 (default: 3)\n"
    "  --shell                 run each command as one /bin/sh -c string\n"
    "  --timeout S             kill a command's whole process tree after S seconds (0: never)\n"
    "  --json                  machine-readable output\n"
    "  -h, --help              print this help and exit\n"
    "examples:\n"
    "  coreduel-cli profile -r 5 --label threads -- python3 fact_threads.py --vs -- python3 "
    "fact_pool.py\n"
    "  coreduel-cli profile --shell -- 'make -j2'\n";

struct Profiled {
    std::string label;
    std::vector<ProfileRun> runs;
};

std::string describe(int status) {
    return describeWaitStatus(status);
}

void printOne(const Profiled& p) {
    std::printf("== %s ==\n%4s %10s %10s %10s %12s %14s %10s %10s  %s\n", p.label.c_str(), "rep",
                "wall [s]", "user [s]", "sys [s]", "cores used", "max RSS [MiB]", "processes",
                "threads", "exit");
    for (std::size_t i = 0; i < p.runs.size(); ++i) {
        const auto& r = p.runs[i];
        unsigned threads = 0;
        for (const auto& proc : r.processes) threads += proc.maxThreads;
        std::printf("%4zu %10.3f %10.3f %10.3f %12.2f %14.1f %10zu %10u  %s\n", i + 1,
                    r.wallSeconds, r.cpuUserSeconds, r.cpuSystemSeconds,
                    (r.cpuUserSeconds + r.cpuSystemSeconds) / std::max(r.wallSeconds, 1e-9),
                    static_cast<double>(r.maxRssKib) / 1024.0, r.processes.size(), threads,
                    describe(r.exitStatus).c_str());
    }
    const auto& last = p.runs.back();
    std::printf(
        "process tree of the last run (sampled every 50 ms: processes shorter than that may be "
        "missed;\n"
        "their CPU time is still in the totals above, from wait4):\n");
    for (const auto& proc : last.processes)
        std::printf("  pid %-7d parent %-7d %-16s cpu %7.2f s  peak RSS %8.1f MiB  threads %u\n",
                    proc.pid, proc.parent, proc.name.c_str(), proc.cpuSeconds,
                    static_cast<double>(proc.peakRssKib) / 1024.0, proc.maxThreads);
    std::printf("per-core busy over the last run (/proc/stat):");
    for (std::size_t c = 0; c < last.coreBusy.size(); ++c)
        std::printf("  cpu%zu %.0f%%", c, last.coreBusy[c] * 100);
    std::vector<double> walls;
    for (const auto& r : p.runs) walls.push_back(r.wallSeconds);
    const auto s = summarize(walls);
    std::printf("\nwall: mean %.4f s (95%% CI %.4f-%.4f), median %.4f s, n=%zu\n\n", s.mean,
                s.ciLow, s.ciHigh, s.median, s.n);
}

nlohmann::json toJson(const Profiled& p) {
    nlohmann::json j{{"label", p.label}, {"runs", nlohmann::json::array()}};
    for (const auto& r : p.runs) {
        nlohmann::json procs = nlohmann::json::array();
        for (const auto& proc : r.processes)
            procs.push_back({{"pid", proc.pid},
                             {"parent", proc.parent},
                             {"name", proc.name},
                             {"cpu_seconds", proc.cpuSeconds},
                             {"peak_rss_kib", proc.peakRssKib},
                             {"max_threads", proc.maxThreads}});
        j["runs"].push_back({{"wall_seconds", r.wallSeconds},
                             {"cpu_user_seconds", r.cpuUserSeconds},
                             {"cpu_system_seconds", r.cpuSystemSeconds},
                             {"max_rss_kib", r.maxRssKib},
                             {"exit", describe(r.exitStatus)},
                             {"processes", procs},
                             {"core_busy", r.coreBusy}});
    }
    return j;
}

}  // namespace

const char* profileUsage() {
    return kUsage;
}

int profileCommand(int argc, char** argv) {
    std::string labelA, labelB;
    unsigned reps = 3;
    bool shell = false, json = false;
    double timeout = 0;
    std::vector<std::string> a, b;
    int i = 0;
    auto bad = [](const std::string& why) {
        std::cerr << "coreduel-cli profile: " << why << "\n" << kUsage;
        return 2;
    };
    for (; i < argc && std::strcmp(argv[i], "--") != 0; ++i) {
        const std::string opt = argv[i];
        auto value = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
        if (opt == "-h" || opt == "--help") {
            std::cout << kUsage;
            return 0;
        } else if (opt == "--label") {
            labelA = value();
        } else if (opt == "--vs-label") {
            labelB = value();
        } else if (opt == "-r" || opt == "--repetitions") {
            const auto v = value();
            char* end = nullptr;
            const long n = std::strtol(v.c_str(), &end, 10);
            if (v.empty() || *end != '\0' || n < 1 || n > 1000)
                return bad("-r must be a number from 1 to 1000");
            reps = static_cast<unsigned>(n);
        } else if (opt == "--timeout") {
            const auto v = value();
            char* end = nullptr;
            timeout = std::strtod(v.c_str(), &end);
            if (v.empty() || *end != '\0' || timeout < 0)
                return bad("--timeout must be seconds >= 0");
        } else if (opt == "--shell") {
            shell = true;
        } else if (opt == "--json") {
            json = true;
        } else {
            return bad("unknown option '" + opt + "'");
        }
    }
    if (i >= argc) return bad("no command: put it after --");
    for (++i; i < argc; ++i) {
        if (std::strcmp(argv[i], "--vs") == 0) {
            if (i + 1 >= argc || std::strcmp(argv[i + 1], "--") != 0)
                return bad("--vs must be followed by -- CMD");
            for (i += 2; i < argc; ++i) b.emplace_back(argv[i]);
            break;
        }
        a.emplace_back(argv[i]);
    }
    if (a.empty()) return bad("no command after --");
    if (std::strcmp(argv[argc - 1], "--") == 0 && b.empty() && argc > 1 &&
        std::strcmp(argv[argc - 2], "--vs") == 0)
        return bad("no command after --vs --");
    if (shell && (a.size() != 1 || b.size() > 1))
        return bad("with --shell give each command as one quoted string");
    auto nameOf = [](const std::vector<std::string>& cmd) {
        std::string s;
        for (const auto& w : cmd) s += (s.empty() ? "" : " ") + w;
        return s.size() > 40 ? s.substr(0, 37) + "..." : s;
    };
    if (labelA.empty()) labelA = nameOf(a);
    if (labelB.empty() && !b.empty()) labelB = nameOf(b);

    struct sigaction sa {};
    sa.sa_handler = onSigint;
    sigemptyset(&sa.sa_mask);
    struct sigaction old {};
    ::sigaction(SIGINT, &sa, &old);
    std::vector<Profiled> results;
    try {
        for (auto* cmd : {&a, &b}) {
            if (cmd->empty()) continue;
            Profiled p{cmd == &a ? labelA : labelB, {}};
            for (unsigned r = 0; r < reps && !g_stop.load(); ++r) {
                if (!json) std::fprintf(stderr, "%s: run %u/%u\n", p.label.c_str(), r + 1, reps);
                ProfileOptions o{*cmd, shell, 20, timeout};
                p.runs.push_back(profileOnce(o, &g_stop));
            }
            if (!p.runs.empty()) results.push_back(std::move(p));
        }
    } catch (const std::system_error& e) {
        ::sigaction(SIGINT, &old, nullptr);
        std::cerr << "coreduel-cli profile: " << e.what() << '\n';
        return 2;
    }
    ::sigaction(SIGINT, &old, nullptr);

    if (json) {
        nlohmann::json j{{"schema", "coreduel.profile/1"}, {"commands", nlohmann::json::array()}};
        for (const auto& p : results) j["commands"].push_back(toJson(p));
        std::cout << j.dump(2) << '\n';
    } else {
        for (const auto& p : results) printOne(p);
    }
    if (results.size() == 2 && !json) {
        std::vector<double> wa, wb;
        for (const auto& r : results[0].runs) wa.push_back(r.wallSeconds);
        for (const auto& r : results[1].runs) wb.push_back(r.wallSeconds);
        const auto sa2 = summarize(wa), sb = summarize(wb);
        const double p = welchPValue(sa2, sb);
        std::printf("\n%s vs %s: %s is %.2fx %s (Welch p = %.4f%s)\n", results[0].label.c_str(),
                    results[1].label.c_str(), results[1].label.c_str(),
                    sb.mean > 0 ? std::max(sa2.mean / sb.mean, sb.mean / sa2.mean) : 0,
                    sb.mean < sa2.mean ? "faster" : "slower", p,
                    p < 0.05 ? ", significant" : ", not significant");
    }
    if (g_stop.load()) return 130;
    for (const auto& p : results)
        for (const auto& r : p.runs)
            if (!(WIFEXITED(r.exitStatus) && WEXITSTATUS(r.exitStatus) == 0)) return 1;
    return 0;
}

}  // namespace coreduel::app
