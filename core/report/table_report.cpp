#include "core/report/table_report.h"

#include "core/report/mpi_text.h"
#include "core/stats/summary.h"

#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>

namespace coreduel {

namespace {

std::string fmt(const char* f, double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, f, v);
    return buf;
}

struct Column {
    const char* title;
    bool left;
};

const Column kColumns[] = {
    {"model", true},
    {"workers", false},
    {"chunk", false},
    {"rep", false},
    {"wall [s]", false},
    {"cpu user [s]", false},
    {"cpu sys [s]", false},
    {"speedup [x]", false},
    {"efficiency", false},
    {"peak RSS [MiB]", false},
    {"ctx sw vol/invol", false},
    {"checksum", true},
    {"status", true},
};

std::vector<std::string> cells(const RunResult& r) {
    const double rssMib = static_cast<double>(r.enginePeakRssKib + r.workersPeakRssKib) / 1024.0;
    char checksum[17];
    std::snprintf(checksum, sizeof checksum, "%016llx",
                  static_cast<unsigned long long>(r.checksum));
    std::string status = r.ok ? "ok" : (r.cancelled ? "cancelled" : "FAILED: " + r.error);
    return {modelLabel(r.config),
            std::to_string(r.config.workers),
            r.chunksize > 0 && !isSequential(r.config.model) ? std::to_string(r.chunksize) : "-",
            std::to_string(r.config.repetition + 1),
            fmt("%.3f", r.wallSeconds),
            fmt("%.3f", r.cpuUserSeconds),
            fmt("%.3f", r.cpuSystemSeconds),
            r.speedup ? fmt("%.2f", *r.speedup) : "-",
            r.efficiency ? fmt("%.0f%%", *r.efficiency * 100) : "-",
            fmt("%.1f", rssMib),
            std::to_string(r.voluntarySwitches) + "/" + std::to_string(r.involuntarySwitches),
            r.ok ? checksum : "-",
            status};
}

}  // namespace

std::string formatRunLine(const RunResult& r) {
    std::string line;
    const auto c = cells(r);
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
    std::vector<std::vector<std::string>> rows;
    for (const RunResult* r : result.runsInDisplayOrder()) rows.push_back(cells(*r));
    constexpr std::size_t n = std::size(kColumns);
    std::size_t width[n];
    for (std::size_t i = 0; i < n; ++i) width[i] = std::string(kColumns[i].title).size();
    for (const auto& row : rows)
        for (std::size_t i = 0; i + 1 < n; ++i) width[i] = std::max(width[i], row[i].size());

    std::ostringstream os;
    auto emit = [&](const std::vector<std::string>& row) {
        std::string line;
        for (std::size_t i = 0; i < n; ++i) {
            const auto& cell = row[i];
            const std::size_t pad =
                i + 1 < n && width[i] > cell.size() ? width[i] - cell.size() : 0;
            if (kColumns[i].left)
                line += cell + std::string(i + 1 < n ? pad : 0, ' ');
            else
                line += std::string(pad, ' ') + cell;
            if (i + 1 < n) line += "  ";
        }
        while (!line.empty() && line.back() == ' ') line.pop_back();
        os << line << '\n';
    };
    std::vector<std::string> header;
    for (const auto& c : kColumns) header.emplace_back(c.title);
    emit(header);
    for (const auto& row : rows) emit(row);
    if (const std::string vs = formatModelVsReal(result); !vs.empty()) os << '\n' << vs;

    const auto& e = result.experiment;
    os << "\nworkload: " << e.workload;
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
          "each worker process's own VmHWM; speedup = median sequential wall / wall, shown "
          "only when the checksum matches the sequential one.\n";
    bool python = false;
    for (const auto& r : result.runs) python = python || isPython(r.config.model);
    if (python)
        os << "py: rows ran in the real interpreter: wall = its own timed window around its "
              "loop or pool (pool start-up and join included, the interpreter's own start-up "
              "not); speedup = median py:sequential wall / wall; checksums against the native "
              "sequential run.\n";
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

}  // namespace

std::string formatAnalysis(const ExperimentResult& result) {
    const auto& a = result.analysis;
    std::ostringstream os;
    bool repeated = false;
    for (const auto& c : a.configs) repeated = repeated || c.wall.n >= 2;
    if (repeated) {
        os << "per configuration (mean over repetitions; speedup = mean sequential wall / mean "
              "wall; "
           << kIntervalMethod << "):\n";
        char line[256];
        std::snprintf(line, sizeof line, "%-12s %7s %6s %3s %10s %20s %8s %22s %10s %10s\n",
                      "model", "workers", "chunk", "n", "median [s]", "mean [s] (95% CI)", "sd [s]",
                      "speedup [x] (95% CI)", "efficiency", "Karp-Flatt");
        os << line;
        for (const auto& c : a.configs) {
            if (c.wall.n == 0) {
                std::snprintf(line, sizeof line, "%-12s %7u %6s %3zu  all %zu runs failed\n",
                              toString(c.model), c.workers, chunkText(c).c_str(), c.wall.n,
                              c.failed);
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
                std::snprintf(speed, sizeof speed, "%.2f (%.2f-%.2f)", c.speedup->value,
                              c.speedup->low, c.speedup->high);
            else if (c.speedup)
                std::snprintf(speed, sizeof speed, "%.2f (n<3: none)", c.speedup->value);
            if (c.efficiency) std::snprintf(eff, sizeof eff, "%.0f%%", c.efficiency->value * 100);
            if (c.karpFlatt) std::snprintf(kf, sizeof kf, "%.3f", *c.karpFlatt);
            std::snprintf(line, sizeof line,
                          "%-12s %7u %6s %3zu %10.4f %20s %8.4f %22s %10s %10s\n",
                          toString(c.model), c.workers, chunkText(c).c_str(), c.wall.n,
                          c.wall.median, mean, c.wall.stddev, speed, eff, kf);
            os << line;
        }
        os << '\n';
    }
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
            os << "- " << modelLabel(r.config) << " x" << r.config.workers
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
            os << "- " << modelLabel(r.config) << " x" << r.config.workers << ":";
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
            os << "- " << toString(s.model) << ": ";
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
        os << "Karp-Flatt e = (1/S - 1/p) / (1 - 1/p) (table above) is the serial fraction each "
              "point implies on its own: about constant in p, a serial part explains the loss; "
              "growing with p, the overhead grows with the workers.\n\n";
    }
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
    os << "workers  gil-threads speedup  py:threads speedup  model/real\n";
    for (const auto& r : rows) {
        char line[160];
        std::snprintf(line, sizeof line, "%7u  %18.2fx  %17.2fx  %10.2f\n", r.workers,
                      r.model.value, r.real.value, r.ratio);
        os << line;
    }
    return os.str();
}

std::string formatVerdict(const ExperimentResult& result) {
    // Per model, its largest worker count; there, the median speedup of each chunk size
    // measured. Chunk sizes are never pooled: a lesson that compares them would otherwise be
    // told a number that none of them produced.
    struct Pick {
        unsigned workers = 0;
        std::map<std::size_t, std::vector<const RunResult*>> byChunksize;
    };
    std::map<Model, Pick> picks;
    for (const auto& r : result.runs) {
        if (isSequential(r.config.model)) continue;
        auto& p = picks[r.config.model];
        if (r.config.workers > p.workers) p = Pick{r.config.workers, {}};
        if (r.config.workers == p.workers) p.byChunksize[r.config.chunksize].push_back(&r);
    }
    std::ostringstream os;
    for (auto m : everyModel()) {
        auto it = picks.find(m);
        if (it == picks.end()) continue;
        const auto& p = it->second;
        struct Measured {
            std::size_t chunksize;
            double speedup;
        };
        std::vector<Measured> measured;
        std::string failure;
        for (const auto& [chunksize, runs] : p.byChunksize) {
            std::vector<double> speedups;
            for (const auto* r : runs) {
                if (r->speedup)
                    speedups.push_back(*r->speedup);
                else if (failure.empty())
                    failure = r->error;
            }
            if (speedups.empty()) continue;
            std::sort(speedups.begin(), speedups.end());
            measured.push_back({chunksize, quantileSorted(speedups, 0.5)});
        }
        os << "- " << toString(m) << " with " << p.workers << " worker"
           << (p.workers > 1 ? "s" : "");
        if (measured.empty()) {
            os << ": no verified result (" << failure << ")\n";
            continue;
        }
        std::stable_sort(
            measured.begin(), measured.end(),
            [](const Measured& a, const Measured& b) { return a.speedup > b.speedup; });
        const bool several = p.byChunksize.size() > 1;
        const auto chunk = [](std::size_t c) {
            return "chunksize " + (c == 0 ? std::string("auto") : std::to_string(c));
        };
        if (several) os << ", " << chunk(measured.front().chunksize);
        const double s = measured.front().speedup;
        os << ": " << fmt("%.2fx", s) << (s >= 1.0 ? " faster than " : " the speed of ")
           << toString(baselineOf(m));
        if (m == Model::GilThreads && !result.experiment.gilReleasedByTasks && s < 1.2 &&
            p.workers > 1)
            os << ": the lock serialised the compute";
        else if (m == Model::PyThreads && s < 0.8 && p.workers > 1)
            os << ": handing each task to a thread (a future, a queue) cost more than the task";
        else if (m == Model::PyThreads && s < 1.2 && p.workers > 1)
            os << ": the interpreter's GIL serialised the compute";
        else if (s >= 0.8 * p.workers && p.workers > 1)
            os << ": it scales";
        else if (usesProcesses(m) && s < 1.0)
            os << ": start-up and moving data cost more than the work";
        else if (m == Model::Mpi && s < 1.0)
            // Its launch is outside the wall time: only the messages are left to blame.
            os << ": the messages (chunks out, results back through rank 0) cost more than "
                  "the work";
        for (std::size_t i = 1; i < measured.size(); ++i)
            os << (i == 1 ? " (" : "; ") << chunk(measured[i].chunksize) << ": "
               << fmt("%.2fx", measured[i].speedup) << (i + 1 == measured.size() ? ")" : "");
        if (several && measured.size() < p.byChunksize.size()) os << "; others failed";
        os << '\n';
    }
    for (const auto& r : result.analysis.modelVsReal) {
        const double off = (r.ratio - 1.0) * 100.0;
        os << "- model vs real with " << r.workers << " worker" << (r.workers > 1 ? "s" : "")
           << ": gil-threads " << fmt("%.2fx", r.model.value) << ", py:threads "
           << fmt("%.2fx", r.real.value) << ": the model is "
           << (std::abs(off) < 0.5
                   ? std::string("on")
                   : fmt("%.0f %%", std::abs(off)) + (off > 0 ? " above" : " below"))
           << " the real interpreter\n";
    }
    return os.str();
}

}  // namespace coreduel
