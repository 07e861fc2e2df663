#include "core/report/json_report.h"

#include "core/report/mpi_json.h"
#include "core/report/schema.h"

namespace coreduel {

namespace {

nlohmann::json optionalNumber(const std::optional<double>& v) {
    return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

std::string hex(std::uint64_t v) {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
    return buf;
}

/// py: runs: which interpreter ran it. The interpreter axis (interpreter_spec.h): which spec
/// of the experiment's list, its short name, its build, and the GIL as measured in the run.
void addInterpreter(nlohmann::json& j, const RunResult& r) {
    j["interpreter"] = r.interpreter;
    j["interpreter_startup_seconds"] = r.interpreterStartupSeconds;
    j["gil_wait_inferred"] = r.gilWaitInferred;
    j["python"] = r.config.python;
    j["interpreter_index"] = r.config.interpreter;
    j["interpreter_label"] = r.interpreterLabel;
    j["free_threaded_build"] = r.freeThreadedBuild;
    j["gil_enabled"] = r.gilEnabled ? nlohmann::json(*r.gilEnabled) : nlohmann::json(nullptr);
}

/// What only some runs have: the interpreter (py:), the ranks (mpi), the probe's delays
/// (convoy: how late its pings were answered).
void addModelFacts(nlohmann::json& j, const RunResult& r) {
    if (isPython(r.config.model)) addInterpreter(j, r);
    if (r.mpi) j["mpi"] = mpiToJson(*r.mpi);
    if (r.latency)
        j["latency"] = {{"pings", r.latency->count},
                        {"p50_ms", r.latency->p50Ms},
                        {"p99_ms", r.latency->p99Ms},
                        {"max_ms", r.latency->maxMs}};
}

}  // namespace

// run_speedup/run_efficiency: this run's own wall against the baseline's mean, named apart from
// the configuration's speedup (analysis.configurations[].speedup), the number every view
// quotes, which a reader took them for (the table's per-run "speedup" is the configuration's).
nlohmann::json toJson(const RunResult& r) {
    nlohmann::json j;
    j["workload"] = r.workload;
    j["model"] = toString(r.config.model);
    j["workers"] = r.config.workers;
    j["start_method"] = r.config.model == Model::Processes
                            ? nlohmann::json(toString(r.config.startMethod))
                            : nlohmann::json(nullptr);
    j["transport"] = r.config.model == Model::Processes
                         ? nlohmann::json(toString(r.config.transport))
                         : nlohmann::json(nullptr);
    j["payload_bytes"] = r.config.payloadBytes;
    j["repetition"] = r.config.repetition;
    j["chunksize"] = r.chunksize;
    j["requested_chunksize"] = r.config.chunksize;  // 0: Python's rule
    j["chunks"] = r.chunks;
    j["schedule"] = toString(r.config.schedule);
    j["tasks"] = r.tasks;
    j["wall_seconds"] = r.wallSeconds;
    j["cpu_user_seconds"] = r.cpuUserSeconds;
    j["cpu_system_seconds"] = r.cpuSystemSeconds;
    j["run_speedup"] = optionalNumber(r.speedup);
    j["run_efficiency"] = optionalNumber(r.efficiency);
    j["checksum"] = hex(r.checksum);
    j["summary"] = r.summary;
    j["ok"] = r.ok;
    j["cancelled"] = r.cancelled;
    j["error"] = r.error.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.error);
    j["engine_peak_rss_kib"] = r.enginePeakRssKib;
    j["workers_peak_rss_kib"] = r.workersPeakRssKib;
    j["max_process_rss_kib"] = r.maxProcessRssKib;
    j["voluntary_context_switches"] = r.voluntarySwitches;
    j["involuntary_context_switches"] = r.involuntarySwitches;
    j["bytes_to_workers"] = r.bytesToWorkers;
    j["bytes_from_workers"] = r.bytesFromWorkers;
    j["mean_worker_startup_seconds"] = r.meanStartupSeconds;
    addModelFacts(j, r);
    if (r.config.model == Model::GilThreads) {
        j["gil"] = {{"switch_interval_ms", r.config.gilSwitchInterval.count() / 1e6},
                    {"released_by_tasks", r.config.gilReleasedByTasks},
                    {"switches", r.gilSwitches},
                    {"hold_seconds", r.gil.holdNs / 1e9},
                    {"wait_seconds", r.gil.waitNs / 1e9},
                    {"handoffs", r.gil.handoffs},
                    {"forced_drops", r.gil.forcedDrops},
                    {"drop_requests", r.gil.dropRequests}};
    }
    j["time_breakdown_seconds"] = toJson(r.time);
    auto& counters = j["counters"] = nlohmann::json::object();
    for (const auto& c : r.counters) {
        counters[c.name] =
            c.value ? nlohmann::json{{"value", *c.value}, {"unit", c.unit}, {"scaled", c.scaled}}
                    : nlohmann::json{{"value", nullptr}, {"unavailable", c.unavailable}};
    }
    auto& workers = j["per_worker"] = nlohmann::json::array();
    for (const auto& w : r.workers) {
        nlohmann::json wj{{"worker", w.worker},
                          {"pid", w.pid},
                          {"tid", w.tid},
                          {"startup_seconds", w.startupNs / 1e9},
                          {"cpu_user_seconds", w.cpuUserNs / 1e9},
                          {"cpu_system_seconds", w.cpuSystemNs / 1e9},
                          {"tasks", w.tasks},
                          {"voluntary_context_switches", w.voluntarySwitches},
                          {"involuntary_context_switches", w.involuntarySwitches},
                          {"minor_faults", w.minorFaults},
                          {"major_faults", w.majorFaults},
                          {"migrations_sampled", w.migrations},
                          {"last_cpu_sampled", w.lastCpu},
                          {"peak_pss_kib_sampled", w.peakPssKib},
                          {"peak_rss_kib_sampled", w.peakSampledRssKib},
                          {"time_breakdown_seconds", toJson(w.time)}};
        if (r.config.model == Model::Processes || r.config.model == Model::Mpi) {
            wj["peak_rss_kib"] = w.maxRssKib;
            wj["bytes_sent"] = w.bytesSent;
            wj["bytes_received"] = w.bytesReceived;
            wj["exit"] = w.exit;
        }
        if (r.config.model == Model::GilThreads) {
            wj["gil_hold_seconds"] = w.gil.holdNs / 1e9;
            wj["gil_wait_seconds"] = w.gil.waitNs / 1e9;
            wj["gil_handoffs"] = w.gil.handoffs;
        }
        workers.push_back(std::move(wj));
    }
    return j;
}

nlohmann::json toJson(const TimeBreakdown& t) {
    return {{"startup", t.startupNs / 1e9},
            {"on_cpu", t.computeNs / 1e9},
            {"blocked", t.blockedNs / 1e9},
            {"encode", t.encodeNs / 1e9},
            {"decode", t.decodeNs / 1e9},
            {"transfer", t.transferNs / 1e9},
            {"lock_wait", t.lockWaitNs / 1e9},
            {"idle", t.idleNs / 1e9},
            {"teardown", t.teardownNs / 1e9},
            {"engine_encode", t.engineEncodeNs / 1e9},
            {"engine_decode", t.engineDecodeNs / 1e9},
            {"engine_transfer", t.engineTransferNs / 1e9}};
}

nlohmann::json toJson(const Summary& s) {
    return {{"n", s.n},
            {"mean", s.mean},
            {"median", s.median},
            {"stddev", s.stddev},
            {"min", s.min},
            {"max", s.max},
            {"ci95_low", s.hasInterval ? nlohmann::json(s.ciLow) : nlohmann::json(nullptr)},
            {"ci95_high", s.hasInterval ? nlohmann::json(s.ciHigh) : nlohmann::json(nullptr)},
            {"ci95_method", kIntervalMethod},
            {"outliers", s.outliers},
            {"warnings", s.warnings}};
}

nlohmann::json toJson(const Analysis& a) {
    nlohmann::json j;
    auto interval = [](const std::optional<Interval>& i) {
        if (!i) return nlohmann::json(nullptr);
        auto bound = [&](double x) {
            return i->hasRange ? nlohmann::json(x) : nlohmann::json(nullptr);
        };
        return nlohmann::json{
            {"value", i->value}, {"ci95_low", bound(i->low)}, {"ci95_high", bound(i->high)}};
    };
    j["configurations"] = nlohmann::json::array();
    for (const auto& c : a.configs) {
        j["configurations"].push_back(
            {{"model", toString(c.model)},
             {"workers", c.workers},
             {"chunksize", c.chunksize},
             {"runs", c.runs},
             {"failed", c.failed},
             {"stopped", c.stopped},
             {"wall_seconds", toJson(c.wall)},
             {"cpu_seconds", toJson(c.cpu)},
             {"speedup", interval(c.speedup)},
             {"efficiency", interval(c.efficiency)},
             {"karp_flatt", c.karpFlatt ? nlohmann::json(*c.karpFlatt) : nlohmann::json(nullptr)},
             {"karp_flatt_none_because", c.karpFlattNote},
             {"ideal_speedup", c.ideal},
             {"above_ideal", c.aboveIdeal},
             {"ci95_capped_at_ideal", c.intervalCapped}});
    }
    // The interpreter axis: each py: configuration's interpreter (absent for native ones).
    for (std::size_t i = 0; i < a.configs.size(); ++i) {
        const auto& c = a.configs[i];
        if (!isPython(c.model)) continue;
        auto& o = j["configurations"][i];
        o["python"] = c.python;
        o["interpreter_label"] = c.interpreterLabel;
        o["free_threaded_build"] = c.freeThreadedBuild;
        o["gil_enabled"] = c.gilEnabled ? nlohmann::json(*c.gilEnabled) : nlohmann::json(nullptr);
        o["name"] = a.name(c);
    }
    if (const auto& f = a.freeThreadedCost)
        j["free_threaded_cost"] = {
            {"free_threaded_python", f->freeThreaded},     {"gil_python", f->withGil},
            {"free_threaded_label", f->freeThreadedLabel}, {"gil_label", f->withGilLabel},
            {"sequential_wall_ratio", interval(f->ratio)}, {"caveat", f->caveat}};
    j["speedup_estimator"] = kSpeedupEstimator;
    j["cores"] = a.cores;
    if (!a.modelVsRealNote.empty()) j["model_vs_real_note"] = a.modelVsRealNote;
    // Only where both GILs ran: files of native experiments stay as they were.
    for (const auto& m : a.modelVsReal)
        j["model_vs_real"].push_back(
            {{"workers", m.workers},
             {"python", m.python},
             {"interpreter_label", m.interpreterLabel},
             {"gil_threads_speedup", interval(std::optional<Interval>(m.model))},
             {"py_threads_speedup", interval(std::optional<Interval>(m.real))},
             {"model_over_real", m.ratio}});
    j["scaling"] = nlohmann::json::array();
    for (const auto& s : a.scaling) {
        nlohmann::json predicted = nlohmann::json::array();
        for (const auto& [p, v] : s.predicted)
            predicted.push_back({{"workers", p}, {"speedup", v}});
        nlohmann::json law = {{"model", toString(s.model)},
                              {"law", s.weak ? "gustafson" : "amdahl"},
                              {"amdahl_valid", s.fit.valid},
                              {"serial_fraction", s.fit.serialFraction},
                              {"serial_fraction_stderr", s.fit.standardError},
                              {"fit_points", s.fit.points},
                              {"residuals", s.fit.residuals},
                              {"predicted", predicted},
                              {"note", s.note}};
        // A py: model's law is its interpreter's (native files stay as they were).
        if (!s.python.empty()) {
            law["python"] = s.python;
            law["name"] = a.name(s);
        }
        j["scaling"].push_back(std::move(law));
    }
    j["warnings"] = a.warnings;
    return j;
}

nlohmann::json toJson(const ExperimentResult& r) {
    nlohmann::json j;
    j["schema"] = kResultSchema;
    j["experiment"] =
        toJson(r.experiment);  // the experiment-file schema, so a result can be re-run
    const auto& env = r.environment;
    j["environment"] = {{"cpu_model", env.cpuModel},
                        {"logical_cpus", env.logicalCpus},
                        {"physical_cores", env.physicalCores},
                        {"threads_per_core", env.threadsPerCore},
                        {"allowed_cpus", env.allowedCpus},
                        {"affinity", env.affinity},
                        {"governor", env.governor},
                        {"kernel", env.kernel},
                        {"load_average_1m", env.loadAverage1m},
                        {"memory_kib", env.memoryKib},
                        {"hardware_counters", env.hardwareCounters},
                        {"compiler", env.compiler}};
    if (!env.python.empty()) j["environment"]["python"] = env.python;
    j["sampler"] = {{"system_source", r.sampler.systemSource},
                    {"ours_source", r.sampler.oursSource},
                    {"interval_seconds", r.sampler.intervalSeconds},
                    {"tick_seconds", r.sampler.tickSeconds},
                    {"system_resolution_percent_points", r.sampler.systemResolutionPct()},
                    {"samples", r.samples},
                    {"own_cost_percent_of_one_core", r.samplerCostPct}};
    j["machine_load"] = {
        {"other_programs_cpu_percent", r.machineLoad.otherProgramsCpuPct},
        {"peak_run_other_programs_cpu_percent", r.machineLoad.peakRunOtherProgramsCpuPct},
        {"sampled_seconds", r.machineLoad.sampledSeconds},
        {"how",
         "per sample: busy time of all CPUs (/proc/stat) minus this process's CPU time and "
         "its worker processes' run time, clamped at 0, over the runs' sampled time"}};
    j["baseline_wall_seconds"] = optionalNumber(r.baselineWallSeconds);
    if (r.pythonBaselineWallSeconds)
        j["python_baseline_wall_seconds"] = *r.pythonBaselineWallSeconds;
    j["baseline_checksum"] = hex(r.baselineChecksum);
    j["cancelled"] = r.cancelled;
    j["ok"] = r.allOk();
    auto& runs = j["runs"] = nlohmann::json::array();
    for (const auto& run : r.runs) runs.push_back(toJson(run));
    j["analysis"] = toJson(r.analysis);
    j["units"] = {
        {"wall_seconds", "s, steady clock around the whole run incl. worker start-up and teardown"},
        {"cpu_user_seconds", "s, getrusage of the engine thread + every worker thread/process"},
        {"peak_rss",
         "KiB, VmHWM of the engine (py: runs: of the interpreter); ru_maxrss of each worker "
         "process"},
        {"speedup",
         "a configuration's speedup, the one every view quotes, is "
         "analysis.configurations[].speedup (see analysis.speedup_estimator); runs[].run_speedup "
         "is one run's: mean sequential wall / this run's wall, only for runs whose checksum "
         "matches"}};
    return j;
}

}  // namespace coreduel
