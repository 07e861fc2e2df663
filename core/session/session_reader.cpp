// Reading a session file back: version 2 (parts, each opened by a PartStarted record) and
// version 1 (one experiment, described by the manifest itself), into the same Session.
#include <algorithm>
#include <filesystem>

#include "core/report/json_report.h"
#include "core/report/schema.h"
#include "core/session/session.h"
#include "core/session/session_codec.h"
#include "core/util/errors.h"

namespace coreduel {

namespace {

using nlohmann::json;

/// What a part needs until the whole file is read: the experiment and environment to rebuild
/// an interrupted part's result from, and its finished runs.
struct PartBuilder {
    json experiment;
    json environment;
    std::map<std::uint32_t, json> finished;
    std::optional<json> stored;
};

SessionLesson lessonFromJson(const json& j) {
    SessionLesson l;
    l.name = j.value("name", "");
    l.title = j.value("title", "");
    l.quick = j.value("quick", false);
    if (j.contains("parts"))
        for (const auto& p : j.at("parts")) l.parts.push_back(p.get<std::string>());
    return l;
}

/// Room for every run's events first: a million events grown by doubling cost more in copies
/// and page faults than decoding them. Counted per part, as the records will fall.
void reserveEvents(const SessionRecords& file, Session& s) {
    std::vector<std::map<std::uint32_t, std::size_t>> counts(file.version == 1 ? 1 : 0);
    for (const SessionRecord& rec : file.records) {
        if (rec.type == RecordType::PartStarted) counts.emplace_back();
        if (rec.type != RecordType::TaskEvents || counts.empty()) continue;
        try {
            const auto [run, n] = peekTaskEvents(rec.payload);
            counts.back()[run] += n;
        } catch (const SessionFormatError&) {
            // Reported with its record number when it is decoded.
        }
    }
    s.parts.resize(counts.size());
    for (std::size_t p = 0; p < counts.size(); ++p)
        for (const auto& [run, n] : counts[p]) s.parts[p].runs[run].events.reserve(n);
}

void readManifest(const std::string& payload, int version, Session& s,
                  std::vector<PartBuilder>& builders) {
    s.manifest = json::parse(payload);
    const std::string schema = s.manifest.value("schema", "");
    const char* expected = version == 1 ? kSessionSchemaV1 : kSessionSchema;
    if (schema != expected)
        throw SessionFormatError("unsupported session schema '" + schema + "' (expected " +
                                 expected + ")");
    if (version == 1) {
        // One experiment, described by the manifest itself: its only part.
        builders.resize(1);
        builders[0].experiment = s.manifest.at("experiment");
        builders[0].environment = s.manifest.value("environment", json::object());
        s.parts.resize(1);
        s.parts[0].plannedRuns = s.manifest.value("planned_runs", std::size_t{0});
        return;
    }
    s.plannedParts = std::max<std::size_t>(1, s.manifest.value("planned_parts", std::size_t{1}));
    if (s.manifest.contains("lesson")) s.lesson = lessonFromJson(s.manifest.at("lesson"));
}

/// The part the next records belong to.
SessionPart& currentPart(Session& s, std::size_t started) {
    if (started == 0) throw SessionFormatError("a part's record before any part started");
    return s.parts.at(started - 1);
}

void finishPart(SessionPart& part, PartBuilder& b, const std::string& where) {
    part.complete = b.stored.has_value();
    if (b.stored) {
        part.result = resultFromJson(*b.stored, where);
        return;
    }
    // Interrupted: the runs that finished, as a cancelled result.
    json r = {{"schema", kResultSchema},
              {"experiment", b.experiment},
              {"environment", b.environment.is_null() ? json::object() : b.environment},
              {"cancelled", true},
              {"runs", json::array()}};
    for (auto& [run, j] : b.finished) r["runs"].push_back(std::move(j));
    part.result = resultFromJson(r, where);
    part.result.cancelled = true;
}

}  // namespace

bool looksLikeSession(const std::string& path) {
    return sessionFileVersion(path) != 0;
}

Session loadSession(const std::string& path) {
    SessionRecords file = readSessionRecords(path);
    Session s;
    s.path = path;
    s.version = file.version;
    s.truncation = file.truncation;
    std::error_code ec;
    s.fileBytes = std::filesystem::file_size(path, ec);
    if (file.records.empty() || file.records.front().type != RecordType::Manifest)
        throw SessionFormatError(path + ": the session has no manifest" +
                                 (file.truncation.empty() ? "" : " (" + file.truncation + ")"));
    reserveEvents(file, s);
    std::vector<PartBuilder> builders;
    // Parts started so far (version 1: its one part starts with the manifest).
    std::size_t started = file.version == 1 ? 1 : 0;
    for (std::size_t i = 0; i < file.records.size(); ++i) {
        const SessionRecord& rec = file.records[i];
        const std::string where = path + ": record " + std::to_string(i + 1);
        try {
            switch (rec.type) {
                case RecordType::Manifest:
                    if (i != 0) throw SessionFormatError("a second manifest");
                    readManifest(rec.payload, file.version, s, builders);
                    break;
                case RecordType::PartStarted: {
                    if (file.version == 1) throw SessionFormatError("a part in a version-1 file");
                    const json j = json::parse(rec.payload);
                    SessionPart& part = s.parts.at(started);
                    part.label = j.value("label", "");
                    part.kind = j.value("kind", "experiment");
                    part.plannedRuns = j.value("planned_runs", std::size_t{0});
                    PartBuilder& b = builders.emplace_back();
                    b.experiment = j.at("experiment");
                    b.environment = j.value("environment", json::object());
                    ++started;
                    break;
                }
                case RecordType::RunStarted: {
                    const json j = json::parse(rec.payload);
                    currentPart(s, started).runs[j.at("run").get<std::uint32_t>()].config =
                        sessionConfigFromJson(j.at("config"));
                    break;
                }
                case RecordType::TaskEvents: {
                    SessionPart& part = currentPart(s, started);
                    std::uint32_t run = 0;
                    auto& target = part.runs[peekTaskEvents(rec.payload).first].events;
                    const std::size_t before = target.size();
                    decodeTaskEventsInto(rec.payload, run, target);
                    part.taskEvents += target.size() - before;
                    s.taskEvents += target.size() - before;
                    break;
                }
                case RecordType::GilTimeline: {
                    SessionPart& part = currentPart(s, started);
                    std::uint32_t run = 0;
                    GilTimeline t = decodeGilTimeline(rec.payload, run);
                    part.runs[run].gil = std::make_shared<const GilTimeline>(std::move(t));
                    break;
                }
                case RecordType::Samples: {
                    SessionPart& part = currentPart(s, started);
                    auto samples = decodeSamples(rec.payload);
                    part.samples.insert(part.samples.end(), samples.begin(), samples.end());
                    break;
                }
                case RecordType::RunFinished: {
                    SessionPart& part = currentPart(s, started);
                    json j = json::parse(rec.payload);
                    const auto run = j.at("run").get<std::uint32_t>();
                    part.runs[run].finished = true;
                    builders.at(started - 1).finished[run] = std::move(j.at("result"));
                    break;
                }
                case RecordType::Result:
                    currentPart(s, started);
                    builders.at(started - 1).stored = json::parse(rec.payload);
                    break;
                case RecordType::IpcLab: {
                    // Named: a range-for over a temporary's member would dangle.
                    const json lab = json::parse(rec.payload);
                    for (const auto& p : lab.at("points"))
                        s.ipcLab.push_back(ipcMeasurementFromJson(p));
                    break;
                }
                case RecordType::LessonOutcome:
                    s.lessonOutcome = json::parse(rec.payload).at("text").get<std::string>();
                    break;
                default:
                    break;  // a record of a later version: skipped, the rest still reads
            }
        } catch (const SessionFormatError& e) {
            throw SessionFormatError(where + ": " + e.what());
        } catch (const json::exception& e) {
            throw SessionFormatError(where + ": " + e.what());
        } catch (const InvalidArgument& e) {
            throw SessionFormatError(where + ": " + e.what());
        } catch (const std::out_of_range&) {
            throw SessionFormatError(where + ": more parts than the file announced");
        }
    }
    if (started == 0)
        throw SessionFormatError(path + ": the session has no part yet" +
                                 (file.truncation.empty() ? "" : " (" + file.truncation + ")"));
    s.parts.resize(started);
    for (std::size_t p = 0; p < started; ++p) finishPart(s.parts[p], builders[p], path);
    s.complete = s.parts.size() >= s.plannedParts &&
                 std::all_of(s.parts.begin(), s.parts.end(),
                             [](const SessionPart& p) { return p.complete; });
    return s;
}

}  // namespace coreduel
