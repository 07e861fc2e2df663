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

std::string utcNow() {
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

}  // namespace

json sessionConfigToJson(const RunConfig& c) {
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
            {"python", c.python},
            {"interpreter_index", c.interpreter},
            {"repetition", c.repetition},
            {"warmup", c.warmup}};
}

RunConfig sessionConfigFromJson(const json& j) {
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
    c.python = j.value("python", std::string{});
    c.interpreter = j.value("interpreter_index", 0u);
    c.repetition = j.value("repetition", 0u);
    c.warmup = j.value("warmup", false);
    return c;
}

json toJson(const IpcMeasurement& p) {
    return {{"mechanism", p.mechanism},
            // Where its sides ran (absent in sessions written before rows had a placement).
            {"placement", toString(p.placement)},
            {"bytes", p.bytes},
            {"round_trips", p.roundTrips},
            {"p50_us", p.p50Us},
            {"p99_us", p.p99Us},
            {"mean_us", p.meanUs},
            {"throughput_mib_s", p.throughputMiBs},
            {"engine_cpu_us", p.engineCpuUs},
            {"peer_cpu_us", p.peerCpuUs},
            // The lab's rounds and modes (absent in sessions written before it had them).
            {"round_medians_us", p.roundMediansUs},
            {"spin_us", p.spinUs},
            {"modes",
             {{"two_modes", p.modes.twoModes},
              {"fast_us", p.modes.fastUs},
              {"slow_us", p.modes.slowUs},
              {"fast_share", p.modes.fastShare},
              {"separation", p.modes.separation}}}};
}

IpcMeasurement ipcMeasurementFromJson(const json& j) {
    IpcMeasurement p;
    p.mechanism = j.at("mechanism").get<std::string>();
    p.bytes = j.at("bytes").get<std::size_t>();
    p.placement = parseIpcPlacement(j.value("placement", std::string("any")));
    p.roundTrips = j.value("round_trips", std::size_t{0});
    p.p50Us = j.value("p50_us", 0.0);
    p.p99Us = j.value("p99_us", 0.0);
    p.meanUs = j.value("mean_us", 0.0);
    p.throughputMiBs = j.value("throughput_mib_s", 0.0);
    p.engineCpuUs = j.value("engine_cpu_us", 0.0);
    p.peerCpuUs = j.value("peer_cpu_us", 0.0);
    p.roundMediansUs = j.value("round_medians_us", std::vector<double>{});
    p.spread = aggregateRounds(p.roundMediansUs);
    p.spinUs = j.value("spin_us", 0u);
    if (const auto m = j.find("modes"); m != j.end() && m->is_object()) {
        p.modes.twoModes = m->value("two_modes", false);
        p.modes.fastUs = m->value("fast_us", 0.0);
        p.modes.slowUs = m->value("slow_us", 0.0);
        p.modes.fastShare = m->value("fast_share", 1.0);
        p.modes.slowShare = 1 - p.modes.fastShare;
        p.modes.separation = m->value("separation", 0.0);
    }
    return p;
}

// ---- writing --------------------------------------------------------------------------------

namespace {

json lessonToJson(const SessionLesson& l) {
    return {{"name", l.name}, {"title", l.title}, {"quick", l.quick}, {"parts", l.parts}};
}

}  // namespace

SessionRecorder::SessionRecorder(const std::string& path, SessionPartInfo part)
    : m_part(std::move(part)), m_file(path, /*append=*/m_part.index > 0) {
    if (m_part.index > 0) return;
    // The session's own manifest; each part's experiment and environment follow in its
    // PartStarted record.
    json manifest = {{"schema", kSessionSchema},
                     {"created", utcNow()},
                     {"program", std::string("coreduel ") + versionString()},
                     {"planned_parts", m_part.count},
                     {"clock", "CLOCK_MONOTONIC, ns (task events, GIL intervals, samples)"}};
    if (m_part.lesson) manifest["lesson"] = lessonToJson(*m_part.lesson);
    m_file.append(RecordType::Manifest, manifest.dump());
}

SessionRecorder::~SessionRecorder() {
    try {
        close();
    } catch (...) {
        // Reported by an explicit close(); a destructor must not throw.
    }
}

void SessionRecorder::startPart(const Experiment& e, std::size_t plannedRuns,
                                const Environment& environment, const std::string& kind) {
    ExperimentResult stub;
    stub.experiment = e;
    stub.environment = environment;
    const json asResult = toJson(stub);
    m_lastFlushNs = monotonicNs();
    m_file.append(RecordType::PartStarted, json{{"part", m_part.index},
                                                {"label", m_part.label},
                                                {"kind", kind},
                                                {"planned_runs", plannedRuns},
                                                {"started", utcNow()},
                                                {"experiment", asResult.at("experiment")},
                                                {"environment", asResult.at("environment")}}
                                               .dump());
}

void SessionRecorder::experimentStarted(const Experiment& e, std::size_t plannedRuns) {
    const Environment environment = probeEnvironment();  // reads /proc: not under the lock
    std::lock_guard lock(m_mutex);
    startPart(e, plannedRuns, environment, "experiment");
}

void SessionRecorder::recordResultPart(const ExperimentResult& r, const std::string& kind) {
    std::lock_guard lock(m_mutex);
    startPart(r.experiment, r.runs.size(), r.environment, kind);
    m_file.append(RecordType::Result, toJson(r).dump());
    closeFile();
}

void SessionRecorder::runStarted(std::size_t runIndex, const RunConfig& c) {
    std::lock_guard lock(m_mutex);
    flushEvents();
    m_file.append(RecordType::RunStarted,
                  json{{"run", runIndex}, {"config", sessionConfigToJson(c)}}.dump());
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

void appendLessonOutcome(const std::string& path, const std::string& text) {
    appendSessionRecord(path, RecordType::LessonOutcome, json{{"text", text}}.dump());
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

}  // namespace coreduel
