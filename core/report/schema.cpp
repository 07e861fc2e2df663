#include "core/report/schema.h"

#include <algorithm>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <fstream>
#include <limits>
#include <sstream>
#include <type_traits>

#include "core/report/json_report.h"
#include "core/report/mpi_json.h"
#include "core/run/analysis.h"
#include "core/util/sys.h"
#include "core/vocab/interpreter_spec.h"
#include "core/workloads/params.h"
#include "core/workloads/workload.h"

namespace coreduel {

namespace {

using nlohmann::json;

[[noreturn]] void fail(const std::string& where, const std::string& pointer,
                       const std::string& what) {
    throw FileFormatError(where + ": " + (pointer.empty() ? "/" : pointer) + ": " + what);
}

const char* typeName(const json& v) {
    return v.type_name();
}

template <class T>
T number(const json& v, const std::string& where, const std::string& ptr, double lo, double hi) {
    if (!v.is_number()) fail(where, ptr, std::string("must be a number, not ") + typeName(v));
    const double d = v.get<double>();
    if (!std::isfinite(d) || d < lo || d > hi) {
        char range[96];
        std::snprintf(range, sizeof range, "must be between %.10g and %.10g (got %.10g)", lo, hi,
                      d);
        fail(where, ptr, range);
    }
    if constexpr (std::is_integral_v<T>) {
        if (d != std::floor(d)) fail(where, ptr, "must be a whole number");
    }
    return static_cast<T>(d);
}

std::string text(const json& v, const std::string& where, const std::string& ptr) {
    if (!v.is_string()) fail(where, ptr, std::string("must be a string, not ") + typeName(v));
    return v.get<std::string>();
}

/// One interpreter as a string (files before the interpreter axis), several as a list of
/// specs: the comma-separated list Experiment::python holds.
std::string interpreterList(const json& v, const std::string& where, const std::string& ptr) {
    if (!v.is_array()) return text(v, where, ptr);
    std::string list;
    for (std::size_t i = 0; i < v.size(); ++i)
        list += (i ? "," : "") + text(v[i], where, ptr + "/" + std::to_string(i));
    return list;
}

/// An optional field of a result file: `fallback` when absent, an error naming it when it has
/// the wrong type (nlohmann's value() would throw its own type_error, naming nothing).
template <class T>
T optional(const json& o, const char* key, T fallback, const std::string& where,
           const std::string& ptr) {
    const auto it = o.find(key);
    if (it == o.end()) return fallback;
    const std::string at = ptr + "/" + key;
    if constexpr (std::is_same_v<T, bool>) {
        if (!it->is_boolean()) fail(where, at, "must be true or false");
    } else if constexpr (std::is_same_v<T, std::string>) {
        if (!it->is_string())
            fail(where, at, std::string("must be a string, not ") + typeName(*it));
    } else if constexpr (std::is_floating_point_v<T>) {
        if (!it->is_number())
            fail(where, at, std::string("must be a number, not ") + typeName(*it));
    } else if constexpr (std::is_unsigned_v<T>) {
        if (!it->is_number_unsigned())
            fail(where, at, std::string("must be a whole number >= 0, not ") + typeName(*it));
        if (it->template get<std::uint64_t>() > std::numeric_limits<T>::max())
            fail(where, at, "is too large");
    } else {
        if (!it->is_number_integer())
            fail(where, at, std::string("must be a whole number, not ") + typeName(*it));
    }
    return it->template get<T>();
}

/// A 64-bit checksum written as hexadecimal text ("00ff..."): 1 to 16 hex digits.
std::uint64_t checksum(const json& v, const std::string& where, const std::string& ptr) {
    const std::string s = text(v, where, ptr);
    if (s.empty() || s.size() > 16 ||
        s.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos)
        fail(where, ptr, "must be 1 to 16 hexadecimal digits (got '" + s.substr(0, 40) + "')");
    return std::stoull(s, nullptr, 16);
}

template <class F>
auto translate(const std::string& where, const std::string& ptr, F&& f) {
    try {
        return f();
    } catch (const InvalidArgument& e) {
        fail(where, ptr, e.what());
    }
}

TimeBreakdown breakdownFromJson(const json& t) {
    auto ns = [&t](const char* key) {
        const auto it = t.find(key);
        if (it == t.end() || !it->is_number()) return std::int64_t{0};
        // A damaged file may hold anything: keep the conversion defined (0 .. ~30 years).
        const double s = std::clamp(it->get<double>(), 0.0, 1e9);
        return static_cast<std::int64_t>(s * 1e9);
    };
    TimeBreakdown b;
    b.startupNs = ns("startup");
    b.computeNs = ns("on_cpu");
    b.blockedNs = ns("blocked");
    b.encodeNs = ns("encode");
    b.decodeNs = ns("decode");
    b.transferNs = ns("transfer");
    b.lockWaitNs = ns("lock_wait");
    b.idleNs = ns("idle");
    b.teardownNs = ns("teardown");
    b.engineEncodeNs = ns("engine_encode");
    b.engineDecodeNs = ns("engine_decode");
    b.engineTransferNs = ns("engine_transfer");
    return b;
}

}  // namespace

json toJson(const Experiment& e) {
    json models = json::array();
    for (auto m : e.models) models.push_back(toString(m));
    json j = {{"schema", kExperimentSchema},
              {"workload", e.workload},
              {"params", e.params},
              {"models", models},
              {"workers", e.workerCounts},
              {"start_method", toString(e.startMethod)},
              {"transport", toString(e.transport)},
              {"chunksize", e.chunksizes.size() == 1 ? json(e.chunksizes[0]) : json(e.chunksizes)},
              {"schedule", toString(e.schedule)},
              {"repetitions", e.repetitions},
              {"warmups", e.warmups},
              {"gil_switch_interval_ms", e.gilSwitchIntervalMs},
              {"gil_released_by_tasks", e.gilReleasedByTasks},
              {"task_timeout_seconds", e.taskTimeoutSeconds},
              {"payload_bytes", e.payloadBytes},
              {"sample_hz", e.sampleHz},
              {"weak_scaling", e.weakScaling},
              {"seed", e.seed}};
    // "" = python3: files stay as they were; one interpreter a string, several a list.
    if (const auto list = splitInterpreters(e.python); list.size() > 1)
        j["python"] = list;
    else if (!e.python.empty())
        j["python"] = e.python;
    if (!e.mpirun.empty()) j["mpirun"] = e.mpirun;
    if (!e.hostfile.empty()) j["hostfile"] = e.hostfile;
    return j;
}

Experiment experimentFromJson(const json& j, const std::string& where) {
    if (!j.is_object()) fail(where, "", std::string("must be an object, not ") + typeName(j));
    Experiment e;
    for (const auto& [key, v] : j.items()) {
        const std::string ptr = "/" + key;
        if (key == "schema") {
            const auto s = text(v, where, ptr);
            if (s != kExperimentSchema)
                fail(where, ptr,
                     "unsupported schema '" + s + "' (this CoreDuel reads " + kExperimentSchema +
                         ")");
        } else if (key == "workload") {
            e.workload = text(v, where, ptr);
            translate(where, ptr, [&] { return findWorkloadInfo(e.workload).name; });
        } else if (key == "params") {
            if (!v.is_object()) fail(where, ptr, "must be an object of name: value");
            e.params.clear();
            for (const auto& [name, value] : v.items()) {
                if (value.is_string())
                    e.params[name] = value.get<std::string>();
                else if (value.is_number() || value.is_boolean())
                    e.params[name] = value.dump();
                else
                    fail(where, ptr + "/" + name, "must be a string or a number");
            }
        } else if (key == "models") {
            if (v.is_string()) {
                e.models = translate(where, ptr, [&] { return parseModels(v.get<std::string>()); });
            } else if (v.is_array()) {
                e.models.clear();
                for (std::size_t i = 0; i < v.size(); ++i) {
                    const auto p = ptr + "/" + std::to_string(i);
                    e.models.push_back(
                        translate(where, p, [&] { return parseModel(text(v[i], where, p)); }));
                }
            } else {
                fail(where, ptr, "must be a list of models or \"all\"");
            }
        } else if (key == "workers") {
            if (v.is_string()) {
                e.workerCounts =
                    translate(where, ptr, [&] { return parseWorkerCounts(v.get<std::string>()); });
            } else if (v.is_array()) {
                e.workerCounts.clear();
                for (std::size_t i = 0; i < v.size(); ++i)
                    e.workerCounts.push_back(number<unsigned>(
                        v[i], where, ptr + "/" + std::to_string(i), 1, kMaxWorkers));
            } else {
                fail(where, ptr, "must be a list of worker counts or a string like \"1-8\"");
            }
        } else if (key == "start_method") {
            e.startMethod =
                translate(where, ptr, [&] { return parseStartMethod(text(v, where, ptr)); });
        } else if (key == "transport") {
            e.transport =
                translate(where, ptr, [&] { return parseTransport(text(v, where, ptr)); });
        } else if (key == "schedule") {
            e.schedule = translate(where, ptr, [&] { return parseSchedule(text(v, where, ptr)); });
        } else if (key == "chunksize") {
            if (v.is_array()) {
                e.chunksizes.clear();
                for (std::size_t i = 0; i < v.size(); ++i)
                    e.chunksizes.push_back(
                        number<std::size_t>(v[i], where, ptr + "/" + std::to_string(i), 0, 1e8));
            } else {
                e.chunksizes = {number<std::size_t>(v, where, ptr, 0, 1e8)};
            }
        } else if (key == "repetitions") {
            e.repetitions = number<unsigned>(v, where, ptr, 1, 1000);
        } else if (key == "warmups") {
            e.warmups = number<unsigned>(v, where, ptr, 0, 100);
        } else if (key == "gil_switch_interval_ms") {
            e.gilSwitchIntervalMs = number<double>(v, where, ptr, 0.01, 10000);
        } else if (key == "gil_released_by_tasks") {
            if (!v.is_boolean()) fail(where, ptr, "must be true or false");
            e.gilReleasedByTasks = v.get<bool>();
        } else if (key == "task_timeout_seconds") {
            e.taskTimeoutSeconds = number<double>(v, where, ptr, 0, 86400);
        } else if (key == "payload_bytes") {
            e.payloadBytes = number<std::size_t>(v, where, ptr, 0, 64.0 * 1024 * 1024);
        } else if (key == "weak_scaling") {
            if (!v.is_boolean()) fail(where, ptr, "must be true or false");
            e.weakScaling = v.get<bool>();
        } else if (key == "sample_hz") {
            e.sampleHz = number<double>(v, where, ptr, 0, 1000);
        } else if (key == "python") {
            e.python = interpreterList(v, where, ptr);
        } else if (key == "mpirun") {
            e.mpirun = text(v, where, ptr);
        } else if (key == "hostfile") {
            e.hostfile = text(v, where, ptr);
        } else if (key == "seed") {
            if (!v.is_number_unsigned()) fail(where, ptr, "must be a whole number, 0 or more");
            e.seed = v.get<std::uint64_t>();
        } else {
            fail(where, ptr,
                 "unknown field (allowed: schema, workload, params, models, workers, start_method, "
                 "transport, chunksize, schedule, repetitions, warmups, gil_switch_interval_ms, "
                 "gil_released_by_tasks, task_timeout_seconds, payload_bytes, sample_hz, "
                 "weak_scaling, seed, python, mpirun, hostfile)");
        }
    }
    // Cross-field checks (the workload's own parameters, ranges), loading no user code.
    translate(where, "", [&] {
        validate(e, /*loadUserCode=*/false);
        return 0;
    });
    return e;
}

json readJsonFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw FileFormatError(path + ": cannot be read: " + std::strerror(errno));
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string content = ss.str();
    try {
        return json::parse(content);
    } catch (const json::out_of_range& e) {
        // A number beyond a double ("1e999"): nlohmann reports it as out_of_range, not as a
        // parse error, and gives no position.
        throw FileFormatError(path + ":1:1: " + e.what());
    } catch (const json::parse_error& e) {
        // nlohmann gives a byte offset; people want line and column.
        std::size_t line = 1, col = 1;
        for (std::size_t i = 0; i + 1 < e.byte && i < content.size(); ++i) {
            if (content[i] == '\n') {
                ++line;
                col = 1;
            } else {
                ++col;
            }
        }
        std::string what = e.what();
        const auto colon = what.find("syntax error");
        throw FileFormatError(path + ":" + std::to_string(line) + ":" + std::to_string(col) + ": " +
                              (colon != std::string::npos ? what.substr(colon) : what));
    }
}

Experiment loadExperimentFile(const std::string& path) {
    const auto j = readJsonFile(path);
    if (j.is_object() && j.contains("schema") &&
        (j["schema"] == kResultSchema || j["schema"] == kResultSchemaV1)) {
        if (!j.contains("experiment")) fail(path, "/experiment", "missing");
        return experimentFromJson(j["experiment"], path + " (/experiment)");
    }
    return experimentFromJson(j, path);
}

namespace {

/// Where a result was measured, as its file says; every fact the file holds comes back.
Environment environmentFromJson(const json& env, const std::string& where) {
    Environment out;
    const std::string e = "/environment";
    out.cpuModel = optional<std::string>(env, "cpu_model", "", where, e);
    out.logicalCpus = optional(env, "logical_cpus", 0u, where, e);
    out.physicalCores = optional(env, "physical_cores", 0u, where, e);
    out.threadsPerCore = optional(env, "threads_per_core", 1u, where, e);
    out.allowedCpus = optional(env, "allowed_cpus", 0u, where, e);
    out.affinity = optional<std::string>(env, "affinity", "", where, e);
    out.governor = optional<std::string>(env, "governor", "", where, e);
    out.kernel = optional<std::string>(env, "kernel", "", where, e);
    out.loadAverage1m = optional(env, "load_average_1m", 0.0, where, e);
    out.hardwareCounters = optional<std::string>(env, "hardware_counters", "", where, e);
    out.python = optional<std::string>(env, "python", "", where, e);
    // Every fact the file holds comes back: a report of a reopened result says what the
    // one of the live run said.
    out.memoryKib = optional<std::int64_t>(env, "memory_kib", 0, where, e);
    out.compiler = optional<std::string>(env, "compiler", "", where, e);
    return out;
}

/// The counters and facts of a run that every model may have (all optional).
void readRunCounters(const json& o, RunResult& run, const std::string& where,
                     const std::string& ptr) {
    run.summary = optional<std::string>(o, "summary", "", where, ptr);
    if (const auto l = o.find("latency"); l != o.end() && l->is_object()) {
        const std::string lp = ptr + "/latency";
        LatencySummary lat;
        lat.count = optional(*l, "pings", std::size_t{0}, where, lp);
        lat.p50Ms = optional(*l, "p50_ms", 0.0, where, lp);
        lat.p99Ms = optional(*l, "p99_ms", 0.0, where, lp);
        lat.maxMs = optional(*l, "max_ms", 0.0, where, lp);
        run.latency = lat;
    }
    run.tasks = optional(o, "tasks", std::size_t{0}, where, ptr);
    run.chunks = optional(o, "chunks", std::size_t{0}, where, ptr);
    run.chunksize = optional(o, "chunksize", std::size_t{0}, where, ptr);
    run.enginePeakRssKib = optional(o, "engine_peak_rss_kib", std::int64_t{0}, where, ptr);
    run.workersPeakRssKib = optional(o, "workers_peak_rss_kib", std::int64_t{0}, where, ptr);
    run.voluntarySwitches = optional(o, "voluntary_context_switches", std::uint64_t{0}, where, ptr);
    run.involuntarySwitches =
        optional(o, "involuntary_context_switches", std::uint64_t{0}, where, ptr);
    run.bytesToWorkers = optional(o, "bytes_to_workers", std::uint64_t{0}, where, ptr);
    run.bytesFromWorkers = optional(o, "bytes_from_workers", std::uint64_t{0}, where, ptr);
    run.maxProcessRssKib = optional(o, "max_process_rss_kib", std::int64_t{0}, where, ptr);
    run.meanStartupSeconds = optional(o, "mean_worker_startup_seconds", 0.0, where, ptr);
    run.interpreter = optional<std::string>(o, "interpreter", "", where, ptr);
    run.interpreterStartupSeconds = optional(o, "interpreter_startup_seconds", 0.0, where, ptr);
    run.gilWaitInferred = optional(o, "gil_wait_inferred", false, where, ptr);
    // The interpreter axis; absent in files written before it (one interpreter).
    run.config.python = optional<std::string>(o, "python", "", where, ptr);
    run.config.interpreter = optional(o, "interpreter_index", 0u, where, ptr);
    run.interpreterLabel = optional<std::string>(o, "interpreter_label", "", where, ptr);
    run.freeThreadedBuild = optional(o, "free_threaded_build", false, where, ptr);
    if (const auto g = o.find("gil_enabled"); g != o.end() && g->is_boolean())
        run.gilEnabled = g->get<bool>();
}

/// gil-threads: the modelled lock's settings and counters.
void readGil(const json& g, RunResult& run, const std::string& where, const std::string& gp) {
    const double intervalMs = optional(g, "switch_interval_ms", 5.0, where, gp);
    run.config.gilSwitchInterval =
        std::chrono::nanoseconds(static_cast<std::int64_t>(intervalMs * 1e6));
    run.config.gilReleasedByTasks = optional(g, "released_by_tasks", false, where, gp);
    run.gilSwitches = optional(g, "switches", std::uint64_t{0}, where, gp);
    run.gil.holdNs = static_cast<std::int64_t>(optional(g, "hold_seconds", 0.0, where, gp) * 1e9);
    run.gil.waitNs = static_cast<std::int64_t>(optional(g, "wait_seconds", 0.0, where, gp) * 1e9);
    run.gil.handoffs = optional(g, "handoffs", std::uint64_t{0}, where, gp);
    run.gil.forcedDrops = optional(g, "forced_drops", std::uint64_t{0}, where, gp);
    run.gil.dropRequests = optional(g, "drop_requests", std::uint64_t{0}, where, gp);
}

}  // namespace

RunResult runFromJson(const json& o, const std::string& where, const std::string& ptr,
                      const std::string& defaultWorkload, bool v1) {
    if (!o.is_object()) fail(where, ptr, "must be an object");
    RunResult run;
    for (const char* key : {"model", "workers", "wall_seconds", "ok"})
        if (!o.contains(key)) fail(where, ptr + "/" + key, "missing");
    run.workload = optional(o, "workload", defaultWorkload, where, ptr);
    run.config.model = translate(
        where, ptr + "/model", [&] { return parseModel(text(o["model"], where, ptr + "/model")); });
    run.config.workers = number<unsigned>(o["workers"], where, ptr + "/workers", 1, kMaxWorkers);
    if (o.contains("start_method") && o["start_method"].is_string())
        run.config.startMethod = translate(where, ptr + "/start_method",
                                           [&] { return parseStartMethod(o["start_method"]); });
    if (o.contains("transport") && o["transport"].is_string())
        run.config.transport =
            translate(where, ptr + "/transport", [&] { return parseTransport(o["transport"]); });
    run.config.repetition = optional(o, "repetition", 0u, where, ptr);
    if (o.contains("requested_chunksize") && o["requested_chunksize"].is_number_unsigned())
        run.config.chunksize = o["requested_chunksize"].get<std::size_t>();
    run.wallSeconds = number<double>(o["wall_seconds"], where, ptr + "/wall_seconds", 0, 1e9);
    run.cpuUserSeconds = optional(o, "cpu_user_seconds", 0.0, where, ptr);
    run.cpuSystemSeconds = optional(o, "cpu_system_seconds", 0.0, where, ptr);
    if (!o["ok"].is_boolean()) fail(where, ptr + "/ok", "must be true or false");
    run.ok = o["ok"].get<bool>();
    run.cancelled = optional(o, "cancelled", false, where, ptr);
    if (o.contains("error") && o["error"].is_string()) run.error = o["error"];
    // "speedup"/"efficiency": files written before the per-run values were named apart.
    for (const char* key : {"run_speedup", "speedup"})
        if (!run.speedup && o.contains(key) && o[key].is_number())
            run.speedup = o[key].get<double>();
    for (const char* key : {"run_efficiency", "efficiency"})
        if (!run.efficiency && o.contains(key) && o[key].is_number())
            run.efficiency = o[key].get<double>();
    if (o.contains("checksum") && !o["checksum"].is_null())
        run.checksum = checksum(o["checksum"], where, ptr + "/checksum");
    readRunCounters(o, run, where, ptr);
    if (o.contains("mpi") && o["mpi"].is_object()) run.mpi = mpiFromJson(o["mpi"], where);
    if (o.contains("schedule") && o["schedule"].is_string())
        run.config.schedule =
            translate(where, ptr + "/schedule", [&] { return parseSchedule(o["schedule"]); });
    run.config.payloadBytes = optional(o, "payload_bytes", std::size_t{0}, where, ptr);
    if (o.contains("gil") && o["gil"].is_object()) readGil(o["gil"], run, where, ptr + "/gil");
    // /1 had one "compute" for on and off CPU alike: its breakdown is not loaded, so a
    // reloaded /1 result never claims a sleeping task computed.
    if (!v1 && o.contains("time_breakdown_seconds") && o["time_breakdown_seconds"].is_object())
        run.time = breakdownFromJson(o["time_breakdown_seconds"]);
    return run;
}

ExperimentResult resultFromJson(const json& j, const std::string& where) {
    if (!j.is_object()) fail(where, "", "must be an object");
    if (!j.contains("schema") || (j["schema"] != kResultSchema && j["schema"] != kResultSchemaV1))
        fail(where, "/schema",
             std::string("must be \"") + kResultSchema + "\" (or the older \"" + kResultSchemaV1 +
                 "\")");
    const bool v1 = j["schema"] == kResultSchemaV1;
    ExperimentResult r;
    if (!j.contains("experiment")) fail(where, "/experiment", "missing");
    r.experiment = experimentFromJson(j["experiment"], where + " (/experiment)");
    if (j.contains("environment") && j["environment"].is_object())
        r.environment = environmentFromJson(j["environment"], where);
    if (!j.contains("runs") || !j["runs"].is_array()) fail(where, "/runs", "must be a list");
    r.cancelled = optional(j, "cancelled", false, where, "");
    for (std::size_t i = 0; i < j["runs"].size(); ++i)
        r.runs.push_back(runFromJson(j["runs"][i], where, "/runs/" + std::to_string(i),
                                     r.experiment.workload, v1));
    if (j.contains("machine_load") && j["machine_load"].is_object()) {
        const auto& m = j["machine_load"];
        auto pct = [&m](const char* key) {
            const auto it = m.find(key);
            return it != m.end() && it->is_number() ? std::clamp(it->get<double>(), 0.0, 1e9) : 0.0;
        };
        r.machineLoad.otherProgramsCpuPct = pct("other_programs_cpu_percent");
        r.machineLoad.peakRunOtherProgramsCpuPct = pct("peak_run_other_programs_cpu_percent");
        r.machineLoad.sampledSeconds = pct("sampled_seconds");
    }
    if (j.contains("baseline_wall_seconds") && j["baseline_wall_seconds"].is_number())
        r.baselineWallSeconds = j["baseline_wall_seconds"].get<double>();
    if (j.contains("python_baseline_wall_seconds") && j["python_baseline_wall_seconds"].is_number())
        r.pythonBaselineWallSeconds = j["python_baseline_wall_seconds"].get<double>();
    if (j.contains("baseline_checksum") && !j["baseline_checksum"].is_null())
        r.baselineChecksum = checksum(j["baseline_checksum"], where, "/baseline_checksum");
    applyAnalysis(r);
    return r;
}

ExperimentResult loadResultFile(const std::string& path) {
    return resultFromJson(readJsonFile(path), path);
}

void writeFileAtomically(const std::string& path, const std::string& text) {
    const auto slash = path.find_last_of('/');
    const std::string dir =
        slash == std::string::npos ? "." : path.substr(0, slash == 0 ? 1 : slash);
    std::string tmp = dir + "/.coreduel-XXXXXX";
    UniqueFd fd(::mkstemp(tmp.data()));
    if (!fd.valid()) throwSystemError("cannot create a temporary file in " + dir);
    try {
        writeAll(fd.get(), text.data(), text.size());
        if (::fsync(fd.get()) != 0) throwSystemError("fsync " + tmp);
        if (::fchmod(fd.get(), 0644) != 0) throwSystemError("fchmod " + tmp);
        fd.reset();
        if (::rename(tmp.c_str(), path.c_str()) != 0) throwSystemError("rename to " + path);
    } catch (...) {
        ::unlink(tmp.c_str());
        throw;
    }
}

}  // namespace coreduel
