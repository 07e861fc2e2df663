#include "core/report/table_report.h"

#include "core/report/mpi_text.h"
#include "core/report/run_columns.h"
#include "core/stats/summary.h"
#include "core/util/format.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>

namespace coreduel {

namespace {

constexpr auto& fmt = formatNumber;

/// Columns on a terminal: UTF-8 continuation bytes take none (the "·" of interpreter names).
std::size_t displayWidth(const std::string& s) {
    std::size_t n = 0;
    for (const unsigned char ch : s) n += (ch & 0xC0) != 0x80;
    return n;
}

std::vector<std::string> cells(const RunResult& r, const ExperimentResult& result,
                               const std::vector<const RunColumn*>& columns) {
    std::vector<std::string> out;
    for (const auto* c : columns) out.push_back(c->text(r, result));
    return out;
}

}  // namespace

std::string formatRunLine(const RunResult& r) {
    // As a run ends its configuration's speedup is not known yet (its baseline's repetitions
    // are still to come): the line leaves it out rather than show a number that changes.
    std::vector<const RunColumn*> columns;
    for (const auto* c : runColumnsFor(kConsole, r.workload))
        if (std::string(c->key) != "speedup" && std::string(c->key) != "efficiency")
            columns.push_back(c);
    std::string line;
    auto c = cells(r, ExperimentResult{}, columns);
    // Several interpreters may be on the axis and the line cannot know yet: a py: run names
    // its own, as its row will ("py:threads · CPython 3.13t (no GIL)").
    if (isPython(r.config.model) && !r.interpreterLabel.empty() && !columns.empty() &&
        std::string(columns.front()->key) == "model")
        c.front() += " \u00b7 " + r.interpreterLabel;
    for (std::size_t i = 0; i < c.size(); ++i) line += (i ? "  " : "") + c[i];
    return line;
}

std::string formatMachine(const Environment& env) {
    std::ostringstream os;
    os << env.cpuModel << ", " << env.logicalCpus << " logical CPUs (" << env.physicalCores
       << " cores, " << env.threadsPerCore << (env.threadsPerCore == 1 ? " thread" : " threads")
       << " per core; this process may use " << env.affinity << "), " << env.kernel << ", governor "
       << env.governor << ", load " << fmt("%.2f", env.loadAverage1m);
    return os.str();
}

std::string formatTable(const ExperimentResult& result) {
    const auto kColumns = runColumnsFor(kConsole, result.experiment.workload);
    std::vector<std::vector<std::string>> rows;
    for (const RunResult* r : result.runsInDisplayOrder())
        rows.push_back(cells(*r, result, kColumns));
    const std::size_t n = kColumns.size();
    std::vector<std::size_t> width(n);
    for (std::size_t i = 0; i < n; ++i) width[i] = std::string(kColumns[i]->title).size();
    for (const auto& row : rows)
        for (std::size_t i = 0; i + 1 < n; ++i) width[i] = std::max(width[i], displayWidth(row[i]));

    std::ostringstream os;
    auto emit = [&](const std::vector<std::string>& row) {
        std::string line;
        for (std::size_t i = 0; i < n; ++i) {
            const auto& cell = row[i];
            const std::size_t pad =
                i + 1 < n && width[i] > displayWidth(cell) ? width[i] - displayWidth(cell) : 0;
            if (kColumns[i]->left)
                line += cell + std::string(i + 1 < n ? pad : 0, ' ');
            else
                line += std::string(pad, ' ') + cell;
            if (i + 1 < n) line += "  ";
        }
        while (!line.empty() && line.back() == ' ') line.pop_back();
        os << line << '\n';
    };
    std::vector<std::string> header;
    for (const auto* c : kColumns) header.emplace_back(c->title);
    emit(header);
    for (const auto& row : rows) emit(row);
    os << '\n' << formatMethod(result);
    return os.str();
}

std::string formatMethod(const ExperimentResult& result) {
    std::ostringstream os;
    const auto& e = result.experiment;
    os << "workload: " << e.workload;
    for (const auto& [k, v] : e.params) os << ' ' << k << '=' << v;
    for (const auto& r : result.runs) {
        if (r.ok && !r.summary.empty()) {
            os << "\nresult:   " << r.summary;
            break;
        }
    }
    const auto& env = result.environment;
    os << "\nmachine:  " << formatMachine(env);
    if (!env.python.empty()) os << "\npython:   " << env.python;
    os << "\ncounters: hardware " << env.hardwareCounters
       << "\nwall = steady clock around the whole run (worker start-up and teardown included); "
          "cpu = getrusage of the engine thread and every worker; peak RSS = engine VmHWM + "
          "each worker process's own VmHWM; speedup = the configuration's (mean sequential wall / "
          "its mean wall, the same on each of its runs), shown only when the checksum matches "
          "the sequential one.\n";
    bool python = false, native = false;
    for (const auto& r : result.runs) {
        python = python || isPython(r.config.model);
        native = native || !isPython(r.config.model);
    }
    if (python)
        os << "py: rows ran in the real interpreter: wall = its own timed window around its "
              "loop or pool (pool start-up and join included, the interpreter's own start-up "
              "not); speedup = mean py:sequential wall / mean wall; checksums against the "
           << (native ? "native sequential run"
                      : "py:sequential run (a Python function has no native one)")
           << ".\n";
    writeMpiNotes(os, result);
    if (result.experiment.seed != 0)
        os << "order:    the sequential baseline warmed up first; repetitions interleaved in "
              "rounds, "
              "each round's configurations shuffled (seed "
           << result.experiment.seed << ": --seed repeats this order)\n";
    if (result.experiment.weakScaling)
        os << "weak scaling: p workers did p copies of the job; speedup = p x sequential wall / "
              "wall (Gustafson's "
              "scaled speedup), checked against the sequential results repeated p times.\n";
    if (result.samples > 0) {
        os << "sampler:  " << result.samples << " samples at "
           << fmt("%.0f", 1.0 / result.sampler.intervalSeconds) << " Hz; per-core from "
           << result.sampler.systemSource << " (resolution "
           << fmt("%.0f", result.sampler.systemResolutionPct())
           << " points per window: USER_HZ ticks), our workers from " << result.sampler.oursSource
           << " (ns); its own cost " << fmt("%.2f", result.samplerCostPct) << " % of one core\n";
    }
    return os.str();
}

namespace {

std::string chunkText(const ConfigSummary& c) {
    if (isSequential(c.model)) return "-";
    return c.chunksize == 0 ? "auto" : std::to_string(c.chunksize);
}

/// Per configuration: the statistics over its repetitions, its speedup, efficiency and
/// Karp-Flatt fraction.
std::string formatConfigTable(const Analysis& a) {
    std::ostringstream os;
    os << "per configuration (mean over repetitions; " << kSpeedupEstimator << "):\n";
    // Wide enough for "py:threads · CPython 3.13t (no GIL)" when several interpreters ran.
    std::size_t nameWidth = 12;
    for (const auto& c : a.configs) nameWidth = std::max(nameWidth, displayWidth(a.name(c)));
    auto nameCell = [&](const ConfigSummary& c) {
        const std::string name = a.name(c);
        return name + std::string(nameWidth - displayWidth(name), ' ');
    };
    char line[400];
    std::snprintf(line, sizeof line, "%-*s %7s %6s %3s %10s %20s %8s %22s %10s %10s\n",
                  static_cast<int>(nameWidth), "model", "workers", "chunk", "n", "median [s]",
                  "mean [s] (95% CI)", "sd [s]", "speedup [x] (95% CI)", "efficiency",
                  "Karp-Flatt");
    os << line;
    for (const auto& c : a.configs) {
        if (c.wall.n == 0) {
            std::snprintf(line, sizeof line, "%s %7u %6s %3zu  all %zu runs failed\n",
                          nameCell(c).c_str(), c.workers, chunkText(c).c_str(), c.wall.n, c.failed);
            os << line;
            continue;
        }
        char mean[64], speed[64] = "-", eff[16] = "-", kf[16] = "-";
        if (c.wall.hasInterval)
            std::snprintf(mean, sizeof mean, "%.4f (%.4f-%.4f)", c.wall.mean, c.wall.ciLow,
                          c.wall.ciHigh);
        else
            std::snprintf(mean, sizeof mean, "%.4f (n<3: none)", c.wall.mean);
        if (c.speedup && c.speedup->hasRange)
            std::snprintf(speed, sizeof speed, "%.2f (%.2f-%.2f%s)", c.speedup->value,
                          c.speedup->low, c.speedup->high, c.intervalCapped ? "*" : "");
        else if (c.speedup)
            std::snprintf(speed, sizeof speed, "%.2f (n<3: none)", c.speedup->value);
        if (c.efficiency) std::snprintf(eff, sizeof eff, "%.0f%%", c.efficiency->value * 100);
        if (c.karpFlatt) std::snprintf(kf, sizeof kf, "%.3f", *c.karpFlatt);
        std::snprintf(line, sizeof line, "%s %7u %6s %3zu %10.4f %20s %8.4f %22s %10s %10s\n",
                      nameCell(c).c_str(), c.workers, chunkText(c).c_str(), c.wall.n, c.wall.median,
                      mean, c.wall.stddev, speed, eff, kf);
        os << line;
    }
    if (std::any_of(a.configs.begin(), a.configs.end(),
                    [](const ConfigSummary& c) { return c.intervalCapped; }))
        os << "* the interval's upper end cut at the most these workers can reach here "
              "(min(workers, cores)), or at the speedup itself where that is higher; as "
              "computed it reaches past it\n";
    return os.str();
}

/// How to read the table's Karp-Flatt column (after the fits).
constexpr const char* kKarpFlattText =
    "Karp-Flatt e = (1/S - 1/p) / (1 - 1/p), p = min(workers, cores) (table above), is the "
    "serial fraction each point implies on its own: about constant in p, a serial part "
    "explains the loss; growing with p, the overhead grows with the workers. None ('-') for a "
    "point slower than the baseline: its loss is overhead, not a serial fraction.\n\n";

}  // namespace

std::string formatAnalysis(const ExperimentResult& result) {
    const auto& a = result.analysis;
    std::ostringstream os;
    bool repeated = false;
    for (const auto& c : a.configs) repeated = repeated || c.wall.n >= 2;
    if (repeated) os << formatConfigTable(a) << '\n';
    bool anyBreakdown = false;
    for (const auto& r : result.runs)
        anyBreakdown = anyBreakdown || (r.ok && r.config.model != Model::Sequential &&
                                        r.time.computeNs + r.time.blockedNs > 0);
    if (anyBreakdown) {
        os << "where the time went (first repetition; % of workers x wall, measured per worker; "
              "on CPU = the thread's CPU time inside tasks, blocked = inside tasks but off CPU "
              "(I/O, sleep, page faults, or waiting for a CPU); engine = the engine's own work "
              "for the workers, in ms):\n";
        for (const RunResult* run : result.runsInDisplayOrder()) {
            const RunResult& r = *run;
            if (!r.ok || r.config.model == Model::Sequential || r.config.repetition != 0) continue;
            const auto& t = r.time;
            const double total = static_cast<double>(r.config.workers) * r.wallSeconds * 1e9;
            if (total <= 0 || t.startupNs + t.computeNs + t.blockedNs + t.idleNs == 0)
                continue;  // not measured (reloaded)
            auto pct = [&](std::int64_t ns) {
                return fmt("%.1f%%", 100.0 * static_cast<double>(ns) / total);
            };
            os << "- " << a.name(r.config, modelLabel(r.config)) << " x" << r.config.workers
               << (result.experiment.chunksizes.size() > 1 ? " chunk " + std::to_string(r.chunksize)
                                                           : "")
               << ": ";
            if (r.config.model == Model::GilThreads) {
                os << (r.config.gilReleasedByTasks ? "on CPU (native code, GIL released) "
                                                   : "on CPU holding the GIL ")
                   << pct(t.computeNs) << ", waiting for the GIL " << pct(t.lockWaitNs)
                   << ", blocked without the GIL " << pct(t.blockedNs);
            } else if (r.gilWaitInferred) {
                os << "on CPU " << pct(t.computeNs) << ", waiting for the GIL (inferred: off CPU "
                   << "in a CPU-bound task) " << pct(t.lockWaitNs) << ", blocked "
                   << pct(t.blockedNs);
            } else {
                os << "on CPU " << pct(t.computeNs) << ", blocked " << pct(t.blockedNs);
            }
            os << ", start-up " << pct(t.startupNs) << ", encode " << pct(t.encodeNs) << ", decode "
               << pct(t.decodeNs) << ", transfer " << pct(t.transferNs) << ", idle/between tasks "
               << pct(t.idleNs) << ", teardown " << pct(t.teardownNs);
            if (r.config.model == Model::Processes)
                os << "; engine: encode " << fmt("%.1f", t.engineEncodeNs / 1e6) << ", decode "
                   << fmt("%.1f", t.engineDecodeNs / 1e6) << ", syscalls "
                   << fmt("%.1f", t.engineTransferNs / 1e6);
            os << '\n';
        }
        os << '\n';
    }
    bool anyCounters = false;
    for (const auto& r : result.runs)
        for (const auto& c : r.counters) anyCounters = anyCounters || c.value.has_value();
    if (anyCounters) {
        os << "kernel counters (perf_event_open on the engine thread, inherited by the workers it "
              "starts; "
              "first repetition):\n";
        std::string missing;
        for (const RunResult* run : result.runsInDisplayOrder()) {
            const RunResult& r = *run;
            if (r.config.repetition != 0) continue;
            os << "- " << a.name(r.config, modelLabel(r.config)) << " x" << r.config.workers << ":";
            for (const auto& c : r.counters) {
                if (!c.value) {
                    if (missing.find(c.name) == std::string::npos)
                        missing +=
                            (missing.empty() ? "" : ", ") + c.name + " (" + c.unavailable + ")";
                    continue;
                }
                if (c.unit == "ns")
                    os << ' ' << c.name << ' '
                       << fmt("%.1f ms", static_cast<double>(*c.value) / 1e6) << ';';
                else
                    os << ' ' << c.name << ' ' << *c.value << ';';
            }
            os << '\n';
        }
        if (!missing.empty()) os << "  unavailable: " << missing << '\n';
        os << '\n';
    }
    if (!a.scaling.empty()) {
        os << (result.experiment.weakScaling ? "scaling (weak: p workers do p copies of the job), "
                                               "Gustafson fit S(p) = p - f (p - 1):\n"
                                             : "scaling, Amdahl fit S(p) = 1 / (f + (1 - f) / p) "
                                               "over the measured worker counts up to the cores, "
                                               "kept only where the points support it:\n");
        for (const auto& s : a.scaling) {
            os << "- " << a.name(s) << ": ";
            if (!s.fit.valid) {
                os << "no fit: " << s.note << '\n';
                continue;
            }
            os << "serial fraction f = " << fmt("%.3f", s.fit.serialFraction);
            if (s.fit.points >= 2)
                os << " +/- " << fmt("%.3f", s.fit.standardError);
            else
                os << " (one worker count above 1: no uncertainty)";
            if (!s.predicted.empty()) {
                // Amdahl's p is processors: the prediction is for a machine with that many
                // cores, one worker each, not for more workers on this one.
                os << "; PREDICTED, not measured, with a worker per core:";
                for (const auto& [p, v] : s.predicted)
                    os << ' ' << p << " cores " << fmt("%.2fx", v) << ';';
            }
            if (!s.note.empty()) os << " (" << s.note << ')';
            os << '\n';
        }
        os << kKarpFlattText;
    }
    if (const std::string vs = formatModelVsReal(result); !vs.empty()) os << vs << '\n';
    if (const std::string cost = formatFreeThreadedCost(a); !cost.empty()) os << cost << "\n\n";
    if (!a.warnings.empty()) {
        os << "warnings:\n";
        for (const auto& w : a.warnings) os << "- " << w << '\n';
        os << '\n';
    }
    return os.str();
}

std::string formatModelVsReal(const ExperimentResult& result) {
    const auto& rows = result.analysis.modelVsReal;
    if (rows.empty()) return {};
    std::ostringstream os;
    os << "model vs real (the same GIL switch interval, "
       << fmt("%g", result.experiment.gilSwitchIntervalMs) << " ms, on both"
       << (result.environment.python.empty() ? "" : "; " + result.environment.python) << "):\n";
    const bool several = result.analysis.interpreters().size() > 1;
    os << "workers  gil-threads speedup  py:threads speedup  model/real"
       << (several ? "  interpreter" : "") << '\n';
    for (const auto& r : rows) {
        char line[160];
        std::snprintf(line, sizeof line, "%7u  %18.2fx  %17.2fx  %10.2f", r.workers, r.model.value,
                      r.real.value, r.ratio);
        os << line << (several ? "  " + r.interpreterLabel : "") << '\n';
    }
    if (!result.analysis.modelVsRealNote.empty()) os << result.analysis.modelVsRealNote << '\n';
    return os.str();
}

}  // namespace coreduel

namespace coreduel {

std::string formatFreeThreadedCost(const Analysis& a) {
    if (!a.freeThreadedCost) return {};
    const auto& c = *a.freeThreadedCost;
    std::string text = "single-thread cost of the free-threaded build: py:sequential on " +
                       c.freeThreadedLabel + " took " + fmt("%.2f", c.ratio.value) +
                       "x the wall time of py:sequential on " + c.withGilLabel;
    if (c.ratio.hasRange)
        text += " (95 % CI " + fmt("%.2f", c.ratio.low) + "-" + fmt("%.2f", c.ratio.high) + ")";
    else
        text += " (fewer than 3 repetitions: no interval)";
    text += ", on the same tasks with the same checksum";
    if (!c.caveat.empty()) text += " (" + c.caveat + ")";
    return text;
}

}  // namespace coreduel
