#include "core/session/session.h"

#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>

#include "core/report/json_report.h"
#include "core/report/schema.h"
#include "core/session/session_codec.h"
#include "core/util/clock.h"
#include "core/util/errors.h"
#include "core/util/version.h"

namespace coreduel {

namespace {

using nlohmann::json;

/// A record every this many task events, or this often, whichever comes first: a kill loses at
/// most that much, and the compressor still sees enough to work with.
constexpr std::size_t kEventsPerRecord = 8192;
constexpr std::int64_t kFlushEveryNs = 500'000'000;

json configToJson(const RunConfig& c) {
    return {{"model", toString(c.model)},
            {"workers", c.workers},
            {"start_method", toString(c.startMethod)},
            {"chunksize", c.chunksize},
            {"schedule", toString(c.schedule)},
            {"gil_switch_interval_ns", c.gilSwitchInterval.count()},
            {"gil_released", c.gilReleasedByTasks},
            {"task_timeout_seconds", c.taskTimeoutSeconds},
            {"transport", toString(c.transport)},
            {"payload_bytes", c.payloadBytes},
            {"repetition", c.repetition},
            {"warmup", c.warmup}};
}

RunConfig configFromJson(const json& j) {
    RunConfig c;
    c.model = parseModel(j.at("model").get<std::string>());
    c.workers = j.at("workers").get<unsigned>();
    c.startMethod = parseStartMethod(j.value("start_method", "spawn"));
    c.chunksize = j.value("chunksize", std::size_t{0});
    c.schedule = parseSchedule(j.value("schedule", "dynamic"));
    c.gilSwitchInterval = std::chrono::nanoseconds(j.value("gil_switch_interval_ns", 5'000'000));
    c.gilReleasedByTasks = j.value("gil_released", false);
    c.taskTimeoutSeconds = j.value("task_timeout_seconds", 0.0);
    c.transport = parseTransport(j.value("transport", "pipe"));
    c.payloadBytes = j.value("payload_bytes", std::size_t{0});
    c.repetition = j.value("repetition", 0u);
    c.warmup = j.value("warmup", false);
    return c;
}

std::string utcNow() {
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

}  // namespace

json toJson(const IpcMeasurement& p) {
    return {{"mechanism", p.mechanism},
            {"bytes", p.bytes},
            {"round_trips", p.roundTrips},
            {"p50_us", p.p50Us},
            {"p99_us", p.p99Us},
            {"mean_us", p.meanUs},
            {"throughput_mib_s", p.throughputMiBs},
            {"engine_cpu_us", p.engineCpuUs},
            {"peer_cpu_us", p.peerCpuUs}};
}

IpcMeasurement ipcMeasurementFromJson(const json& j) {
    IpcMeasurement p;
    p.mechanism = j.at("mechanism").get<std::string>();
    p.bytes = j.at("bytes").get<std::size_t>();
    p.roundTrips = j.value("round_trips", std::size_t{0});
    p.p50Us = j.value("p50_us", 0.0);
    p.p99Us = j.value("p99_us", 0.0);
    p.meanUs = j.value("mean_us", 0.0);
    p.throughputMiBs = j.value("throughput_mib_s", 0.0);
    p.engineCpuUs = j.value("engine_cpu_us", 0.0);
    p.peerCpuUs = j.value("peer_cpu_us", 0.0);
    return p;
}

// ---- writing --------------------------------------------------------------------------------

SessionRecorder::SessionRecorder(const std::string& path) : m_file(path) {}

SessionRecorder::~SessionRecorder() {
    try {
        close();
    } catch (...) {
        // Reported by an explicit close(); a destructor must not throw.
    }
}

void SessionRecorder::experimentStarted(const Experiment& e, std::size_t plannedRuns) {
    ExperimentResult stub;
    stub.experiment = e;
    stub.environment = probeEnvironment();
    const json asResult = toJson(stub);
    const json manifest = {{"schema", kSessionSchema},
                           {"created", utcNow()},
                           {"program", std::string("coreduel ") + versionString()},
                           {"planned_runs", plannedRuns},
                           {"experiment", asResult.at("experiment")},
                           {"environment", asResult.at("environment")},
                           {"clock", "CLOCK_MONOTONIC, ns (task events, GIL intervals, samples)"}};
    std::lock_guard lock(m_mutex);
    m_lastFlushNs = monotonicNs();
    m_file.append(RecordType::Manifest, manifest.dump());
}

void SessionRecorder::runStarted(std::size_t runIndex, const RunConfig& c) {
    std::lock_guard lock(m_mutex);
    flushEvents();
    m_file.append(RecordType::RunStarted,
                  json{{"run", runIndex}, {"config", configToJson(c)}}.dump());
}

void SessionRecorder::taskEvents(std::size_t runIndex, std::span<const TaskEvent> events) {
    std::lock_guard lock(m_mutex);
    if (runIndex != m_eventsRun) flushEvents();
    m_eventsRun = runIndex;
    m_events.insert(m_events.end(), events.begin(), events.end());
    if (m_events.size() >= kEventsPerRecord || monotonicNs() - m_lastFlushNs > kFlushEveryNs) {
        flushEvents();
        flushSamples();
    }
}

void SessionRecorder::gilTimeline(std::size_t runIndex, const GilTimeline& timeline) {
    std::string payload = encodeGilTimeline(static_cast<std::uint32_t>(runIndex), timeline);
    std::lock_guard lock(m_mutex);
    m_file.append(RecordType::GilTimeline, std::move(payload));
}

void SessionRecorder::runFinished(std::size_t runIndex, const RunResult& r) {
    std::lock_guard lock(m_mutex);
    flushEvents();
    flushSamples();
    m_file.append(RecordType::RunFinished, json{{"run", runIndex}, {"result", toJson(r)}}.dump());
}

void SessionRecorder::experimentFinished(const ExperimentResult& r) {
    std::lock_guard lock(m_mutex);
    flushEvents();
    flushSamples();
    m_file.append(RecordType::Result, toJson(r).dump());
    closeFile();
}

void SessionRecorder::utilization(const UtilizationSample& s) {
    std::lock_guard lock(m_mutex);
    m_samples.push_back(s);
    if (monotonicNs() - m_lastFlushNs > kFlushEveryNs) {
        flushEvents();
        flushSamples();
    }
}

void SessionRecorder::addIpcLab(const std::vector<IpcMeasurement>& points) {
    json list = json::array();
    for (const auto& p : points) list.push_back(toJson(p));
    std::lock_guard lock(m_mutex);
    m_file.append(RecordType::IpcLab, json{{"points", list}}.dump());
}

void SessionRecorder::close() {
    std::lock_guard lock(m_mutex);
    closeFile();
    if (!m_error.empty()) throw std::runtime_error(m_error);
}

void SessionRecorder::closeFile() {
    if (m_closed) return;
    m_closed = true;
    try {
        flushEvents();
        flushSamples();
        m_file.close();
    } catch (const std::exception& e) {
        m_error = e.what();
    }
}

void SessionRecorder::flushEvents() {
    m_lastFlushNs = monotonicNs();
    if (m_events.empty()) return;
    m_file.append(RecordType::TaskEvents,
                  encodeTaskEvents(static_cast<std::uint32_t>(m_eventsRun), m_events));
    m_events.clear();
}

void SessionRecorder::flushSamples() {
    m_lastFlushNs = monotonicNs();
    if (m_samples.empty()) return;
    m_file.append(RecordType::Samples, encodeSamples(m_samples));
    m_samples.clear();
}

// ---- reading --------------------------------------------------------------------------------

bool looksLikeSession(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::string first(std::char_traits<char>::length(kSessionMagic), '\0');
    in.read(first.data(), static_cast<std::streamsize>(first.size()));
    return in && first == kSessionMagic;
}

Session loadSession(const std::string& path) {
    SessionRecords file = readSessionRecords(path);
    Session s;
    s.path = path;
    s.truncation = file.truncation;
    std::error_code ec;
    s.fileBytes = std::filesystem::file_size(path, ec);
    if (file.records.empty() || file.records.front().type != RecordType::Manifest)
        throw SessionFormatError(path + ": the session has no manifest" +
                                 (file.truncation.empty() ? "" : " (" + file.truncation + ")"));
    std::map<std::uint32_t, json> finished;
    std::optional<json> stored;
    // Room for every run's events first: a million events grown by doubling cost more in
    // copies and page faults than decoding them.
    {
        std::map<std::uint32_t, std::size_t> counts;
        for (const SessionRecord& rec : file.records) {
            if (rec.type != RecordType::TaskEvents) continue;
            try {
                const auto [run, n] = peekTaskEvents(rec.payload);
                counts[run] += n;
            } catch (const SessionFormatError&) {
                // Reported with its record number below.
            }
        }
        for (const auto& [run, n] : counts) s.runs[run].events.reserve(n);
    }
    for (std::size_t i = 0; i < file.records.size(); ++i) {
        const SessionRecord& rec = file.records[i];
        const std::string where = path + ": record " + std::to_string(i + 1);
        try {
            switch (rec.type) {
                case RecordType::Manifest:
                    s.manifest = json::parse(rec.payload);
                    if (s.manifest.value("schema", "") != kSessionSchema)
                        throw SessionFormatError("unsupported session schema '" +
                                                 s.manifest.value("schema", "") + "'");
                    break;
                case RecordType::RunStarted: {
                    const json j = json::parse(rec.payload);
                    s.runs[j.at("run").get<std::uint32_t>()].config =
                        configFromJson(j.at("config"));
                    break;
                }
                case RecordType::TaskEvents: {
                    std::uint32_t run = 0;
                    auto& target = s.runs[peekTaskEvents(rec.payload).first].events;
                    const std::size_t before = target.size();
                    decodeTaskEventsInto(rec.payload, run, target);
                    s.taskEvents += target.size() - before;
                    break;
                }
                case RecordType::GilTimeline: {
                    std::uint32_t run = 0;
                    GilTimeline t = decodeGilTimeline(rec.payload, run);
                    s.runs[run].gil = std::move(t);
                    break;
                }
                case RecordType::Samples: {
                    auto samples = decodeSamples(rec.payload);
                    s.samples.insert(s.samples.end(), samples.begin(), samples.end());
                    break;
                }
                case RecordType::RunFinished: {
                    json j = json::parse(rec.payload);
                    const auto run = j.at("run").get<std::uint32_t>();
                    s.runs[run].finished = true;
                    finished[run] = std::move(j.at("result"));
                    break;
                }
                case RecordType::Result:
                    stored = json::parse(rec.payload);
                    break;
                case RecordType::IpcLab: {
                    // Named: a range-for over a temporary's member would dangle.
                    const json lab = json::parse(rec.payload);
                    for (const auto& p : lab.at("points"))
                        s.ipcLab.push_back(ipcMeasurementFromJson(p));
                    break;
                }
                default:
                    break;  // a record of a later version: skipped, the rest still reads
            }
        } catch (const SessionFormatError& e) {
            throw SessionFormatError(where + ": " + e.what());
        } catch (const json::exception& e) {
            throw SessionFormatError(where + ": " + e.what());
        } catch (const InvalidArgument& e) {
            throw SessionFormatError(where + ": " + e.what());
        }
    }
    s.complete = stored.has_value();
    if (stored) {
        s.result = resultFromJson(*stored, path);
    } else {
        // Interrupted: the runs that finished, as a cancelled result.
        json r = {{"schema", kResultSchema},
                  {"experiment", s.manifest.at("experiment")},
                  {"environment", s.manifest.value("environment", json::object())},
                  {"cancelled", true},
                  {"runs", json::array()}};
        for (auto& [run, j] : finished) r["runs"].push_back(std::move(j));
        s.result = resultFromJson(r, path);
        s.result.cancelled = true;
    }
    return s;
}

}  // namespace coreduel
