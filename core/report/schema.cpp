#include "core/report/schema.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include "core/report/json_report.h"
#include "core/run/analysis.h"
#include "core/util/sys.h"
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
        return it != t.end() && it->is_number() ? static_cast<std::int64_t>(it->get<double>() * 1e9)
                                                : std::int64_t{0};
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
    return {{"schema", kExperimentSchema},
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
        } else if (key == "seed") {
            if (!v.is_number_unsigned()) fail(where, ptr, "must be a whole number, 0 or more");
            e.seed = v.get<std::uint64_t>();
        } else {
            fail(where, ptr,
                 "unknown field (allowed: schema, workload, params, models, workers, start_method, "
                 "transport, chunksize, schedule, repetitions, warmups, gil_switch_interval_ms, "
                 "gil_released_by_tasks, task_timeout_seconds, payload_bytes, sample_hz, "
                 "weak_scaling, seed)");
        }
    }
    // Cross-field checks (the workload's own parameters, ranges) with the file named.
    translate(where, "", [&] {
        validate(e);
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
    if (j.contains("environment") && j["environment"].is_object()) {
        const auto& env = j["environment"];
        r.environment.cpuModel = env.value("cpu_model", "");
        r.environment.logicalCpus = env.value("logical_cpus", 0u);
        r.environment.physicalCores = env.value("physical_cores", 0u);
        r.environment.threadsPerCore = env.value("threads_per_core", 1u);
        r.environment.allowedCpus = env.value("allowed_cpus", 0u);
        r.environment.affinity = env.value("affinity", "");
        r.environment.governor = env.value("governor", "");
        r.environment.kernel = env.value("kernel", "");
        r.environment.loadAverage1m = env.value("load_average_1m", 0.0);
        r.environment.hardwareCounters = env.value("hardware_counters", "");
    }
    if (!j.contains("runs") || !j["runs"].is_array()) fail(where, "/runs", "must be a list");
    r.cancelled = j.value("cancelled", false);
    for (std::size_t i = 0; i < j["runs"].size(); ++i) {
        const auto& o = j["runs"][i];
        const std::string ptr = "/runs/" + std::to_string(i);
        if (!o.is_object()) fail(where, ptr, "must be an object");
        RunResult run;
        for (const char* key : {"model", "workers", "wall_seconds", "ok"})
            if (!o.contains(key)) fail(where, ptr + "/" + key, "missing");
        run.workload = o.value("workload", r.experiment.workload);
        run.config.model = translate(where, ptr + "/model", [&] {
            return parseModel(text(o["model"], where, ptr + "/model"));
        });
        run.config.workers =
            number<unsigned>(o["workers"], where, ptr + "/workers", 1, kMaxWorkers);
        if (o.contains("start_method") && o["start_method"].is_string())
            run.config.startMethod = translate(where, ptr + "/start_method",
                                               [&] { return parseStartMethod(o["start_method"]); });
        if (o.contains("transport") && o["transport"].is_string())
            run.config.transport = translate(where, ptr + "/transport",
                                             [&] { return parseTransport(o["transport"]); });
        run.config.repetition = o.value("repetition", 0u);
        if (o.contains("requested_chunksize") && o["requested_chunksize"].is_number_unsigned())
            run.config.chunksize = o["requested_chunksize"].get<std::size_t>();
        run.wallSeconds = number<double>(o["wall_seconds"], where, ptr + "/wall_seconds", 0, 1e9);
        run.cpuUserSeconds = o.value("cpu_user_seconds", 0.0);
        run.cpuSystemSeconds = o.value("cpu_system_seconds", 0.0);
        if (!o["ok"].is_boolean()) fail(where, ptr + "/ok", "must be true or false");
        run.ok = o["ok"].get<bool>();
        run.cancelled = o.value("cancelled", false);
        if (o.contains("error") && o["error"].is_string()) run.error = o["error"];
        if (o.contains("speedup") && o["speedup"].is_number())
            run.speedup = o["speedup"].get<double>();
        if (o.contains("efficiency") && o["efficiency"].is_number())
            run.efficiency = o["efficiency"].get<double>();
        if (o.contains("checksum") && o["checksum"].is_string())
            run.checksum = std::stoull(o["checksum"].get<std::string>(), nullptr, 16);
        run.summary = o.value("summary", "");
        run.tasks = o.value("tasks", std::size_t{0});
        run.chunks = o.value("chunks", std::size_t{0});
        run.chunksize = o.value("chunksize", std::size_t{0});
        run.enginePeakRssKib = o.value("engine_peak_rss_kib", std::int64_t{0});
        run.workersPeakRssKib = o.value("workers_peak_rss_kib", std::int64_t{0});
        run.voluntarySwitches = o.value("voluntary_context_switches", std::uint64_t{0});
        run.involuntarySwitches = o.value("involuntary_context_switches", std::uint64_t{0});
        run.bytesToWorkers = o.value("bytes_to_workers", std::uint64_t{0});
        run.bytesFromWorkers = o.value("bytes_from_workers", std::uint64_t{0});
        // /1 had one "compute" for on and off CPU alike: its breakdown is not loaded, so a
        // reloaded /1 result never claims a sleeping task computed.
        if (!v1 && o.contains("time_breakdown_seconds") && o["time_breakdown_seconds"].is_object())
            run.time = breakdownFromJson(o["time_breakdown_seconds"]);
        r.runs.push_back(std::move(run));
    }
    if (j.contains("baseline_wall_seconds") && j["baseline_wall_seconds"].is_number())
        r.baselineWallSeconds = j["baseline_wall_seconds"].get<double>();
    if (j.contains("baseline_checksum") && j["baseline_checksum"].is_string())
        r.baselineChecksum = std::stoull(j["baseline_checksum"].get<std::string>(), nullptr, 16);
    r.analysis = analyze(r);
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
