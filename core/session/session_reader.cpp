// Reading a session file back: version 2 (parts, each opened by a PartStarted record) and
// version 1 (one experiment, described by the manifest itself), into the same Session.
//
// Damage costs only what it hit: session_file.cpp finds the damaged stretches and reads on at
// the next whole record; here the records around each stretch tell whose records were in it
// (the part it fell in, the run that was going on, runs whose start or result is missing), so
// that the runs can say so (SessionRun's flags) and a person can read it (SessionDamage::text).
#include <algorithm>
#include <cstring>
#include <set>
#include <string_view>

#include "core/report/json_report.h"
#include "core/report/schema.h"
#include "core/session/session.h"
#include "core/session/session_codec.h"
#include "core/util/errors.h"

namespace coreduel {

using nlohmann::json;

namespace {

/// The result a run's RunFinished record holds, as the engine reported it (a warm-up's too);
/// its configuration is the one its RunStarted record gave, whole. Nothing when the record does
/// not read: the part's result still has the run.
std::optional<RunResult> recordedRunResult(const json& j, const SessionRun& run,
                                           const json& experiment) {
    try {
        const std::string workload =
            experiment.is_object() ? experiment.value("workload", std::string()) : std::string();
        RunResult r = runFromJson(j, "run result", "", workload);
        if (!run.startLost) r.config = run.config;
        return r;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

/// What a part needs until the whole file is read: the experiment and environment to rebuild
/// an interrupted part's result from, and its finished runs.
struct PartBuilder {
    json experiment = json::object();
    json environment = json::object();
    std::map<std::uint32_t, json> finished;
    std::optional<json> stored;
    std::set<std::uint32_t> open;  ///< started, not finished yet
    bool damagedSinceStart = false;
};

/// What the loader learns about one damaged stretch while it reads on.
struct DamageNote {
    SessionFileDamage file;
    std::string refused;  ///< a whole record that did not read as its type: why
    std::optional<std::size_t> part;
    std::optional<std::uint32_t> openRun;  ///< started and not finished when the damage began
    std::optional<std::uint32_t> lastRun;  ///< the part's highest run index before it
    std::optional<std::uint32_t> nextRun;  ///< the first run index read after it, same part
    std::set<std::uint32_t> startLost;     ///< runs read after it whose start was not
    bool partStartLost = false;            ///< a part's start was in it
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

/// A whole record that did not read, as a damaged stretch of its own.
SessionFileDamage wholeRecord(const SessionRecord& rec, std::size_t index) {
    SessionFileDamage d;
    d.begin = rec.offset;
    d.end = rec.offset + rec.length;
    d.beforeRecord = index;
    return d;
}

bool holds(const SessionFileDamage& d, RecordType t) {
    return !d.countKnown ||
           std::find(d.lostTypes.begin(), d.lostTypes.end(), t) != d.lostTypes.end();
}

const char* typeName(RecordType t) {
    switch (t) {
        case RecordType::Manifest:
            return "the manifest";
        case RecordType::RunStarted:
            return "a run's start";
        case RecordType::TaskEvents:
            return "task events";
        case RecordType::GilTimeline:
            return "GIL intervals";
        case RecordType::Samples:
            return "per-core samples";
        case RecordType::RunFinished:
            return "a run's result";
        case RecordType::Result:
            return "a part's result";
        case RecordType::IpcLab:
            return "IPC-lab points";
        case RecordType::PartStarted:
            return "a part's start";
        case RecordType::LessonOutcome:
            return "the lesson's explanation";
    }
    return "a record of a later version";
}

class Loader {
public:
    Loader(Session& s, const SessionRecords& file) : m_s(s), m_file(file) {}
    void read();

private:
    void apply(const SessionRecord& rec, std::size_t index);
    void startPart(const json& j);
    void readManifest(const std::string& payload);
    void readTaskEvents(const SessionRecord& rec, std::size_t index);
    void damaged(const SessionFileDamage& d, std::string refused = {});
    /// The part the next records belong to; a part whose start was lost when none started.
    std::size_t current();
    std::size_t addPart(bool startLost);
    /// A record of run `run` in the current part: ties it to the damage before it.
    SessionRun& touch(std::uint32_t run, bool starting);
    void finish();
    void finishPart(std::size_t p);
    std::string describe(const DamageNote& n) const;
    std::string runName(std::size_t part, std::uint32_t run) const;

    Session& m_s;
    const SessionRecords& m_file;
    std::vector<PartBuilder> m_builders;
    std::vector<DamageNote> m_notes;
    std::optional<std::size_t> m_cur;      ///< the part records go to
    std::optional<std::size_t> m_pending;  ///< the note still waiting for its next run
    std::set<std::pair<std::size_t, std::uint32_t>> m_gapOpen;  ///< runs awaiting the gap's end
    /// Room for every run's events first (a million events grown by doubling cost more than
    /// decoding them): counted per PartStarted, as the records fall.
    std::map<std::pair<std::size_t, std::uint32_t>, std::size_t> m_eventCounts;
    std::vector<std::size_t> m_partOrdinal;  ///< per record: PartStarted records before it
};

void Loader::read() {
    std::size_t ordinal = 0;
    for (const SessionRecord& rec : m_file.records) {
        if (rec.type == RecordType::PartStarted) ++ordinal;
        m_partOrdinal.push_back(ordinal);
        if (rec.type != RecordType::TaskEvents) continue;
        try {
            const auto [run, n] = peekTaskEvents(rec.payload);
            m_eventCounts[{ordinal, run}] += n;
        } catch (const SessionFormatError&) {
            // Told as damage when it is decoded.
        }
    }
    if (m_file.version == 1 &&
        (m_file.records.empty() || m_file.records.front().type != RecordType::Manifest))
        addPart(/*startLost=*/true);  // its manifest held the experiment
    std::size_t damage = 0;
    for (std::size_t i = 0; i <= m_file.records.size(); ++i) {
        for (; damage < m_file.damage.size() && m_file.damage[damage].beforeRecord == i; ++damage)
            damaged(m_file.damage[damage]);
        if (i == m_file.records.size()) break;
        const SessionRecord& rec = m_file.records[i];
        try {
            apply(rec, i);
        } catch (const SessionFormatError& e) {
            // A manifest of another schema is another program's file, not damage.
            if (rec.type == RecordType::Manifest && i == 0 && m_s.manifest.is_null() &&
                std::string_view(e.what()).starts_with("unsupported"))
                throw SessionFormatError(m_s.path + ": record 1: " + e.what());
            damaged(wholeRecord(rec, i), e.what());
        } catch (const json::exception& e) {
            damaged(wholeRecord(rec, i), e.what());
        } catch (const InvalidArgument& e) {
            damaged(wholeRecord(rec, i), e.what());
        } catch (const FileFormatError& e) {
            damaged(wholeRecord(rec, i), e.what());
        }
    }
    finish();
}

void Loader::readManifest(const std::string& payload) {
    json manifest = json::parse(payload);
    const std::string schema = manifest.value("schema", "");
    const char* expected = m_file.version == 1 ? kSessionSchemaV1 : kSessionSchema;
    // (No schema at all: not a manifest, whatever its header's type byte says: damage.)
    if (schema.empty()) throw SessionFormatError("the manifest names no schema");
    if (schema != expected)
        throw SessionFormatError("unsupported session schema '" + schema + "' (expected " +
                                 expected + ")");
    m_s.manifest = std::move(manifest);
    if (m_file.version == 1) {
        // One experiment, described by the manifest itself: its only part.
        const std::size_t p = addPart(false);
        m_builders[p].experiment = m_s.manifest.at("experiment");
        m_builders[p].environment = m_s.manifest.value("environment", json::object());
        m_s.parts[p].plannedRuns = m_s.manifest.value("planned_runs", std::size_t{0});
        return;
    }
    m_s.plannedParts =
        std::max<std::size_t>(1, m_s.manifest.value("planned_parts", std::size_t{1}));
    if (m_s.manifest.contains("lesson")) m_s.lesson = lessonFromJson(m_s.manifest.at("lesson"));
}

std::size_t Loader::addPart(bool startLost) {
    m_s.parts.emplace_back().startLost = startLost;
    m_builders.emplace_back();
    m_cur = m_s.parts.size() - 1;
    m_pending.reset();  // a note's runs are its own part's
    return *m_cur;
}

std::size_t Loader::current() {
    return m_cur ? *m_cur : addPart(/*startLost=*/true);
}

void Loader::startPart(const json& j) {
    if (m_file.version == 1) throw SessionFormatError("a part in a version-1 file");
    // Parts whose start was lost with everything of theirs still count: the numbers stay.
    // (Bounded by the manifest's count: a part number is only as good as the file.)
    const std::size_t number = j.value("part", m_s.parts.size());
    if (number < std::min<std::size_t>(m_s.plannedParts, 1024))
        while (m_s.parts.size() < number) addPart(/*startLost=*/true);
    const std::size_t p = addPart(false);
    SessionPart& part = m_s.parts[p];
    part.label = j.value("label", "");
    part.kind = j.value("kind", "experiment");
    part.plannedRuns = j.value("planned_runs", std::size_t{0});
    m_builders[p].experiment = j.at("experiment");
    m_builders[p].environment = j.value("environment", json::object());
}

SessionRun& Loader::touch(std::uint32_t run, bool starting) {
    std::size_t p = current();
    // Run numbers do not repeat within a part, and nothing of a part follows its result: a
    // second start, or a run after the result, once damage came is a part whose own start
    // was in the damage.
    const bool repeated =
        starting && m_s.parts[p].runs.count(run) != 0 && !m_s.parts[p].runs.at(run).startLost;
    if (m_builders[p].damagedSinceStart && (repeated || m_builders[p].stored)) {
        if (!m_notes.empty()) m_notes.back().partStartLost = true;
        p = addPart(/*startLost=*/true);
    }
    SessionPart& part = m_s.parts[p];
    const bool known = part.runs.count(run) != 0;
    SessionRun& r = part.runs[run];
    if (m_pending && m_notes[*m_pending].part == p) m_notes[*m_pending].nextRun = run;
    m_pending.reset();
    if (!known && !starting && m_builders[p].damagedSinceStart) {
        // Read after damage without its start: the start and maybe some events were in it.
        r.startLost = true;
        r.eventsDamaged = true;
        if (!m_notes.empty()) m_notes.back().startLost.insert(run);
    }
    return r;
}

void Loader::readTaskEvents(const SessionRecord& rec, std::size_t index) {
    const std::uint32_t run = peekTaskEvents(rec.payload).first;
    SessionRun& r = touch(run, false);
    const std::size_t p = *m_cur;
    auto& target = r.events;
    if (target.capacity() == 0) target.reserve(m_eventCounts[{m_partOrdinal[index], run}]);
    const std::size_t before = target.size();
    std::uint32_t decodedRun = 0;
    decodeTaskEventsInto(rec.payload, decodedRun, target);
    if (m_gapOpen.erase({p, run}) != 0 && target.size() > before) {
        r.gapToNs = target[before].startNs;
        for (std::size_t i = before; i < target.size(); ++i)
            r.gapToNs = std::min(r.gapToNs, target[i].startNs);
    }
    m_s.parts[p].taskEvents += target.size() - before;
    m_s.taskEvents += target.size() - before;
}

void Loader::apply(const SessionRecord& rec, std::size_t index) {
    switch (rec.type) {
        case RecordType::Manifest:
            if (index != 0) throw SessionFormatError("a second manifest");
            readManifest(rec.payload);
            break;
        case RecordType::PartStarted:
            startPart(json::parse(rec.payload));
            break;
        case RecordType::RunStarted: {
            const json j = json::parse(rec.payload);
            const auto run = j.at("run").get<std::uint32_t>();
            const RunConfig config = sessionConfigFromJson(j.at("config"));
            touch(run, true).config = config;
            m_builders[*m_cur].open.insert(run);
            break;
        }
        case RecordType::TaskEvents:
            readTaskEvents(rec, index);
            break;
        case RecordType::GilTimeline: {
            std::uint32_t run = 0;
            GilTimeline t = decodeGilTimeline(rec.payload, run);
            touch(run, false).gil = std::make_shared<const GilTimeline>(std::move(t));
            break;
        }
        case RecordType::Samples: {
            auto samples = decodeSamples(rec.payload);
            SessionPart& part = m_s.parts[current()];
            part.samples.insert(part.samples.end(), samples.begin(), samples.end());
            break;
        }
        case RecordType::RunFinished: {
            json j = json::parse(rec.payload);
            const auto run = j.at("run").get<std::uint32_t>();
            json result = std::move(j.at("result"));
            SessionRun& r = touch(run, false);
            r.finished = true;
            r.result = recordedRunResult(result, r, m_builders[*m_cur].experiment);
            m_builders[*m_cur].open.erase(run);
            m_builders[*m_cur].finished[run] = std::move(result);
            break;
        }
        case RecordType::Result: {
            std::size_t p = current();
            if (m_builders[p].stored && m_builders[p].damagedSinceStart) {
                // A second result: a result-only part (a script's) whose start was lost.
                if (!m_notes.empty()) m_notes.back().partStartLost = true;
                p = addPart(/*startLost=*/true);
            }
            m_builders[p].stored = json::parse(rec.payload);
            break;
        }
        case RecordType::IpcLab: {
            // Named: a range-for over a temporary's member would dangle.
            const json lab = json::parse(rec.payload);
            for (const auto& p : lab.at("points")) m_s.ipcLab.push_back(ipcMeasurementFromJson(p));
            break;
        }
        case RecordType::LessonOutcome:
            m_s.lessonOutcome = json::parse(rec.payload).at("text").get<std::string>();
            break;
        default:
            break;  // a record of a later version: skipped, the rest still reads
    }
}

void Loader::damaged(const SessionFileDamage& d, std::string refused) {
    DamageNote& n = m_notes.emplace_back();
    n.file = d;
    n.refused = std::move(refused);
    // (A whole record that does not read as its type: the type byte in its header, which the
    // frame's checksum does not cover, was hit. What it really held is unknown.)
    if (d.headerOnly) return;  // the record was kept: nothing to tie to runs
    if (m_cur) {
        const std::size_t p = *m_cur;
        n.part = p;
        PartBuilder& b = m_builders[p];
        b.damagedSinceStart = true;
        SessionPart& part = m_s.parts[p];
        if (!part.runs.empty()) n.lastRun = part.runs.rbegin()->first;
        if (!b.open.empty()) n.openRun = *b.open.rbegin();
        if (n.openRun &&
            (holds(n.file, RecordType::TaskEvents) || holds(n.file, RecordType::GilTimeline))) {
            SessionRun& r = part.runs[*n.openRun];
            r.eventsDamaged = true;
            for (const TaskEvent& e : r.events) r.gapFromNs = std::max(r.gapFromNs, e.endNs);
            m_gapOpen.insert({p, *n.openRun});
        }
        m_pending = m_notes.size() - 1;
    }
    if (d.countKnown && holds(d, RecordType::PartStarted)) {
        // The records after it are a new part's, whose label and experiment went with it.
        n.partStartLost = true;
        m_builders[addPart(/*startLost=*/true)].damagedSinceStart = true;
    }
}

void Loader::finishPart(std::size_t p) {
    SessionPart& part = m_s.parts[p];
    PartBuilder& b = m_builders[p];
    const std::string where = m_s.path + ": part " + std::to_string(p + 1);
    if (b.stored) {
        try {
            part.result = resultFromJson(*b.stored, where);
            part.complete = true;
            return;
        } catch (const FileFormatError&) {
            // Read as far as its runs go, below.
        } catch (const InvalidArgument&) {
        } catch (const nlohmann::json::exception&) {
        }
    }
    // Interrupted (or its result record lost): the runs that finished, as a cancelled result.
    json r = {{"schema", kResultSchema},
              {"experiment", b.experiment},
              {"environment", b.environment.is_object() ? b.environment : json::object()},
              {"cancelled", true},
              {"runs", json::array()}};
    for (auto& [run, j] : b.finished) r["runs"].push_back(std::move(j));
    try {
        part.result = resultFromJson(r, where);
    } catch (const std::exception&) {
        // A run's result from a damaged stretch's neighbourhood does not read: the experiment
        // alone, and the runs say what they lost.
        r["runs"] = json::array();
        r["experiment"] = json::object();
        try {
            part.result = resultFromJson(r, where);
        } catch (const std::exception&) {
            part.result = ExperimentResult{};
        }
    }
    part.result.cancelled = true;
    // A run that started, whose part went on past it (a later run, a later part, or its result
    // record counted in the damage) and whose result is nowhere: lost, not still running.
    const bool partWentOn = p + 1 < m_s.parts.size();
    for (auto& [index, run] : part.runs) {
        if (run.finished || run.startLost) continue;
        const bool later = partWentOn || part.runs.upper_bound(index) != part.runs.end();
        bool counted = false;
        for (const DamageNote& n : m_notes)
            if (n.part == p && n.openRun == index && n.file.countKnown &&
                holds(n.file, RecordType::RunFinished))
                counted = true;
        if (b.damagedSinceStart && (later || counted)) run.resultLost = true;
    }
}

void Loader::finish() {
    if (m_s.parts.empty()) {
        std::string why = m_s.path + ": the session has no part";
        why += m_notes.empty() ? " yet" : " that could be read";
        if (!m_file.truncation.empty()) why += " (" + m_file.truncation + ")";
        for (const DamageNote& n : m_notes)
            why += "; damaged: bytes " + std::to_string(n.file.begin) + "-" +
                   std::to_string(n.file.end);
        throw SessionFormatError(why);
    }
    if (!m_s.manifest.is_object()) m_s.manifest = json::object();
    m_s.plannedParts = std::max(m_s.plannedParts, m_s.parts.size());
    for (std::size_t p = 0; p < m_s.parts.size(); ++p) finishPart(p);
    for (const DamageNote& n : m_notes) {
        SessionDamage& d = m_s.damage.emplace_back();
        d.fromByte = n.file.begin;
        d.toByte = n.file.end;
        d.countKnown = n.file.countKnown || !n.refused.empty();
        d.recordsLost = n.file.headerOnly    ? 0
                        : !n.refused.empty() ? 1
                        : n.file.countKnown  ? n.file.lostTypes.size()
                                             : 0;
        d.text = describe(n);
    }
    m_s.complete = m_s.parts.size() >= m_s.plannedParts &&
                   std::all_of(m_s.parts.begin(), m_s.parts.end(),
                               [](const SessionPart& p) { return p.complete; });
}

std::string Loader::runName(std::size_t part, std::uint32_t run) const {
    const SessionRun& r = m_s.parts[part].runs.at(run);
    std::string name = "run " + std::to_string(run);
    if (!r.startLost)
        name += std::string(" (") + toString(r.config.model) + " x" +
                std::to_string(r.config.workers) + ")";
    return name;
}

std::string Loader::describe(const DamageNote& n) const {
    std::string t = "damaged: bytes " + std::to_string(n.file.begin) + "-" +
                    std::to_string(n.file.end) + " of " + std::to_string(m_file.fileBytes);
    if (n.file.headerOnly)
        return t + ": a record's header; the record itself was whole and is kept";
    if (!n.refused.empty()) {
        t += ": 1 record that does not read (" + n.refused + ")";
    } else if (n.file.countKnown) {
        std::map<std::string, int> kinds;
        for (RecordType type : n.file.lostTypes) ++kinds[typeName(type)];
        t += ": " + std::to_string(n.file.lostTypes.size()) + " record" +
             (n.file.lostTypes.size() == 1 ? "" : "s") + " lost (";
        const char* sep = "";
        for (const auto& [what, count] : kinds) {
            t += sep + (count > 1 ? std::to_string(count) + "x " : "") + what;
            sep = ", ";
        }
        t += ")";
    } else {
        t += ": records lost (their headers are damaged too: how many is unknown)";
    }
    std::vector<std::string> whose;
    if (n.file.begin == std::strlen(kSessionMagic) && !m_s.manifest.contains("schema"))
        whose.push_back("the manifest (the lesson and planned parts are unknown)");
    if (n.part) {
        const std::size_t p = *n.part;
        const SessionPart& part = m_s.parts[p];
        const std::string in = m_s.parts.size() > 1 ? " of part " + std::to_string(p + 1) : "";
        if (n.openRun) {
            const SessionRun& r = part.runs.at(*n.openRun);
            if (r.eventsDamaged)
                whose.push_back("task events" + in + " of " + runName(p, *n.openRun) +
                                " (a gap in its timeline)");
            if (r.resultLost)
                whose.push_back("the result" + in + " of " + runName(p, *n.openRun));
            else if (!r.finished && part.complete)
                whose.push_back("the result record" + in + " of " + runName(p, *n.openRun) +
                                " (its totals are in the part's result)");
        }
        // Run numbers count up within a part: the ones between the runs read on either side
        // were wholly in the damage.
        const std::uint32_t first = n.lastRun ? *n.lastRun + 1 : 0;
        if (n.nextRun && *n.nextRun > first)
            whose.push_back((*n.nextRun - first == 1 ? "run " + std::to_string(first)
                                                     : "runs " + std::to_string(first) + "-" +
                                                           std::to_string(*n.nextRun - 1)) +
                            in + " entirely");
        for (std::uint32_t run : n.startLost)
            whose.push_back("the start" + in + " of run " + std::to_string(run) +
                            " (its configuration)");
    }
    if (n.partStartLost) whose.push_back("a part's start (its label and experiment)");
    if (!whose.empty()) {
        t += "; lost: ";
        for (std::size_t i = 0; i < whose.size(); ++i) t += (i ? ", " : "") + whose[i];
    }
    return t + "; every whole record after it is kept (the file was damaged, not cut short)";
}

}  // namespace

bool looksLikeSession(const std::string& path) {
    return sessionFileVersion(path) != 0;
}

Session parseSession(std::string_view bytes, const std::string& name) {
    const SessionRecords file = parseSessionRecords(bytes, name);
    Session s;
    s.path = name;
    s.version = file.version;
    s.truncation = file.truncation;
    s.fileBytes = bytes.size();
    Loader(s, file).read();
    return s;
}

Session loadSession(const std::string& path) {
    const SessionRecords file = readSessionRecords(path);
    Session s;
    s.path = path;
    s.version = file.version;
    s.truncation = file.truncation;
    s.fileBytes = file.fileBytes;
    Loader(s, file).read();
    return s;
}

std::vector<std::string> sessionLoadNotes(const Session& s) {
    std::vector<std::string> notes;
    for (const SessionDamage& d : s.damage) notes.push_back(d.text);
    if (!s.truncation.empty()) notes.push_back(s.truncation);
    return notes;
}

}  // namespace coreduel
