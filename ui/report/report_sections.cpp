#include "ui/report/report_sections.h"

#include <algorithm>
#include <map>
#include <set>

#include "core/report/run_columns.h"
#include "core/run/experiment.h"
#include "core/stats/summary.h"
#include "ui/model_names.h"

namespace coreduel::ui {
namespace {

const QString kNone = QStringLiteral("—");

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

ReportBlock paragraphs(QStringList text) {
    ReportBlock b;
    b.kind = ReportBlock::Kind::Paragraph;
    b.text = std::move(text);
    return b;
}

ReportBlock bullets(QStringList text) {
    ReportBlock b;
    b.kind = ReportBlock::Kind::Bullets;
    b.text = std::move(text);
    return b;
}

ReportBlock tableBlock(ReportTable t) {
    ReportBlock b;
    b.kind = ReportBlock::Kind::Table;
    b.table = std::move(t);
    return b;
}

/// "0.124\n0.093 to 0.166": the value, and under it its interval when there is one.
QString withInterval(const QString& value, bool hasRange, double low, double high, int digits) {
    if (!hasRange) return value;
    auto f = [&](double v) {
        return digits < 0 ? significant(v) : QString::number(v, 'f', digits);
    };
    // No-break spaces: the range stays on one line under its value.
    return value + QStringLiteral("\n") + f(low) + QStringLiteral("\u00a0to\u00a0") + f(high);
}

bool sweepsChunks(const ExperimentResult& r) {
    return r.experiment.chunksizes.size() > 1;
}

QString chunkText(const ConfigSummary& c) {
    if (isSequential(c.model)) return kNone;
    return c.chunksize == 0 ? QStringLiteral("auto") : QString::number(c.chunksize);
}

ReportTable configTable(const ExperimentResult& r) {
    ReportTable t;
    const bool chunks = sweepsChunks(r);
    t.header << QStringLiteral("model") << QStringLiteral("workers");
    if (chunks) t.header << QStringLiteral("chunk");
    t.header << QStringLiteral("verified runs") << QStringLiteral("median wall [s]")
             << QStringLiteral("mean wall [s] and 95 % interval") << QStringLiteral("std. dev. [s]")
             << QStringLiteral("speedup [×] and 95 % interval") << QStringLiteral("efficiency [%]")
             << QStringLiteral("Karp-Flatt serial fraction") << QStringLiteral("mean CPU [s]");
    t.rightAligned.assign(static_cast<std::size_t>(t.header.size()), true);
    t.rightAligned[0] = false;
    for (const ConfigSummary& c : r.analysis.configs) {
        QStringList row;
        row << modelName(c.model, interpreterOfSpec(r, c.python)) << QString::number(c.workers);
        if (chunks) row << chunkText(c);
        if (c.wall.n == 0) {
            row << QStringLiteral("0 of %1").arg(c.runs);
            while (row.size() < t.header.size()) row << kNone;
            t.rows.push_back(row);
            continue;
        }
        row << (c.failed > 0 ? QStringLiteral("%1 of %2").arg(c.wall.n).arg(c.runs)
                             : QString::number(c.wall.n));
        row << significant(c.wall.median)
            << withInterval(significant(c.wall.mean), c.wall.hasInterval, c.wall.ciLow,
                            c.wall.ciHigh, -1)
            << (c.wall.n >= 2 ? significant(c.wall.stddev, 2) : kNone);
        if (c.speedup) {
            row << withInterval(QString::number(c.speedup->value, 'f', 2), c.speedup->hasRange,
                                c.speedup->low, c.speedup->high, 2);
        } else {
            row << kNone;
        }
        row << (c.efficiency && c.workers > 1 ? QString::number(c.efficiency->value * 100, 'f', 0)
                                              : kNone)
            << (c.karpFlatt ? QString::number(*c.karpFlatt, 'f', 3) : kNone)
            << significant(c.cpu.mean);
        t.rows.push_back(row);
    }
    bool anyInterval = false;
    for (const auto& c : r.analysis.configs) anyInterval = anyInterval || c.wall.hasInterval;
    t.note = QStringLiteral(
        "Wall: a steady clock around the whole run, worker start-up and teardown included. "
        "CPU: user + system time of the engine and of every worker. Speedup: mean sequential "
        "wall time over the configuration's mean wall time; efficiency: speedup over workers. "
        "Karp-Flatt: the serial fraction this point implies on its own, (1/S − 1/p) / (1 − 1/p) "
        "with p = min(workers, cores); none for a point slower than the baseline (its loss is "
        "overhead, not a serial fraction).");
    if (anyPython(r))
        t.note += QStringLiteral(
            " py: rows ran in the real interpreter: wall is its own timed window around its loop "
            "or pool (its start-up not included), speedup is over py:sequential.");
    t.note += anyInterval
                  ? QStringLiteral(" Intervals: %1.").arg(QString::fromLatin1(kIntervalMethod))
                  : QStringLiteral(
                        " No intervals: every configuration has fewer than 3 "
                        "repetitions.");
    return t;
}

ReportSection scalingSection(const ExperimentResult& r) {
    ReportSection s;
    s.heading = QStringLiteral("Scaling");
    const bool weak = r.experiment.weakScaling;
    s.blocks.push_back(paragraphs(
        {weak ? QStringLiteral("Weak scaling: p workers did p copies of the job, and the speedup "
                               "is the scaled speedup p × T(1) / T(p). The fit is Gustafson's "
                               "law, S(p) = p − f (p − 1).")
              : QStringLiteral("Amdahl's law S(p) = 1 / (f + (1 − f) / p), fitted to the "
                               "measured speedups up to the number of cores and kept only where "
                               "the points support it. f is the serial fraction: the share of "
                               "the work that no number of workers shortens.")}));
    ReportTable t;
    t.header << QStringLiteral("model") << QStringLiteral("serial fraction f")
             << QStringLiteral("± standard error")
             << QStringLiteral("predicted speedup, a worker per core (not measured)");
    t.rightAligned = {false, true, true, false};
    for (const ModelScaling& m : r.analysis.scaling) {
        QStringList row;
        row << qs(r.analysis.name(m));
        if (!m.fit.valid) {
            row << kNone << kNone << QStringLiteral("no fit: ") + qs(m.note);
            t.rows.push_back(row);
            continue;
        }
        row << QString::number(m.fit.serialFraction, 'f', 3)
            << (m.fit.points >= 2 ? QString::number(m.fit.standardError, 'f', 3)
                                  : QStringLiteral("none (one point)"));
        QStringList predicted;
        for (const auto& [p, v] : m.predicted)
            predicted << QStringLiteral("%1 cores: %2×").arg(p).arg(v, 0, 'f', 2);
        QString cell = predicted.join(QStringLiteral("; "));
        if (!m.note.empty())
            cell += (cell.isEmpty() ? QString() : QStringLiteral(". ")) + qs(m.note);
        row << (cell.isEmpty() ? kNone : cell);
        t.rows.push_back(row);
    }
    s.blocks.push_back(tableBlock(t));
    return s;
}

std::optional<ReportSection> modelVsRealSection(const ExperimentResult& r) {
    if (r.analysis.modelVsReal.empty()) return std::nullopt;
    ReportSection s;
    s.heading = QStringLiteral("The GIL model against the real interpreter");
    s.blocks.push_back(paragraphs(
        {QStringLiteral(
             "gil-threads (the engine's model of the GIL, over sequential) next to py:threads "
             "(%1's own threads under its real GIL, over py:sequential) at the same worker count "
             "and switch interval, %2 ms. A ratio of 1.00 is a perfect model; above 1 the model "
             "is faster than the interpreter.")
             .arg(interpreterTags(r))
             .arg(r.experiment.gilSwitchIntervalMs)}));
    ReportTable t;
    t.header << QStringLiteral("workers") << QStringLiteral("gil-threads speedup [×]")
             << QStringLiteral("py:threads speedup [×]") << QStringLiteral("model / real");
    t.rightAligned = {true, true, true, true};
    for (const ModelVsReal& x : r.analysis.modelVsReal) {
        t.rows.push_back({QString::number(x.workers),
                          withInterval(QString::number(x.model.value, 'f', 2), x.model.hasRange,
                                       x.model.low, x.model.high, 2),
                          withInterval(QString::number(x.real.value, 'f', 2), x.real.hasRange,
                                       x.real.low, x.real.high, 2),
                          QString::number(x.ratio, 'f', 2)});
    }
    s.blocks.push_back(tableBlock(t));
    return s;
}

ReportTable runsTable(const ExperimentResult& r) {
    ReportTable t;
    const bool chunks = sweepsChunks(r);
    t.header << QStringLiteral("model") << QStringLiteral("workers");
    if (chunks) t.header << QStringLiteral("chunk");
    t.header << QStringLiteral("rep.") << QStringLiteral("wall [s]")
             << QStringLiteral("CPU user [s]") << QStringLiteral("CPU system [s]")
             << QStringLiteral("speedup [×]") << QStringLiteral("efficiency [%]")
             << QStringLiteral("peak RSS [MiB]")
             << QStringLiteral("context switches vol. / invol.");
    // A latency probe ran (convoy): its delays are what the run measured, beside the times.
    const bool pings = std::any_of(r.runs.begin(), r.runs.end(),
                                   [](const RunResult& x) { return x.latency.has_value(); });
    if (pings) t.header << QStringLiteral("ping p50 / p99 [ms]");
    t.header << QStringLiteral("status");
    t.rightAligned.assign(static_cast<std::size_t>(t.header.size()), true);
    t.rightAligned[0] = false;
    t.rightAligned.back() = false;
    for (const RunResult* run : r.runsInDisplayOrder()) {
        const RunResult& x = *run;
        QStringList row;
        row << modelRunLabel(x.config, interpreterName(x)) << QString::number(x.config.workers);
        if (chunks) {
            row << (x.chunksize > 0 && !isSequential(x.config.model) ? QString::number(x.chunksize)
                                                                     : kNone);
        }
        const double rss = static_cast<double>(x.enginePeakRssKib + x.workersPeakRssKib) / 1024.0;
        // The configuration's speedup on each of its runs, as the window's table, the CLI's
        // and every export show it (core/report/run_columns): the run's own ratio here made
        // 0.82 / 0.57 / 0.95 of rows the window showed as 0.74 each.
        const Interval* speedup = rowSpeedup(x, r);
        row << QString::number(x.config.repetition + 1) << significant(x.wallSeconds)
            << significant(x.cpuUserSeconds) << significant(x.cpuSystemSeconds)
            << (speedup != nullptr ? QString::number(speedup->value, 'f', 2) : kNone)
            << (speedup != nullptr
                    ? QString::number(speedup->value / x.config.workers * 100, 'f', 0)
                    : kNone)
            << QString::number(rss, 'f', 1)
            << QStringLiteral("%1 / %2").arg(x.voluntarySwitches).arg(x.involuntarySwitches);
        if (pings)
            row << (x.latency ? QStringLiteral("%1 / %2")
                                    .arg(x.latency->p50Ms, 0, 'f', 2)
                                    .arg(x.latency->p99Ms, 0, 'f', 2)
                              : kNone);
        // The error's first line: a traceback is in the warnings, whole.
        row << (x.ok ? QStringLiteral("verified")
                     : (x.cancelled ? QStringLiteral("cancelled")
                                    : QStringLiteral("failed: ") +
                                          qs(x.error).section(QLatin1Char('\n'), 0, 0)));
        t.rows.push_back(row);
    }
    t.note = QStringLiteral(
        "Verified: the run's checksum matched the sequential baseline's, so it did the same "
        "work; only verified runs get a speedup. Speedup and efficiency: the configuration's "
        "(mean sequential wall / mean wall of its verified runs), shown on each of its runs as "
        "everywhere else. Peak RSS: the engine's VmHWM plus each worker process's own. Runs are "
        "listed by configuration; they ran interleaved.");
    return t;
}

QString pct(std::int64_t ns, double total) {
    return QString::number(100.0 * static_cast<double>(ns) / total, 'f', 1);
}

std::optional<ReportSection> breakdownSection(const ExperimentResult& r) {
    ReportTable t;
    t.header << QStringLiteral("configuration") << QStringLiteral("on CPU [%]")
             << QStringLiteral("blocked [%]") << QStringLiteral("GIL wait [%]")
             << QStringLiteral("start-up [%]") << QStringLiteral("encode [%]")
             << QStringLiteral("decode [%]") << QStringLiteral("transfer [%]")
             << QStringLiteral("idle [%]") << QStringLiteral("teardown [%]")
             << QStringLiteral("engine encode / decode / syscalls [ms]");
    t.rightAligned.assign(static_cast<std::size_t>(t.header.size()), true);
    t.rightAligned[0] = false;
    for (const RunResult* run : r.runsInDisplayOrder()) {
        const RunResult& x = *run;
        if (!x.ok || isSequential(x.config.model) || x.config.repetition != 0) continue;
        const TimeBreakdown& b = x.time;
        const double total = static_cast<double>(x.config.workers) * x.wallSeconds * 1e9;
        if (total <= 0 || b.startupNs + b.computeNs + b.blockedNs + b.idleNs == 0) continue;
        QString name = modelRunLabel(x.config, interpreterName(x)) +
                       QStringLiteral(" × %1").arg(x.config.workers);
        if (sweepsChunks(r)) name += QStringLiteral(", chunk %1").arg(x.chunksize);
        QStringList row;
        row << name << pct(b.computeNs, total) << pct(b.blockedNs, total)
            << (x.config.model == Model::GilThreads ? pct(b.lockWaitNs, total)
                : x.gilWaitInferred ? pct(b.lockWaitNs, total) + QStringLiteral(" (inferred)")
                                    : kNone)
            << pct(b.startupNs, total) << pct(b.encodeNs, total) << pct(b.decodeNs, total)
            << pct(b.transferNs, total) << pct(b.idleNs, total) << pct(b.teardownNs, total);
        if (x.config.model == Model::Processes) {
            row << QStringLiteral("%1 / %2 / %3")
                       .arg(b.engineEncodeNs / 1e6, 0, 'f', 1)
                       .arg(b.engineDecodeNs / 1e6, 0, 'f', 1)
                       .arg(b.engineTransferNs / 1e6, 0, 'f', 1);
        } else {
            row << kNone;
        }
        t.rows.push_back(row);
    }
    if (t.rows.empty()) return std::nullopt;
    ReportSection s;
    s.heading = QStringLiteral("Where the time went");
    s.blocks.push_back(paragraphs({QStringLiteral(
        "The first repetition of each configuration, as a share of workers × wall time, "
        "measured inside each worker. On CPU: the thread's CPU time inside tasks; blocked: "
        "inside tasks but off the CPU (I/O, sleep, page faults, or waiting for a CPU); GIL "
        "wait: waiting for the simulated interpreter lock (py:threads: inferred, a CPU-bound "
        "task's time off CPU under the real GIL); idle: waiting for work or finished "
        "early. The last column is the engine's own work for the worker processes.")}));
    s.blocks.push_back(tableBlock(t));
    return s;
}

std::optional<ReportSection> countersSection(const ExperimentResult& r) {
    std::vector<std::string> names;
    std::map<std::string, std::string> missing;
    for (const auto& x : r.runs) {
        for (const auto& c : x.counters) {
            if (!c.value) {
                missing.emplace(c.name, c.unavailable);
                continue;
            }
            if (std::find(names.begin(), names.end(), c.name) == names.end())
                names.push_back(c.name);
        }
    }
    if (names.empty()) return std::nullopt;
    ReportTable t;
    t.header << QStringLiteral("configuration");
    for (const auto& n : names) t.header << qs(n);
    t.rightAligned.assign(static_cast<std::size_t>(t.header.size()), true);
    t.rightAligned[0] = false;
    for (const RunResult* run : r.runsInDisplayOrder()) {
        if (run->config.repetition != 0) continue;
        QStringList row;
        row << modelRunLabel(run->config, interpreterName(*run)) +
                   QStringLiteral(" × %1").arg(run->config.workers);
        for (const auto& n : names) {
            QString cell = kNone;
            for (const auto& c : run->counters) {
                if (c.name != n || !c.value) continue;
                cell = c.unit == "ns" ? QStringLiteral("%1 ms").arg(
                                            significant(static_cast<double>(*c.value) / 1e6))
                                      : QString::number(*c.value);
            }
            row << cell;
        }
        t.rows.push_back(row);
    }
    ReportSection s;
    s.heading = QStringLiteral("Kernel counters");
    s.blocks.push_back(paragraphs({QStringLiteral(
        "perf_event_open on the engine thread, inherited by the workers it starts; first "
        "repetition of each configuration.")}));
    s.blocks.push_back(tableBlock(t));
    if (!missing.empty()) {
        QStringList lines;
        for (const auto& [name, why] : missing)
            if (std::find(names.begin(), names.end(), name) == names.end())
                lines << qs(name) + QStringLiteral(": ") + qs(why);
        if (!lines.isEmpty()) {
            s.blocks.push_back(paragraphs({QStringLiteral("Not available:")}));
            s.blocks.push_back(bullets(lines));
        }
    }
    return s;
}

ReportSection statisticsSection(const ExperimentResult& r) {
    ReportSection s;
    s.heading = QStringLiteral("How the statistics were made");
    QStringList text;
    text << QStringLiteral(
                "Every configuration ran %1 time%2; the sequential baseline also "
                "ran once more first, unreported, so it never ran cold.")
                .arg(r.experiment.repetitions)
                .arg(r.experiment.repetitions == 1 ? QString() : QStringLiteral("s"));
    if (r.experiment.seed != 0) {
        text << QStringLiteral(
                    "The repetitions ran in rounds, each round's configurations in "
                    "an order shuffled with seed %1, so drift and other programs hit "
                    "every model alike.")
                    .arg(r.experiment.seed);
    }
    text << QStringLiteral(
                "Intervals: %1. A configuration with fewer repetitions shows its "
                "mean alone: with two, Student's t is 12.7 and any interval would be "
                "too wide to mean anything.")
                .arg(QString::fromLatin1(kIntervalMethod));
    text << QStringLiteral(
        "Speedup intervals combine both means' relative standard errors (the "
        "delta method on the log of the ratio), so they stay positive and are "
        "asymmetric, like the times themselves.");
    if (r.experiment.weakScaling) {
        text << QStringLiteral(
            "Weak scaling: p workers did p copies of the job; the speedup is p "
            "× sequential wall / wall, checked against the sequential results "
            "repeated p times.");
    }
    s.blocks.push_back(paragraphs(text));
    QStringList notes;
    for (const auto& c : r.analysis.configs) {
        const QString who =
            QStringLiteral("%1 × %2: ").arg(QString::fromLatin1(toString(c.model))).arg(c.workers);
        if (c.wall.outliers > 0) {
            notes << who + QStringLiteral(
                               "%1 of %2 wall times outside Tukey's fences (1.5 "
                               "interquartile ranges beyond the quartiles)")
                               .arg(c.wall.outliers)
                               .arg(c.wall.n);
        }
        for (const auto& w : c.wall.warnings) notes << who + qs(w);
    }
    if (!notes.isEmpty()) {
        s.blocks.push_back(paragraphs({QStringLiteral("Per configuration:")}));
        s.blocks.push_back(bullets(notes));
    }
    return s;
}

ReportSection environmentSection(const ExperimentResult& r) {
    const Environment& e = r.environment;
    ReportTable t;
    t.keyValue = true;
    auto add = [&](const QString& k, const QString& v) { t.rows.push_back({k, v}); };
    add(QStringLiteral("CPU"), qs(e.cpuModel));
    add(QStringLiteral("Logical CPUs"),
        QStringLiteral("%1 (%2 cores, %3 thread%4 per core)")
            .arg(e.logicalCpus)
            .arg(e.physicalCores)
            .arg(e.threadsPerCore)
            .arg(e.threadsPerCore == 1 ? QString() : QStringLiteral("s")));
    add(QStringLiteral("CPUs CoreDuel could use"),
        QStringLiteral("%1 (affinity %2)").arg(e.allowedCpus).arg(qs(e.affinity)));
    // A fact that is missing says so: "0 MiB" or an empty cell would read as measured. Not
    // "not recorded": a result read back from a file can lack what the file holds.
    const QString notRecorded = QStringLiteral("unknown");
    add(QStringLiteral("Memory"),
        e.memoryKib > 0 ? QStringLiteral("%1 MiB").arg(e.memoryKib / 1024) : notRecorded);
    add(QStringLiteral("Kernel"), qs(e.kernel));
    add(QStringLiteral("CPU frequency governor"), qs(e.governor));
    add(QStringLiteral("Load average before the runs"),
        QStringLiteral("%1 (1 minute)").arg(e.loadAverage1m, 0, 'f', 2));
    if (r.machineLoad.measured()) {
        add(QStringLiteral("Other programs during the runs"),
            QStringLiteral("%1 % of all CPUs on average, %2 % in the busiest run")
                .arg(r.machineLoad.otherProgramsCpuPct, 0, 'f', 1)
                .arg(r.machineLoad.peakRunOtherProgramsCpuPct, 0, 'f', 1));
    }
    add(QStringLiteral("Hardware counters"), qs(e.hardwareCounters));
    add(QStringLiteral("Compiler"), e.compiler.empty() ? notRecorded : qs(e.compiler));
    if (const std::string python = interpreterOf(r); !python.empty())
        add(QStringLiteral("Python interpreter (py: models)"), qs(python));
    if (r.samples > 0) {
        add(QStringLiteral("Sampler"),
            QStringLiteral("%1 samples at %2 Hz; per-core load from %3 (resolution %4 points per "
                           "window), CoreDuel's workers from %5; its own cost %6 % of one core")
                .arg(r.samples)
                .arg(1.0 / r.sampler.intervalSeconds, 0, 'f', 0)
                .arg(qs(r.sampler.systemSource))
                .arg(r.sampler.systemResolutionPct(), 0, 'f', 0)
                .arg(qs(r.sampler.oursSource))
                .arg(r.samplerCostPct, 0, 'f', 2));
    }
    ReportSection s;
    s.heading = QStringLiteral("Environment");
    s.blocks.push_back(tableBlock(t));
    return s;
}

namespace {

/// The warm-ups that ran, from the plan the runner ran: the sequential baseline always gets at
/// least one (so it never runs cold), whatever `warmups` asks of the other configurations.
QString warmupLine(const Experiment& e) {
    std::size_t sequential = 0, others = 0;
    try {
        for (const RunConfig& c : planRuns(e)) {
            if (!c.warmup) continue;
            (c.model == Model::Sequential ? sequential : others) += 1;
        }
    } catch (const std::exception&) {
        return QStringLiteral("%1 per configuration (asked for)").arg(e.warmups);
    }
    QString line = QStringLiteral("%1 of the sequential baseline").arg(sequential);
    line += others > 0 ? QStringLiteral(", %1 per other configuration (%2 in all)")
                             .arg(e.warmups)
                             .arg(sequential + others)
                       : QStringLiteral(", none for the other configurations");
    if (e.warmups < sequential)
        line += QStringLiteral(
            "; the baseline always gets one, so that it never runs cold and its checksum is "
            "known before anything is verified against it");
    return line + QStringLiteral(". Warm-ups are measured but not reported.");
}

}  // namespace

ReportSection experimentSection(const ExperimentResult& r) {
    const Experiment& e = r.experiment;
    ReportTable t;
    t.keyValue = true;
    auto add = [&](const QString& k, const QString& v) { t.rows.push_back({k, v}); };
    auto yesNo = [](bool b) { return b ? QStringLiteral("yes") : QStringLiteral("no"); };
    add(QStringLiteral("Workload"), qs(e.workload));
    for (const auto& [k, v] : e.params) add(QStringLiteral("  parameter ") + qs(k), qs(v));
    QStringList models;
    for (Model m : e.models) models << QString::fromLatin1(toString(m));
    add(QStringLiteral("Models"), models.join(QStringLiteral(", ")));
    if (anyPython(r))
        add(QStringLiteral("Interpreter asked for"),
            e.python.empty() ? QStringLiteral("python3 (on PATH)") : qs(e.python));
    QStringList counts;
    for (unsigned c : e.workerCounts) counts << QString::number(c);
    add(QStringLiteral("Worker counts"), counts.join(QStringLiteral(", ")));
    add(QStringLiteral("Repetitions"), QString::number(e.repetitions));
    add(QStringLiteral("Warm-up runs"), warmupLine(e));
    add(QStringLiteral("Process start method"), QString::fromLatin1(toString(e.startMethod)));
    add(QStringLiteral("Transport"), QString::fromLatin1(toString(e.transport)));
    QStringList chunks;
    for (std::size_t c : e.chunksizes)
        chunks << (c == 0 ? QStringLiteral("auto (Python's rule)") : QString::number(c));
    add(QStringLiteral("Chunk sizes"), chunks.join(QStringLiteral(", ")));
    add(QStringLiteral("Schedule"), QString::fromLatin1(toString(e.schedule)));
    add(QStringLiteral("GIL switch interval"), QStringLiteral("%1 ms").arg(e.gilSwitchIntervalMs));
    add(QStringLiteral("Tasks release the GIL"), yesNo(e.gilReleasedByTasks));
    add(QStringLiteral("Task time-out"), e.taskTimeoutSeconds > 0
                                             ? QStringLiteral("%1 s").arg(e.taskTimeoutSeconds)
                                             : QStringLiteral("none"));
    add(QStringLiteral("Extra payload per task"), QStringLiteral("%1 bytes").arg(e.payloadBytes));
    add(QStringLiteral("Weak scaling"), yesNo(e.weakScaling));
    add(QStringLiteral("Sampling rate"),
        e.sampleHz > 0 ? QStringLiteral("%1 Hz").arg(e.sampleHz) : QStringLiteral("off"));
    add(QStringLiteral("Run-order seed"),
        e.seed != 0 ? QString::number(e.seed) : QStringLiteral("none (display order)"));
    ReportSection s;
    s.heading = QStringLiteral("The experiment");
    s.blocks.push_back(paragraphs({QStringLiteral(
        "The settings the runs were made with; the result file carries the same, so the "
        "experiment can be repeated as it was.")}));
    s.blocks.push_back(tableBlock(t));
    return s;
}

}  // namespace

std::vector<ReportSection> resultSections(const ExperimentResult& r) {
    std::vector<ReportSection> out;
    ReportSection configs;
    configs.heading = QStringLiteral("Results per configuration");
    configs.blocks.push_back(tableBlock(configTable(r)));
    out.push_back(std::move(configs));
    if (!r.analysis.scaling.empty()) out.push_back(scalingSection(r));
    if (auto vs = modelVsRealSection(r)) out.push_back(std::move(*vs));
    return out;
}

std::vector<ReportSection> appendixSections(const ExperimentResult& r) {
    std::vector<ReportSection> out;
    ReportSection runs;
    runs.heading = QStringLiteral("Every run");
    runs.blocks.push_back(tableBlock(runsTable(r)));
    out.push_back(std::move(runs));
    if (auto b = breakdownSection(r)) out.push_back(std::move(*b));
    if (auto c = countersSection(r)) out.push_back(std::move(*c));
    out.push_back(statisticsSection(r));
    out.push_back(environmentSection(r));
    out.push_back(experimentSection(r));
    return out;
}

}  // namespace coreduel::ui
