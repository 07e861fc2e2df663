#include "core/report/run_columns.h"

#include "core/util/format.h"

#include <cstdio>

namespace coreduel {

namespace {

std::string num(double v, const char* f) {
    return formatNumber(f, v);
}

std::string hex(std::uint64_t v) {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
    return buf;
}

bool processes(const RunResult& r) {
    return r.config.model == Model::Processes;
}

double rssMib(const RunResult& r) {
    return static_cast<double>(r.enginePeakRssKib + r.workersPeakRssKib) / 1024.0;
}

/// The workloads whose runs carry a latency probe's summary (RunResult::latency).
bool probesLatency(const std::string& workload) {
    return workload == "convoy";
}

using Row = const RunResult&;
using Result = const ExperimentResult&;

}  // namespace

const Interval* rowSpeedup(const RunResult& run, const ExperimentResult& result) {
    if (!run.ok) return nullptr;
    const ConfigSummary* c = result.analysis.of(run.config);
    return c != nullptr && c->speedup ? &*c->speedup : nullptr;
}

std::string runStatus(const RunResult& run) {
    if (run.ok) return "ok";
    if (run.cancelled) return "cancelled";
    // One line in a table row: a Python traceback would break the columns (it is whole in the
    // CSV's error column, the warnings and the JSON).
    const auto end = run.error.find('\n');
    return "FAILED: " + (end == std::string::npos ? run.error : run.error.substr(0, end) + " ...");
}

namespace {

// The rows of every per-run table, in the order they appear (a table, not a function).
const std::vector<RunColumn> kRunColumns = {
    {"workload", "workload", "the workload's name", true, kCsv,
     [](Row r, Result) { return r.workload; }},
    {"model", "model", "execution model (processes: start method / transport)", true,
     kConsole | kDocument | kCsv,
     [](Row r, Result result) { return result.analysis.name(r.config, modelLabel(r.config)); },
     [](Row r, Result) { return std::string(toString(r.config.model)); }},
    {"start_method", "start method", "how worker processes were started", true, kCsv,
     [](Row r, Result) {
         return processes(r) ? std::string(toString(r.config.startMethod)) : std::string();
     }},
    {"transport", "transport", "the channel between engine and worker processes", true, kCsv,
     [](Row r, Result) {
         return processes(r) ? std::string(toString(r.config.transport)) : std::string();
     }},
    {"workers", "workers", "threads or processes running tasks", false, kConsole | kDocument | kCsv,
     [](Row r, Result) { return std::to_string(r.config.workers); }},
    {"chunksize", "chunk", "tasks handed out per chunk (Pool.map chunksize)", false,
     kConsole | kDocument | kCsv,
     [](Row r, Result) {
         // One loop over the tasks: no chunks to speak of.
         return r.chunksize > 0 && !isSequential(r.config.model) ? std::to_string(r.chunksize)
                                                                 : std::string("-");
     },
     [](Row r, Result) { return std::to_string(r.chunksize); }},
    {"repetition", "rep", "repetition, counted from 1", false, kConsole | kDocument | kCsv,
     [](Row r, Result) { return std::to_string(r.config.repetition + 1); }},
    {"wall_seconds", "wall [s]",
     "steady clock (CLOCK_MONOTONIC) around the whole run, worker start-up and teardown "
     "included",
     false, kConsole | kDocument | kCsv, [](Row r, Result) { return num(r.wallSeconds, "%.3f"); },
     [](Row r, Result) { return num(r.wallSeconds, "%.6f"); }},
    {"cpu_user_seconds", "cpu user [s]", "getrusage / wait4 of the engine thread and every worker",
     false, kConsole | kDocument | kCsv,
     [](Row r, Result) { return num(r.cpuUserSeconds, "%.3f"); },
     [](Row r, Result) { return num(r.cpuUserSeconds, "%.6f"); }},
    {"cpu_system_seconds", "cpu sys [s]", "getrusage / wait4 of the engine thread and every worker",
     false, kConsole | kDocument | kCsv,
     [](Row r, Result) { return num(r.cpuSystemSeconds, "%.3f"); },
     [](Row r, Result) { return num(r.cpuSystemSeconds, "%.6f"); }},
    {"speedup", "speedup [x]",
     "the configuration's speedup, the one every view and export shows: mean sequential wall / "
     "mean wall of its verified runs (py: rows over py:sequential, the interpreter against "
     "itself), shown on each of its verified runs",
     false, kConsole | kDocument | kCsv,
     [](Row r, Result x) {
         const Interval* s = rowSpeedup(r, x);
         return s != nullptr ? num(s->value, "%.2f") : std::string("-");
     },
     [](Row r, Result x) {
         const Interval* s = rowSpeedup(r, x);
         return s != nullptr ? num(s->value, "%.4f") : std::string();
     }},
    {"efficiency", "efficiency", "the configuration's speedup / workers", false,
     kConsole | kDocument | kCsv,
     [](Row r, Result x) {
         const Interval* s = rowSpeedup(r, x);
         return s != nullptr ? num(s->value / r.config.workers * 100, "%.0f%%") : std::string("-");
     },
     [](Row r, Result x) {
         const Interval* s = rowSpeedup(r, x);
         return s != nullptr ? num(s->value / r.config.workers, "%.4f") : std::string();
     }},
    {"peak_rss_kib", "peak RSS [KiB]",
     "engine VmHWM (py: rows: the interpreter's) + each worker process's own VmHWM", false, kCsv,
     [](Row r, Result) { return std::to_string(r.enginePeakRssKib + r.workersPeakRssKib); }},
    {"peak_rss_mib", "peak RSS [MiB]",
     "engine VmHWM (py: rows: the interpreter's) + each worker process's own VmHWM", false,
     kConsole | kDocument, [](Row r, Result) { return num(rssMib(r), "%.1f"); }},
    {"voluntary_switches", "voluntary switches", "getrusage", false, kCsv,
     [](Row r, Result) { return std::to_string(r.voluntarySwitches); }},
    {"involuntary_switches", "involuntary switches", "getrusage", false, kCsv,
     [](Row r, Result) { return std::to_string(r.involuntarySwitches); }},
    {"context_switches", "ctx sw vol/invol", "voluntary / involuntary (getrusage)", false, kConsole,
     [](Row r, Result) {
         return std::to_string(r.voluntarySwitches) + "/" + std::to_string(r.involuntarySwitches);
     }},
    {"bytes_to_workers", "to workers [B]", "encoded bytes the engine wrote to workers", false, kCsv,
     [](Row r, Result) { return std::to_string(r.bytesToWorkers); }},
    {"bytes_from_workers", "from workers [B]", "encoded bytes the engine read from workers", false,
     kCsv, [](Row r, Result) { return std::to_string(r.bytesFromWorkers); }},
    {"ping_latency_ms", "ping p50/p99 [ms]",
     "convoy: how late the probe thread answered its pings after each sleep (CLOCK_MONOTONIC, "
     "measured by the probe once it could run again), median / 99th percentile of the run",
     false, kConsole | kDocument,
     [](Row r, Result) {
         return r.latency ? num(r.latency->p50Ms, "%.2f") + "/" + num(r.latency->p99Ms, "%.2f")
                          : std::string("-");
     },
     nullptr, probesLatency},
    {"ping_p50_ms", "ping p50 [ms]", "convoy: the median delay of the probe's pings", false, kCsv,
     [](Row r, Result) { return r.latency ? num(r.latency->p50Ms, "%.4f") : std::string(); },
     nullptr, probesLatency},
    {"ping_p99_ms", "ping p99 [ms]", "convoy: the 99th percentile delay of the probe's pings",
     false, kCsv,
     [](Row r, Result) { return r.latency ? num(r.latency->p99Ms, "%.4f") : std::string(); },
     nullptr, probesLatency},
    {"checksum", "checksum",
     "folded over every task result in task order; must equal the sequential one", true,
     kConsole | kCsv, [](Row r, Result) { return r.ok ? hex(r.checksum) : std::string("-"); },
     [](Row r, Result) { return r.ok ? hex(r.checksum) : std::string(); }},
    {"ok", "ok", "verified: the checksum matches the sequential one", false, kCsv,
     [](Row r, Result) { return std::string(r.ok ? "true" : "false"); }},
    {"status", "status", "verified, wrong result, failed or cancelled", true, kConsole | kDocument,
     [](Row r, Result) { return runStatus(r); }},
    {"error", "error", "why the run failed; empty when it was verified", true, kCsv,
     [](Row r, Result) { return r.error; }},
};

}  // namespace

const std::vector<RunColumn>& runColumns() {
    return kRunColumns;
}

std::vector<const RunColumn*> runColumnsFor(RunColumnOutput output) {
    std::vector<const RunColumn*> out;
    for (const auto& c : runColumns())
        if ((c.outputs & output) != 0 && c.shownFor == nullptr) out.push_back(&c);
    return out;
}

std::vector<const RunColumn*> runColumnsFor(RunColumnOutput output, const std::string& workload) {
    std::vector<const RunColumn*> out;
    for (const auto& c : runColumns())
        if ((c.outputs & output) != 0 && (c.shownFor == nullptr || c.shownFor(workload)))
            out.push_back(&c);
    return out;
}

}  // namespace coreduel
