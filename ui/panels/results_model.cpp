#include "ui/panels/results_model.h"

#include <QBrush>
#include <QColor>
#include <QGuiApplication>
#include <cmath>
#include <string_view>

#include "core/report/run_columns.h"
#include "core/stats/summary.h"
#include "ui/model_names.h"
#include "ui/theme.h"

namespace coreduel::ui {
namespace {
/// A column's title in the window, and either the key of the same column in the one results
/// table of core (core/report/run_columns.h), whose "how it was measured" it shows, or its own
/// text for what only the window has.
struct Header {
    const char* title;
    const char* how;
    const char* coreKey = nullptr;
};
constexpr Header kHeaders[ResultsModel::ColumnCount] = {
    {"model", "", "model"},
    {"workers", "", "workers"},
    {"speedup [×]", "", "speedup"},
    {"wall [s]", "", "wall_seconds"},
    {"ping p50/p99 [ms]", "", "ping_latency_ms"},
    {"efficiency [%]", "", "efficiency"},
    {"chunk [tasks]", "", "chunksize"},
    {"rep", "", "repetition"},
    {"CPU user [s]", "", "cpu_user_seconds"},
    {"CPU system [s]", "", "cpu_system_seconds"},
    {"model / real [×]",
     "gil-threads and py:threads at the same worker count and switch interval: the GIL "
     "model's speedup over the real interpreter's (1.00: a perfect model; > 1: the model is "
     "faster than CPython)"},
    {"wall 95 % CI [s]",
     "interval of this configuration's mean wall time over its verified repetitions: "},
    {"speedup 95 % CI [×]",
     "mean sequential wall / this configuration's mean wall, its interval from both means' "
     "relative standard errors (delta method on the log of the ratio): "},
    {"serial fraction e [%]",
     "Karp–Flatt experimentally determined serial fraction e = (1/S − 1/p) / (1 − 1/p) from "
     "this configuration's mean speedup S with p workers; defined for 2 or more workers. "
     "Near 0: scales well; growing with p: overhead grows with the workers; below 0: "
     "superlinear (caches)"},
    {"start-up [ms]", "mean per worker: asked to start → ready for work"},
    {"to workers [KiB]", "encoded bytes the engine wrote to worker processes"},
    {"from workers [KiB]", "encoded bytes the engine read from worker processes"},
    {"engine RSS [MiB]", "peak RSS of the engine process (VmHWM; this app included)"},
    {"workers RSS [MiB]", "sum of the worker processes' peak RSS (getrusage ru_maxrss)"},
    {"GIL hand-offs", "gil-threads: times the simulated GIL changed hands"},
    {"context switches", "voluntary + involuntary (getrusage)"},
    {"checksum", "", "checksum"},
    {"status", "", "status"},
    {"vs baseline [×]",
     "this configuration's mean wall / the baseline's (> 1: slower), 95 % interval, and "
     "Welch's t-test p (significant: p < 0.05); File › Load baseline"},
};
/// A cell as the table shows it: seconds to 4 decimals, speedup to 2, … (the raw value is
/// what the table sorts by).
QVariant displayed(int column, const QVariant& v) {
    if (v.typeId() != QMetaType::Double) return v;
    const double d = v.toDouble();
    switch (column) {
        case ResultsModel::Wall:
        case ResultsModel::CpuUser:
        case ResultsModel::CpuSystem:
            return QString::number(d, 'f', 4);
        case ResultsModel::Speedup:
        case ResultsModel::Startup:
            return QString::number(d, 'f', 2);
        case ResultsModel::Efficiency:
            return QString::number(d, 'f', 0);
        default:
            return QString::number(d, 'f', 1);
    }
}

QString modelTip(const RunResult& r) {
    QString tip = QString::fromStdString(r.summary);
    if (!isPython(r.config.model)) return tip;
    // Where a py: row's numbers come from: not the engine's threads or workers.
    QString where =
        QObject::tr(
            "Ran in the real interpreter: %1.\nWall: its own timed window around its "
            "%2; its start-up (%3 ms) is not in it.\nSpeedup: over py:sequential, "
            "the interpreter against itself; checksum against the native sequential "
            "run.")
            .arg(r.interpreter.empty() ? QStringLiteral("CPython")
                                       : QString::fromStdString(r.interpreter))
            .arg(isSequential(r.config.model) ? QObject::tr("loop") : QObject::tr("pool"))
            .arg(r.interpreterStartupSeconds * 1e3, 0, 'f', 0);
    if (r.gilWaitInferred)
        where += QObject::tr(
            "\nGIL waits: inferred (a CPU-bound task off CPU under the real GIL), not measured.");
    return tip.isEmpty() ? where : where + QStringLiteral("\n") + tip;
}

}  // namespace

ResultsModel::ResultsModel(QObject* parent) : QAbstractTableModel(parent) {}

const Interval* ResultsModel::speedupOf(const RunResult& r) const {
    if (!r.ok) return nullptr;
    const ConfigSummary* c = summaryOf(r);
    return c != nullptr && c->speedup ? &*c->speedup : nullptr;
}

void ResultsModel::clear() {
    beginResetModel();
    m_runs.clear();
    m_analysis = Analysis{};
    endResetModel();
}

void ResultsModel::setAnalysis(const Analysis& analysis) {
    m_analysis = analysis;
    if (m_runs.empty()) return;
    emit dataChanged(index(0, Speedup), index(rowCount() - 1, Efficiency));
    emit dataChanged(index(0, WallInterval), index(rowCount() - 1, SerialFraction));
    emit dataChanged(index(0, GilModelVsReal), index(rowCount() - 1, GilModelVsReal));
}

QVariant ResultsModel::modelVsRealCell(const RunResult& r, int role) const {
    if (role == Qt::TextAlignmentRole) return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    const bool compared = r.config.model == Model::GilThreads || r.config.model == Model::PyThreads;
    const ModelVsReal* row = nullptr;
    for (const ModelVsReal& x : m_analysis.modelVsReal)
        if (compared && x.workers == r.config.workers) row = &x;
    if (row == nullptr) {
        if (role == Qt::DisplayRole) return QStringLiteral("—");
        if (role != Qt::ToolTipRole) return {};
        if (!compared) return tr("only gil-threads and py:threads are compared");
        return tr("needs verified gil-threads and py:threads runs with %1 workers (and both "
                  "baselines)")
            .arg(r.config.workers);
    }
    if (role == Qt::UserRole) return row->ratio;
    if (role == Qt::DisplayRole) return QString::number(row->ratio, 'f', 2);
    if (role == Qt::ToolTipRole) {
        const double off = (row->ratio - 1.0) * 100.0;
        return tr("%1 workers: the GIL model (gil-threads) %2× over sequential, the real "
                  "interpreter (py:threads) %3× over py:sequential; the model is %4 the real "
                  "one")
            .arg(row->workers)
            .arg(row->model.value, 0, 'f', 2)
            .arg(row->real.value, 0, 'f', 2)
            .arg(std::abs(off) < 0.5 ? tr("on")
                                     : tr("%1 % %2")
                                           .arg(std::abs(off), 0, 'f', 0)
                                           .arg(off > 0 ? tr("above") : tr("below")));
    }
    return {};
}

const ConfigSummary* ResultsModel::summaryOf(const RunResult& run) const {
    return m_analysis.of(run.config);
}

namespace {

/// A statistic's cell: its value (UserRole, what the table sorts by), text and tooltip.
struct StatCell {
    QVariant value;
    QString text = QStringLiteral("—");
    QString tip;
};

StatCell wallIntervalCell(const ConfigSummary& c, const QString& tooFew) {
    if (!c.wall.hasInterval) return {{}, QStringLiteral("—"), tooFew};
    StatCell cell;
    cell.value = c.wall.ciLow;
    cell.text =
        QStringLiteral("%1 – %2").arg(c.wall.ciLow, 0, 'f', 4).arg(c.wall.ciHigh, 0, 'f', 4);
    cell.tip = ResultsModel::tr("mean %1 s over %2 repetitions; 95 % interval %3 – %4 s.\n%5")
                   .arg(c.wall.mean, 0, 'f', 4)
                   .arg(c.wall.n)
                   .arg(c.wall.ciLow, 0, 'f', 4)
                   .arg(c.wall.ciHigh, 0, 'f', 4)
                   .arg(QString::fromUtf8(kIntervalMethod));
    return cell;
}

StatCell speedupIntervalCell(const ConfigSummary& c) {
    StatCell cell;
    if (!c.speedup) {
        cell.tip = ResultsModel::tr("no verified sequential baseline to compare with");
        return cell;
    }
    if (!c.speedup->hasRange) {
        cell.tip = ResultsModel::tr(
                       "needs %1 or more verified repetitions of this configuration and of the "
                       "sequential baseline (this configuration has %2)")
                       .arg(kMinRepetitionsForInterval)
                       .arg(c.wall.n);
        return cell;
    }
    const Interval& s = *c.speedup;
    cell.value = s.low;
    // "≤" marks an upper end cut at what the workers can reach, not measured there.
    cell.text = QStringLiteral("%1 – %2%3")
                    .arg(s.low, 0, 'f', 2)
                    .arg(c.intervalCapped ? QStringLiteral("≤") : QString())
                    .arg(s.high, 0, 'f', 2);
    cell.tip = ResultsModel::tr("speedup of the means %1×; 95 % interval %2 – %3×.\n%4")
                   .arg(s.value, 0, 'f', 2)
                   .arg(s.low, 0, 'f', 2)
                   .arg(s.high, 0, 'f', 2)
                   .arg(QString::fromUtf8(kIntervalMethod));
    if (c.intervalCapped)
        cell.tip += ResultsModel::tr(
                        "\nIts upper end is cut at %1×, the most %2 workers can reach on this "
                        "machine (or the speedup itself where that is higher): the interval as "
                        "computed reaches past it.")
                        .arg(std::max(c.ideal, s.value), 0, 'f', 2)
                        .arg(c.workers);
    return cell;
}

StatCell serialFractionCell(const ConfigSummary& c) {
    StatCell cell;
    if (c.workers < 2) {
        cell.tip = ResultsModel::tr("undefined for 1 worker: Karp–Flatt divides by 1 − 1/p");
    } else if (!c.karpFlatt && !c.karpFlattNote.empty()) {
        cell.tip = QString::fromStdString(c.karpFlattNote);
    } else if (!c.karpFlatt) {
        cell.tip =
            ResultsModel::tr("needs a speedup: a verified sequential baseline and a verified run");
    } else {
        cell.value = 100 * *c.karpFlatt;
        cell.text = QString::number(100 * *c.karpFlatt, 'f', 1);
        cell.tip = ResultsModel::tr(
                       "e = (1/S − 1/p) / (1 − 1/p) with S = %1 (speedup of the means) and p = %2 "
                       "(the CPUs at work: min(workers, cores))")
                       .arg(c.speedup ? c.speedup->value : 0.0, 0, 'f', 2)
                       .arg(c.ideal, 0, 'f', 0);
    }
    return cell;
}

}  // namespace

QVariant ResultsModel::statistic(const RunResult& run, int column, int role) const {
    const ConfigSummary* c = summaryOf(run);
    const std::size_t n = c != nullptr ? c->wall.n : 0;
    StatCell cell;
    if (c == nullptr || n == 0)
        cell.tip = tr("no verified run of this configuration yet");
    else if (column == WallInterval)
        cell = wallIntervalCell(*c, tr("needs %1 or more verified repetitions (this "
                                       "configuration has %2)")
                                        .arg(kMinRepetitionsForInterval)
                                        .arg(n));
    else if (column == SpeedupInterval)
        cell = speedupIntervalCell(*c);
    else if (column == SerialFraction)
        cell = serialFractionCell(*c);
    const QVariant& value = cell.value;
    const QString& text = cell.text;
    const QString& tip = cell.tip;
    switch (role) {
        case Qt::UserRole:
            return value;
        case Qt::DisplayRole:
            return text;
        case Qt::ToolTipRole:
            return tip;
        case Qt::TextAlignmentRole:
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    }
    return {};
}

void ResultsModel::addRun(const RunResult& run) {
    if (run.config.warmup) return;
    const int row = static_cast<int>(m_runs.size());
    beginInsertRows({}, row, row);
    m_runs.push_back(run);
    endInsertRows();
    if (m_baseline) compareWithBaseline();
}

void ResultsModel::setRuns(const std::vector<RunResult>& runs) {
    beginResetModel();
    m_runs.clear();
    for (const RunResult& r : runs) {
        if (!r.config.warmup) m_runs.push_back(r);
    }
    endResetModel();
    compareWithBaseline();
}

int ResultsModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_runs.size());
}

int ResultsModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

void ResultsModel::setBaseline(std::optional<ExperimentResult> baseline) {
    m_baseline = std::move(baseline);
    compareWithBaseline();
}

void ResultsModel::compareWithBaseline() {
    m_comparisons.clear();
    if (m_baseline) {
        ExperimentResult now;
        now.runs = m_runs;
        for (Comparison& c : compareResults(*m_baseline, now))
            m_comparisons.emplace(c.configuration, std::move(c));
    }
    if (!m_runs.empty()) emit dataChanged(index(0, VsBaseline), index(rowCount() - 1, VsBaseline));
}

QVariant ResultsModel::baselineCell(const RunResult& r, int role) const {
    const auto it = m_comparisons.find(configurationLabel(r.config));
    if (role == Qt::TextAlignmentRole) return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (it == m_comparisons.end()) {
        if (role == Qt::DisplayRole) return QStringLiteral("—");
        if (role == Qt::ToolTipRole)
            return m_baseline ? tr("the baseline has no verified run of this configuration")
                              : tr("no baseline loaded (File › Load baseline)");
        return {};
    }
    const Comparison& c = it->second;
    if (role == Qt::UserRole) return c.ratio.value;
    const bool enough = c.base.n >= 2 && c.next.n >= 2;
    if (role == Qt::DisplayRole) {
        QString text = QString::number(c.ratio.value, 'f', 2);
        if (enough) text += c.significant ? QStringLiteral(" *") : QString();
        return text;
    }
    if (role == Qt::ToolTipRole) {
        QString tip = tr("mean wall %1 s now against %2 s in the baseline: ×%3")
                          .arg(c.next.mean, 0, 'f', 4)
                          .arg(c.base.mean, 0, 'f', 4)
                          .arg(c.ratio.value, 0, 'f', 3);
        if (!enough)
            return tip + tr("; no significance test: needs 2 or more verified runs on each side "
                            "(now %1, baseline %2)")
                             .arg(c.next.n)
                             .arg(c.base.n);
        if (!c.ratio.hasRange)
            return tip +
                   tr(", Welch's t-test p = %1: %2")
                       .arg(c.pValue, 0, 'g', 2)
                       .arg(c.significant ? tr("a real difference (*)") : tr("not significant"));
        return tip + tr(", 95 % interval %1 to %2, Welch's t-test p = %3: %4")
                         .arg(c.ratio.low, 0, 'f', 3)
                         .arg(c.ratio.high, 0, 'f', 3)
                         .arg(c.pValue, 0, 'g', 2)
                         .arg(c.significant ? tr("a real difference (*)") : tr("not significant"));
    }
    return {};
}

QVariant ResultsModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount()) return {};
    const RunResult& r = m_runs[static_cast<std::size_t>(index.row())];
    if (role == InterpreterRole)
        return isPython(r.config.model)
                   ? QVariant(r.interpreter.empty() ? QStringLiteral("CPython")
                                                    : QString::fromStdString(r.interpreter))
                   : QVariant();
    if (index.column() == VsBaseline) return baselineCell(r, role);
    if (index.column() == GilModelVsReal) return modelVsRealCell(r, role);
    if (index.column() >= WallInterval && index.column() <= SerialFraction)
        return statistic(r, index.column(), role);
    const bool processes = r.config.model == Model::Processes;
    auto raw = [&]() -> QVariant {
        switch (index.column()) {
            case ModelCol:
                return modelRunLabel(r.config, interpreterName(r));
            case Workers:
                return r.config.workers;
            case Chunk:
                // One loop over the tasks: no chunks to speak of (as in the text table).
                return isSequential(r.config.model) ? QVariant()
                                                    : QVariant(qulonglong(r.chunksize));
            case Repetition:
                return r.config.repetition + 1;
            case Wall:
                return r.wallSeconds;
            case PingLatency:  // the CLI's text, so the two never disagree
                return r.latency ? QVariant(QStringLiteral("%1/%2")
                                                .arg(r.latency->p50Ms, 0, 'f', 2)
                                                .arg(r.latency->p99Ms, 0, 'f', 2))
                                 : QVariant();
            case CpuUser:
                return r.cpuUserSeconds;
            case CpuSystem:
                return r.cpuSystemSeconds;
            // The configuration's speedup from the analysis, the number the verdict, the
            // charts and every export give; this run's own ratio is in the tooltip.
            case Speedup:
                return speedupOf(r) ? QVariant(speedupOf(r)->value) : QVariant();
            case Efficiency:
                return speedupOf(r) ? QVariant(100 * speedupOf(r)->value / r.config.workers)
                                    : QVariant();
            case Startup:
                return isSequential(r.config.model) ? QVariant()
                                                    : QVariant(r.meanStartupSeconds * 1e3);
            case BytesOut:
                return processes ? QVariant(r.bytesToWorkers / 1024.0) : QVariant();
            case BytesIn:
                return processes ? QVariant(r.bytesFromWorkers / 1024.0) : QVariant();
            case EngineRss:
                return r.enginePeakRssKib / 1024.0;
            case WorkersRss:
                return processes ? QVariant(r.workersPeakRssKib / 1024.0) : QVariant();
            case GilSwitches:
                return r.config.model == Model::GilThreads ? QVariant(qulonglong(r.gilSwitches))
                                                           : QVariant();
            case Switches:
                return qulonglong(r.voluntarySwitches + r.involuntarySwitches);
            case Checksum:
                return QStringLiteral("%1").arg(r.checksum, 16, 16, QLatin1Char('0'));
            case Status:
                if (r.cancelled) return QStringLiteral("cancelled");
                if (r.ok) return QStringLiteral("verified");
                return QString::fromStdString(r.error);
        }
        return {};
    };
    switch (role) {
        case Qt::UserRole:
            return raw();
        case Qt::DisplayRole:
            return displayed(index.column(), raw());
        case Qt::TextAlignmentRole:
            return index.column() == ModelCol || index.column() == Status
                       ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                       : QVariant(Qt::AlignRight | Qt::AlignVCenter);
        case Qt::ToolTipRole:
            if (index.column() == Status && !r.ok) return QString::fromStdString(r.error);
            if (index.column() == ModelCol) return modelTip(r);
            if (index.column() == Speedup && speedupOf(r) != nullptr) {
                QString tip = tr("the configuration's speedup (%1 verified runs): %2")
                                  .arg(summaryOf(r)->wall.n)
                                  .arg(QString::fromUtf8(kSpeedupEstimator));
                if (r.speedup)
                    tip += tr(".\nThis run alone: %1× (the baseline's mean wall / its wall).")
                               .arg(*r.speedup, 0, 'f', 2);
                return tip;
            }
            return {};
        case Qt::DecorationRole:
            // The model's colour, as in every chart: a CPython row is told apart at a glance.
            if (index.column() == ModelCol) {
                const bool dark =
                    QGuiApplication::palette().color(QPalette::Base).lightness() < 128;
                return (dark ? Theme::dark() : Theme::light()).modelColor(r.config.model);
            }
            return {};
        case Qt::ForegroundRole:
            if (index.column() == Status && !r.ok) return QBrush(QColor(0xD55E00));
            return {};
    }
    return {};
}

QVariant ResultsModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount) {
        return QAbstractTableModel::headerData(section, orientation, role);
    }
    if (role == Qt::DisplayRole) return QString::fromUtf8(kHeaders[section].title);
    if (role == Qt::ToolTipRole) {
        QString how = QString::fromUtf8(kHeaders[section].how);
        if (const char* key = kHeaders[section].coreKey)
            for (const RunColumn& c : runColumns())
                if (std::string_view(c.key) == key) how = QString::fromUtf8(c.how);
        // The interval columns say how intervals are computed, in the words reports use.
        if (section == WallInterval || section == SpeedupInterval)
            return how + QString::fromUtf8(kIntervalMethod);
        return how;
    }
    return {};
}

}  // namespace coreduel::ui
