#include "core/session/chrome_trace.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <limits>
#include <map>

namespace coreduel {

namespace {

using nlohmann::json;

class TraceWriter {
public:
    TraceWriter(std::ostream& out, std::int64_t originNs) : m_out(out), m_origin(originNs) {}

    /// Time from the origin in 1/1024 µs (0.98 ns). Viewers parse ts and dur as doubles and
    /// compute ends as ts + dur: with decimal thousandths (exact ns) those sums pick up rounding
    /// noise, and a child ending with its parent seems to end after it. Multiples of 1/1024 are
    /// exact in binary, so every sum is exact and shared edges stay equal.
    std::int64_t units(std::int64_t ns) const {
        const std::int64_t rel = std::max<std::int64_t>(0, ns - m_origin);
        return (rel * 1024 + 500) / 1000;
    }
    /// "1234.5" from units: the decimal expansion of u/1024, which is exact (at most 10 digits).
    static std::string format(std::int64_t u) {
        u = std::max<std::int64_t>(0, u);
        char buf[48];
        const int n = std::snprintf(buf, sizeof buf, "%" PRId64 ".%010" PRId64, u >> 10,
                                    (u & 1023) * 9765625);
        std::string s(buf, static_cast<std::size_t>(n));
        while (s.back() == '0') s.pop_back();
        if (s.back() == '.') s.pop_back();
        return s;
    }
    std::string us(std::int64_t ns) const { return format(units(ns)); }

    void event(const std::string& body) {
        m_out << (m_first ? "\n" : ",\n") << '{' << body << '}';
        m_first = false;
    }
    void metadata(const char* what, int pid, int tid, const json& args) {
        event("\"ph\":\"M\",\"name\":\"" + std::string(what) + "\",\"pid\":" + std::to_string(pid) +
              (tid >= 0 ? ",\"tid\":" + std::to_string(tid) : "") + ",\"args\":" + args.dump());
        ++stats.metadata;
    }
    void slice(const std::string& name, const char* cat, int pid, int tid, std::int64_t startNs,
               std::int64_t endNs, const json& args) {
        event("\"ph\":\"X\",\"name\":" + json(name).dump() + ",\"cat\":\"" + cat + "\",\"pid\":" +
              std::to_string(pid) + ",\"tid\":" + std::to_string(tid) + ",\"ts\":" + us(startNs) +
              ",\"dur\":" + format(units(endNs) - units(startNs)) + ",\"args\":" + args.dump());
        ++stats.slices;
    }
    void counter(const std::string& name, int pid, std::int64_t timeNs, const json& args) {
        event("\"ph\":\"C\",\"name\":" + json(name).dump() + ",\"pid\":" + std::to_string(pid) +
              ",\"ts\":" + us(timeNs) + ",\"args\":" + args.dump());
        ++stats.counters;
    }

    ChromeTraceStats stats;

private:
    std::ostream& m_out;
    std::int64_t m_origin;
    bool m_first = true;
};

double ms(std::int64_t ns) {
    return static_cast<double>(ns) / 1e6;
}

/// "run 3: processes ×2"; in a session of several parts "part 2 (with a lock) · run 3: ...",
/// since every part numbers its runs from 1.
std::string runName(const Session& s, std::size_t part, std::uint32_t index, const RunConfig& c) {
    // With several interpreters, "py:threads · CPython 3.13t (no GIL)".
    std::string name = "run " + std::to_string(index + 1) + ": " +
                       s.parts[part].result.analysis.name(c, modelLabel(c));
    if (!isSequential(c.model)) name += " \u00d7" + std::to_string(c.workers);
    if (c.repetition > 0) name += " (repetition " + std::to_string(c.repetition + 1) + ")";
    if (c.warmup) name += " (warm-up)";
    if (s.parts.size() > 1) {
        const std::string& label = s.parts[part].label;
        name = "part " + std::to_string(part + 1) + (label.empty() ? "" : " (" + label + ")") +
               " \u00b7 " + name;
    }
    return name;
}

json taskArgs(const TaskEvent& e) {
    json a = {{"task", e.task}, {"worker", e.worker}, {"os_pid", e.pid}, {"os_tid", e.tid}};
    if (e.cpuNs >= 0) {
        a["on_cpu_ms"] = ms(taskOnCpuNs(e));
        a["on_cpu_measured_by"] = "CLOCK_THREAD_CPUTIME_ID at the task's start and end";
    }
    if (e.gilWaitNs > 0) {
        a["gil_wait_before_ms"] = ms(e.gilWaitBeforeNs);
        a["gil_wait_inside_ms"] = ms(taskGilWaitInsideNs(e));
    }
    if (e.cpuStart >= 0) a["cpu_at_start"] = e.cpuStart;
    if (e.cpuEnd >= 0) a["cpu_at_end"] = e.cpuEnd;
    if (e.sentNs > 0) a["sent_to_start_us"] = static_cast<double>(e.startNs - e.sentNs) / 1e3;
    if (e.receivedNs > 0)
        a["end_to_received_us"] = static_cast<double>(e.receivedNs - e.endNs) / 1e3;
    return a;
}

/// One worker's GIL intervals, cut at its tasks' edges: the pieces inside a task become its
/// children, the pieces between tasks stand alone. `tasks` is sorted by start.
void gilSlices(TraceWriter& w, int pid, int tid, const std::vector<const TaskEvent*>& tasks,
               const std::vector<const GilInterval*>& intervals) {
    for (const GilInterval* iv : intervals) {
        const bool hold = iv->kind == GilInterval::Hold;
        const std::string name =
            hold ? (iv->forced ? "holds the GIL (dropped on request)" : "holds the GIL")
                 : (iv->forced ? "waits for the GIL (asked for a drop)" : "waits for the GIL");
        const json args = {{"forced", iv->forced}, {"ms", ms(iv->endNs - iv->startNs)}};
        // First task that ends after the interval starts.
        auto it =
            std::lower_bound(tasks.begin(), tasks.end(), iv->startNs,
                             [](const TaskEvent* t, std::int64_t v) { return t->endNs <= v; });
        std::int64_t cursor = iv->startNs;
        for (; it != tasks.end() && (*it)->startNs < iv->endNs; ++it) {
            const TaskEvent& t = **it;
            if (t.startNs > cursor) w.slice(name, "gil", pid, tid, cursor, t.startNs, args);
            const std::int64_t a = std::max(cursor, t.startNs), b = std::min(iv->endNs, t.endNs);
            if (b > a) w.slice(name, "gil", pid, tid, a, b, args);
            cursor = std::max(cursor, t.endNs);
        }
        if (iv->endNs > cursor) w.slice(name, "gil", pid, tid, cursor, iv->endNs, args);
    }
}

/// A run's workers as threads of process `pid`: tasks, and the GIL's holds and waits.
void writeRun(TraceWriter& w, int pid, const SessionRun& run);

}  // namespace

ChromeTraceStats writeChromeTrace(const Session& s, std::ostream& out) {
    // Every part is on the same clock (CLOCK_MONOTONIC): one origin, and the parts follow each
    // other on the trace's time axis as they ran.
    std::int64_t origin = std::numeric_limits<std::int64_t>::max();
    for (const SessionPart& part : s.parts) {
        for (const auto& [index, run] : part.runs) {
            for (const TaskEvent& e : run.events) origin = std::min(origin, e.startNs);
            if (run.gil)
                for (const GilInterval& iv : run.gil->intervals)
                    origin = std::min(origin, iv.startNs);
        }
        for (const UtilizationSample& x : part.samples)
            origin = std::min(origin, x.timeNs - x.windowNs);
    }
    if (origin == std::numeric_limits<std::int64_t>::max()) origin = 0;

    std::string workloads;
    for (const SessionPart& part : s.parts) {
        const std::string& name = part.result.experiment.workload;
        if (!name.empty() && ("," + workloads + ",").find("," + name + ",") == std::string::npos)
            workloads += (workloads.empty() ? "" : ",") + name;
    }
    json other = {
        {"program", s.manifest.value("program", "coreduel")},
        {"session", s.path},
        {"workload", workloads},
        {"created", s.manifest.value("created", "")},
        {"complete", s.complete},
        {"parts", s.parts.size()},
        {"clock",
         "CLOCK_MONOTONIC; ts in microseconds from the first event, in steps of 1/1024 us"}};
    if (s.lesson) other["lesson"] = s.lesson->title;
    out << "{\"displayTimeUnit\":\"ms\",\"otherData\":" << other.dump() << ",\"traceEvents\":[";
    TraceWriter w(out, origin);

    // The machine: per-core busy share from /proc/stat, and our workers' share from schedstat.
    // One counter track per core over the whole session: the parts' samples follow each other.
    constexpr int kMachine = 0;
    bool machineNamed = false;
    for (const SessionPart& part : s.parts) {
        if (!part.samples.empty() && !machineNamed) {
            w.metadata("process_name", kMachine, -1, {{"name", "machine (per-core utilization)"}});
            w.metadata("process_sort_index", kMachine, -1, {{"sort_index", -1}});
            machineNamed = true;
        }
        for (const UtilizationSample& x : part.samples) {
            for (std::size_t c = 0; c < x.cores.size(); ++c) {
                const CoreUsage& u = x.cores[c];
                w.counter("cpu " + std::to_string(c) + " busy %", kMachine, x.timeNs,
                          {{"all programs", 100.0 * u.busy()}, {"our workers", 100.0 * u.ours}});
            }
        }
    }

    // One process per run of each part, numbered in the order they ran.
    int pid = 0;
    for (std::size_t p = 0; p < s.parts.size(); ++p) {
        for (const auto& [index, run] : s.parts[p].runs) {
            if (run.events.empty() && !run.gil) continue;
            ++pid;
            w.metadata("process_name", pid, -1, {{"name", runName(s, p, index, run.config)}});
            w.metadata("process_sort_index", pid, -1, {{"sort_index", pid}});
            writeRun(w, pid, run);
        }
    }
    out << "\n]}\n";
    return w.stats;
}

namespace {

void writeRun(TraceWriter& w, int pid, const SessionRun& run) {
    std::map<std::uint32_t, std::vector<const TaskEvent*>> byWorker;
    for (const TaskEvent& e : run.events) byWorker[e.worker].push_back(&e);
    std::map<std::uint32_t, std::vector<const GilInterval*>> gilByWorker;
    if (run.gil)
        for (const GilInterval& iv : run.gil->intervals) gilByWorker[iv.worker].push_back(&iv);
    for (const auto& [worker, ignored] : gilByWorker) byWorker[worker];  // lanes for GIL-only
    for (auto& [worker, tasks] : byWorker) {
        const int tid = static_cast<int>(worker) + 1;
        std::string name = "worker " + std::to_string(worker);
        if (!tasks.empty())
            name += " (pid " + std::to_string(tasks.front()->pid) + ", tid " +
                    std::to_string(tasks.front()->tid) + ")";
        w.metadata("thread_name", pid, tid, {{"name", name}});
        w.metadata("thread_sort_index", pid, tid, {{"sort_index", worker}});
        std::sort(tasks.begin(), tasks.end(),
                  [](const TaskEvent* a, const TaskEvent* b) { return a->startNs < b->startNs; });
        for (const TaskEvent* e : tasks)
            w.slice("task " + std::to_string(e->task), "task", pid, tid, e->startNs, e->endNs,
                    taskArgs(*e));
        if (auto g = gilByWorker.find(worker); g != gilByWorker.end())
            gilSlices(w, pid, tid, tasks, g->second);
    }
}

}  // namespace

}  // namespace coreduel
