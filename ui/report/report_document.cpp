#include "ui/report/report_document.h"

#include <QDateTime>
#include <QRegularExpression>
#include <algorithm>
#include <cmath>

#include "core/report/table_report.h"
#include "core/stats/summary.h"
#include "ui/model_names.h"
#include "ui/plots/chart.h"
#include "ui/plots/core_heat_chart.h"
#include "ui/report/report_sections.h"

#ifndef COREDUEL_VERSION
#define COREDUEL_VERSION "unknown"
#endif

namespace coreduel::ui {

QString significant(double value, int digits) {
    if (!std::isfinite(value)) return QStringLiteral("—");
    if (value == 0) return QStringLiteral("0");
    const int magnitude = static_cast<int>(std::floor(std::log10(std::fabs(value))));
    const int decimals = std::clamp(digits - 1 - magnitude, 0, 6);
    return QString::number(value, 'f', decimals);
}

QString appendixLabel(std::size_t index) {
    return QStringLiteral("Appendix %1").arg(QChar(static_cast<char16_t>(u'A' + (index % 26))));
}

namespace {

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

QString joinModels(const std::vector<Model>& models, const QString& interpreters,
                   bool nativeBaseline) {
    QStringList names;
    // A Python function has no native model: py:sequential is its only baseline.
    if (nativeBaseline) names << QStringLiteral("sequential (the baseline)");
    const bool python = std::any_of(models.begin(), models.end(), isPython);
    // py:sequential runs whenever a py: model does (the engine adds it): always named first.
    if (python)
        names << QStringLiteral(
                     "py:sequential (each interpreter's own baseline; the py: models "
                     "ran in %1)")
                     .arg(interpreters);
    for (Model m : models) {
        if (isSequential(m)) continue;
        names << QString::fromLatin1(toString(m));
    }
    return names.join(QStringLiteral(", "));
}

QString joinCounts(const std::vector<unsigned>& counts) {
    QStringList parts;
    for (unsigned c : counts) parts << QString::number(c);
    return parts.join(QStringLiteral(", "));
}

QString workloadLine(const Experiment& e) {
    QString line = qs(e.workload);
    QStringList params;
    for (const auto& [k, v] : e.params) params << qs(k) + QLatin1Char('=') + qs(v);
    if (!params.isEmpty()) line += QStringLiteral(" (") + params.join(QStringLiteral(", ")) + ')';
    return line;
}

ReportTable titleBlock(const ExperimentResult& r, const ReportContext& context) {
    ReportTable t;
    t.keyValue = true;
    auto add = [&](const QString& k, const QString& v) { t.rows.push_back({k, v}); };
    add(QStringLiteral("Workload"), workloadLine(r.experiment));
    for (const auto& run : r.runs) {
        if (run.ok && !run.summary.empty()) {
            add(QStringLiteral("What it computed"), qs(run.summary));
            break;
        }
    }
    add(QStringLiteral("Models"), joinModels(r.experiment.models, interpreterTags(r),
                                             !pythonOnlyWorkload(r.experiment.workload)));
    add(QStringLiteral("Workers"), joinCounts(r.experiment.workerCounts));
    add(QStringLiteral("Runs"),
        QStringLiteral("%1 (%2 repetition%3 per configuration)")
            .arg(r.runs.size())
            .arg(r.experiment.repetitions)
            .arg(r.experiment.repetitions == 1 ? QString() : QStringLiteral("s")));
    const Environment& e = r.environment;
    QString machine = QStringLiteral("%1; %2 logical CPUs on %3 cores")
                          .arg(qs(e.cpuModel))
                          .arg(e.logicalCpus)
                          .arg(e.physicalCores);
    if (e.memoryKib > 0) machine += QStringLiteral("; %1 MiB memory").arg(e.memoryKib / 1024);
    if (!e.kernel.empty()) machine += QStringLiteral("; ") + qs(e.kernel);
    add(QStringLiteral("Machine"), machine);
    // When it was measured is a fact of the data, not of the report: said where it is known
    // (a session, a live run), and "not recorded" only where it is not (a result file).
    const QDateTime measured = QDateTime::fromString(context.measuredAt, Qt::ISODate);
    QString when = context.measuredAt;
    if (measured.isValid())
        when = measured.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm")) +
               (context.sessionStart ? QStringLiteral(" UTC (the session's start)")
                                     : QStringLiteral(" UTC"));
    else if (when.isEmpty())
        when = QStringLiteral("not recorded (a result file does not say when it was measured)");
    add(QStringLiteral("Measured"), when);
    add(QStringLiteral("Report made"),
        QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyy-MM-dd HH:mm")) +
            QStringLiteral(" UTC"));
    add(QStringLiteral("CoreDuel version"), QStringLiteral(COREDUEL_VERSION));
    return t;
}

/// The configuration of `model` with the most workers (first chunk size), or nullptr.
const ConfigSummary* largest(const Analysis& a, Model model) {
    const ConfigSummary* best = nullptr;
    for (const auto& c : a.configs) {
        if (c.model != model) continue;
        if (best == nullptr || c.workers > best->workers) best = &c;
    }
    return best;
}

QString times(double v) {
    return QString::number(v, 'f', 2) + QStringLiteral("×");
}

QStringList verdictSentences(const ExperimentResult& r) {
    QStringList out;
    const ConfigSummary* fastest = nullptr;
    std::vector<const ConfigSummary*> rivals;
    for (Model m : everyModel()) {
        const ConfigSummary* c = isSequential(m) ? nullptr : largest(r.analysis, m);
        if (c == nullptr) continue;
        // Speedups over different baselines are not compared: the fastest is a native model.
        if (!c->speedup || c->aboveIdeal || isPython(m)) continue;
        rivals.push_back(c);
        if (fastest == nullptr || c->speedup->value > fastest->speedup->value) fastest = c;
    }
    // A winner only where its interval clears every other's: otherwise the run cannot tell.
    bool apart = fastest != nullptr && fastest->speedup->hasRange;
    for (const ConfigSummary* c : rivals)
        if (c != fastest)
            apart = apart && c->speedup->hasRange && fastest->speedup->low > c->speedup->high;
    // The verdict's own sentences (core/report/verdict.cpp): the same numbers and the same
    // evidence rules as the console and every other export.
    for (const std::string& line : verdictLines(r)) {
        // Model names are identifiers ("gil-threads"): not capitalised.
        const QString sentence = qs(line);
        out << sentence + (sentence.endsWith(QLatin1Char('.')) ? QString() : QStringLiteral("."));
    }
    if (fastest != nullptr && rivals.size() > 1) {
        out.prepend(
            apart ? QStringLiteral("Fastest at its largest worker count: %1 with %2 workers, %3 "
                                   "the speed of running the same job sequentially.")
                        .arg(QString::fromLatin1(toString(fastest->model)))
                        .arg(fastest->workers)
                        .arg(times(fastest->speedup->value))
                  : QStringLiteral("Highest speedup at the largest worker counts: %1 with %2 "
                                   "workers (%3), but its interval overlaps another model's "
                                   "(or there are too few repetitions for one): this run does "
                                   "not tell which model is fastest.")
                        .arg(QString::fromLatin1(toString(fastest->model)))
                        .arg(fastest->workers)
                        .arg(times(fastest->speedup->value)));
    }
    if (out.isEmpty()) {
        out << QStringLiteral("Only the sequential baseline ran, so there is nothing to compare.");
    }
    bool anyInterval = false;
    for (const auto& c : r.analysis.configs) anyInterval = anyInterval || c.wall.hasInterval;
    out << (anyInterval
                ? QStringLiteral("Speedups are the mean sequential wall time over the mean wall "
                                 "time of a configuration; intervals are 95 % intervals (see "
                                 "the statistics appendix).")
                : QStringLiteral("Speedups are the mean sequential wall time over the mean wall "
                                 "time of a configuration. With 3 or more repetitions per "
                                 "configuration each would come with a 95 % interval; with 5 or "
                                 "more, differences of a few percent can be told from noise."));
    if (r.cancelled) out << QStringLiteral("The experiment was stopped before it finished.");
    return out;
}

QString captionFor(const Chart& chart, const ExperimentResult& r) {
    const QString slug = chart.slug();
    if (slug == QLatin1String("speedup")) {
        return QStringLiteral(
                   "Speedup against the sequential baseline for each worker count, one line per "
                   "model "
                   "(mean sequential wall time over the configuration's mean wall time; wall time "
                   "is "
                   "a steady clock around the whole run, worker start-up and teardown included). "
                   "Bars: 95 % intervals, where a configuration has 3 or more repetitions. Dotted: "
                   "the "
                   "ideal, N× with N workers. Thin: the fitted scaling law (Amdahl's) over the "
                   "worker "
                   "counts up to the cores; dashed: what it predicts for more workers on this "
                   "machine, "
                   "flat past the cores, which the workers then share (not measured).%1")
            .arg(anyPython(r)
                     ? QStringLiteral(" py: lines (dashed, hollow markers) ran in the real "
                                      "interpreter, %1; their speedups are over py:sequential, the "
                                      "interpreter's own loop.")
                           .arg(interpreterTags(r))
                     : QString());
    }
    if (slug == QLatin1String("breakdown")) {
        return QStringLiteral(
            "Where the workers' time went, per configuration: start-up, decoding, transfer, "
            "compute, waiting for the GIL, encoding, idle and teardown, in seconds summed over "
            "the workers (mean over repetitions), measured inside each worker with the "
            "monotonic clock and the thread's CPU clock. Compute stays about the same when the "
            "work is the same; what grows on top of it is the price of parallelism.");
    }
    if (slug == QLatin1String("resources")) {
        return QStringLiteral(
            "Wall time against CPU time (user + system, getrusage of the engine and of every "
            "worker) and peak memory per configuration. CPU time above wall time means several "
            "cores worked at once; CPU time far below it means waiting (I/O, a lock). Memory: "
            "the engine's peak resident set (VmHWM) plus each worker process's own.");
    }
    if (slug == QLatin1String("cores")) {
        // The span drawn, in the experiment's seconds: the whole run when the chart follows
        // it, the stretch the user zoomed to otherwise — never "over the runs" for a part.
        QString span = QStringLiteral("over the runs");
        if (const auto* heat = qobject_cast<const CoreHeatChart*>(&chart); heat && heat->hasData())
            span = QStringLiteral("from %1 s to %2 s of the experiment")
                       .arg(heat->printedSpan().lower, 0, 'f', 1)
                       .arg(heat->printedSpan().upper, 0, 'f', 1);
        return QStringLiteral(
                   "Utilization of each logical CPU %1, from /proc/stat (every program on the "
                   "machine, not only CoreDuel), one window every %2 ms.")
            .arg(span)
            .arg(std::lround(r.sampler.intervalSeconds * 1e3));
    }
    if (slug == QLatin1String("timeline")) {
        // Which run: the one the user picked, whose name the chart's subtitle carries.
        const QString shown =
            chart.subtitle().isEmpty()
                ? QString()
                : QStringLiteral(" Run shown: %1 (the window's timeline lists every run).")
                      .arg(chart.subtitle());
        const QString python = anyPython(r)
                                   ? QStringLiteral(
                                         " For py:threads the GIL waits are inferred: a CPU-bound "
                                         "task off CPU under the interpreter's real GIL.")
                                   : QString();
        return QStringLiteral(
                   "One run's workers over time: one lane per worker, each task a bar coloured by "
                   "what the worker was doing, timed by the tasks' own events (monotonic clock in "
                   "every process).%1%2")
            .arg(shown, python);
    }
    if (slug == QLatin1String("ipc")) {
        return QStringLiteral(
            "IPC lab: round-trip latency (median, the 99th percentile as the upper bar) and "
            "throughput against message size, one curve per mechanism, both axes logarithmic.");
    }
    return chart.title();
}

/// The result's warnings, with the per-configuration "noisy" ones (one per configuration,
/// often most of them) gathered into one line.
QStringList readableWarnings(const std::vector<std::string>& warnings) {
    static const QRegularExpression noisy(QStringLiteral(
        "^(.+) x([0-9]+): noisy: the standard deviation is ([0-9]+) % of the mean$"));
    QStringList out, noisyParts;
    for (const std::string& w : warnings) {
        const QString text = qs(w);
        if (const auto m = noisy.match(text); m.hasMatch()) {
            noisyParts << QStringLiteral("%1 × %2 (%3 %)")
                              .arg(m.captured(1), m.captured(2), m.captured(3));
            continue;
        }
        out << text + (text.endsWith(QLatin1Char('.')) ? QString() : QStringLiteral("."));
    }
    if (!noisyParts.isEmpty()) {
        out.prepend(QStringLiteral("Noisy wall times (standard deviation as a share of the mean): "
                                   "%1. Differences smaller than that are not significant.")
                        .arg(noisyParts.join(QStringLiteral(", "))));
    }
    return out;
}

}  // namespace

ReportDocument buildReportDocument(const ExperimentResult& r, const std::vector<Chart*>& charts,
                                   const ReportContext& context) {
    ReportDocument d;
    d.title = QStringLiteral("CoreDuel report: %1").arg(qs(r.experiment.workload));
    d.facts = titleBlock(r, context);
    d.verdict = verdictSentences(r);
    d.warnings = readableWarnings(r.analysis.warnings);
    for (Chart* chart : charts) {
        if (chart == nullptr || !chart->hasData()) continue;
        d.figures.push_back({chart, captionFor(*chart, r)});
    }
    d.sections = resultSections(r);
    d.appendices = appendixSections(r);
    d.footer = QStringLiteral("CoreDuel %1 · %2 · %3 runs")
                   .arg(QStringLiteral(COREDUEL_VERSION), qs(r.experiment.workload))
                   .arg(r.runs.size());
    return d;
}

ReportDocument buildSessionCover(const Session& session) {
    ReportDocument d;
    const std::size_t n = session.parts.size();
    d.title = session.lesson ? QStringLiteral("CoreDuel report: lesson \u201c%1\u201d")
                                   .arg(qs(session.lesson->title))
                             : QStringLiteral("CoreDuel report: a session of %1 parts").arg(n);
    d.facts.keyValue = true;
    auto add = [&](const QString& k, const QString& v) { d.facts.rows.push_back({k, v}); };
    if (session.lesson) {
        add(QStringLiteral("Lesson"),
            QStringLiteral("%1 (coreduel-cli lesson %2%3)")
                .arg(qs(session.lesson->title), qs(session.lesson->name),
                     session.lesson->quick ? QStringLiteral(" --quick") : QString()));
    }
    add(QStringLiteral("Parts"),
        session.parts.size() < session.plannedParts
            ? QStringLiteral("%1 of %2 ran (the lesson was stopped or killed)")
                  .arg(n)
                  .arg(session.plannedParts)
            : QString::number(n));
    if (!session.parts.empty()) {
        const Environment& e = session.parts.front().result.environment;
        add(QStringLiteral("Machine"), QStringLiteral("%1; %2 logical CPUs on %3 cores")
                                           .arg(qs(e.cpuModel))
                                           .arg(e.logicalCpus)
                                           .arg(e.physicalCores));
    }
    add(QStringLiteral("Recorded"), qs(session.manifest.value("created", std::string("?"))) +
                                        QStringLiteral(" (UTC), by ") +
                                        qs(session.manifest.value("program", std::string("?"))));
    ReportSection parts;
    parts.heading = QStringLiteral("The parts");
    ReportBlock list;
    list.kind = ReportBlock::Kind::Bullets;
    for (std::size_t i = 0; i < n; ++i) {
        const SessionPart& p = session.parts[i];
        QString item = QStringLiteral("Part %1: %2 (%3, %4 runs)")
                           .arg(i + 1)
                           .arg(qs(p.label.empty() ? p.result.experiment.workload : p.label),
                                workloadLine(p.result.experiment))
                           .arg(p.result.runs.size());
        if (!p.complete) item += QStringLiteral("; cut off: the runs that finished are reported");
        list.text << item;
    }
    parts.blocks.push_back(list);
    d.sections.push_back(parts);
    if (!session.lessonOutcome.empty()) {
        ReportSection outcome;
        outcome.heading = QStringLiteral("What happened");
        ReportBlock text;
        text.text = qs(session.lessonOutcome).split(QStringLiteral("\n\n"), Qt::SkipEmptyParts);
        outcome.blocks.push_back(text);
        d.sections.push_back(outcome);
    }
    d.footer =
        QStringLiteral("CoreDuel %1 · %2")
            .arg(QStringLiteral(COREDUEL_VERSION),
                 session.lesson ? qs(session.lesson->title) : QStringLiteral("%1 parts").arg(n));
    return d;
}

}  // namespace coreduel::ui
