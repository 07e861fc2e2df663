// Damaged sessions (issue 27): bytes flipped inside a session file cost only the records they
// hit. Every intact record around them is read as in the undamaged file, the runs say what they
// lost, and the account names damage, never an interrupted run; a real cut at the end still
// reads as one.

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <sstream>

#include "core/session/session.h"
#include "core/session/session_codec.h"
#include "test_support.h"

using namespace coreduel;
using coreduel::test::runExperiment;

namespace {

std::string tempPath(const std::string& name) {
    return (std::filesystem::temp_directory_path() /
            ("coreduel-damage-test-" + std::to_string(::getpid()) + "-" + name))
        .string();
}

/// Ten runs (sequential, threads and processes at 1 and 2 workers, twice), as in the issue.
Experiment tenRuns() {
    Experiment e;
    e.workload = "primes";
    e.params = {{"end", "60000"}, {"tasks", "16"}};
    e.models = {Model::Sequential, Model::Threads, Model::Processes};
    e.workerCounts = {1, 2};
    e.repetitions = 2;
    e.warmups = 0;
    e.sampleHz = 20;
    return e;
}

std::string readAll(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

/// One recorded session, shared by the tests of this process (each test is its own process
/// under ctest, so this runs the experiment once per test).
struct Recorded {
    std::string path;
    std::string bytes;
    Session whole;
    SessionRecords records;
};

const Recorded& recorded() {
    static const Recorded r = [] {
        Recorded out;
        out.path = tempPath("whole.coreduel");
        {
            SessionRecorder recorder(out.path);
            runExperiment(tenRuns(), &recorder);
            recorder.close();
        }
        out.bytes = readAll(out.path);
        out.whole = loadSession(out.path);
        out.records = parseSessionRecords(out.bytes, out.path);
        std::filesystem::remove(out.path);
        return out;
    }();
    return r;
}

/// The run a record belongs to, when it is a run's.
std::optional<std::uint32_t> runOf(const SessionRecord& rec) {
    switch (rec.type) {
        case RecordType::RunStarted:
        case RecordType::RunFinished:
            return nlohmann::json::parse(rec.payload).at("run").get<std::uint32_t>();
        case RecordType::TaskEvents:
            return peekTaskEvents(rec.payload).first;
        case RecordType::GilTimeline: {
            std::uint32_t run = 0;
            decodeGilTimeline(rec.payload, run);
            return run;
        }
        default:
            return std::nullopt;
    }
}

bool sameEvents(const std::vector<TaskEvent>& a, const std::vector<TaskEvent>& b) {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](const TaskEvent& x, const TaskEvent& y) {
               return x.task == y.task && x.worker == y.worker && x.startNs == y.startNs &&
                      x.endNs == y.endNs && x.cpuNs == y.cpuNs && x.pid == y.pid;
           });
}

/// The records of the undamaged file that any of `hits` (byte offsets) falls in.
std::set<std::size_t> recordsHit(const SessionRecords& file, const std::vector<std::size_t>& hits) {
    std::set<std::size_t> out;
    for (std::size_t i = 0; i < file.records.size(); ++i)
        for (std::size_t h : hits)
            if (h >= file.records[i].offset && h < file.records[i].offset + file.records[i].length)
                out.insert(i);
    return out;
}

std::string allNotes(const Session& s) {
    std::string t;
    for (const std::string& n : sessionLoadNotes(s)) t += n + "\n";
    return t;
}

/// Every run none of whose records was hit reads exactly as in the whole file; a run that
/// lost events says so.
void expectIntactRunsKept(const Session& damaged, const std::set<std::size_t>& hit,
                          const std::string& what) {
    const Recorded& r = recorded();
    std::set<std::uint32_t> touched;
    for (std::size_t i : hit)
        if (const auto run = runOf(r.records.records[i])) touched.insert(*run);
    ASSERT_EQ(damaged.parts.size(), 1u) << what;
    const SessionPart& part = damaged.parts[0];
    for (const auto& [index, run] : r.whole.parts[0].runs) {
        if (touched.count(index) != 0) {
            const auto it = part.runs.find(index);
            if (it != part.runs.end() && !sameEvents(it->second.events, run.events)) {
                EXPECT_TRUE(it->second.eventsDamaged || it->second.startLost)
                    << what << ": run " << index << " lost events without saying so";
            }
            continue;
        }
        ASSERT_EQ(part.runs.count(index), 1u) << what << ": intact run " << index << " lost";
        const SessionRun& back = part.runs.at(index);
        EXPECT_TRUE(sameEvents(back.events, run.events)) << what << ": run " << index;
        EXPECT_EQ(back.finished, run.finished) << what << ": run " << index;
        EXPECT_EQ(back.config.model, run.config.model) << what << ": run " << index;
        EXPECT_EQ(back.config.workers, run.config.workers) << what << ": run " << index;
        // (Where a damaged stretch's headers were hit too, what it held is unknown, and the run
        // going on then is marked as maybe having lost events.)
        const bool known = std::all_of(damaged.damage.begin(), damaged.damage.end(),
                                       [](const SessionDamage& d) { return d.countKnown; });
        EXPECT_FALSE(back.startLost || back.resultLost || (known && back.eventsDamaged))
            << what << ": intact run " << index << " is marked damaged";
    }
}

std::size_t indexOfType(const SessionRecords& file, RecordType t, std::size_t nth = 0) {
    for (std::size_t i = 0; i < file.records.size(); ++i)
        if (file.records[i].type == t && nth-- == 0) return i;
    ADD_FAILURE() << "no such record";
    return 0;
}

/// Flips four bytes in the middle of record `i`'s compressed frame.
void flipInside(std::string& bytes, const SessionRecord& rec) {
    const std::size_t at = rec.offset + 9 + (rec.length - 9) / 2;
    for (std::size_t k = 0; k < 4 && at + k < rec.offset + rec.length; ++k) bytes[at + k] ^= 0x5a;
}

}  // namespace

TEST(SessionDamage, TheUndamagedSessionHasTenRunsAndManyRecords) {
    const Recorded& r = recorded();
    ASSERT_TRUE(r.whole.complete);
    EXPECT_FALSE(r.whole.damaged());
    EXPECT_EQ(r.whole.parts.at(0).result.runs.size(), 10u);
    EXPECT_GE(r.records.records.size(), 30u);
    EXPECT_TRUE(r.records.damage.empty());
}

TEST(SessionDamage, BytesFlippedInTheMiddleLoseOnlyTheRecordsTheyHit) {
    const Recorded& r = recorded();
    const std::size_t size = r.bytes.size();
    for (std::uint64_t seed = 1; seed <= 24; ++seed) {
        std::mt19937_64 rng(seed);
        std::string bytes = r.bytes;
        std::vector<std::size_t> hits;
        const int places = 1 + static_cast<int>(seed % 3);
        for (int p = 0; p < places; ++p) {
            const std::size_t at = size / 4 + rng() % (size / 2);
            for (std::size_t k = 0; k < 4; ++k) {
                bytes[at + k] = static_cast<char>(bytes[at + k] ^ (1 + rng() % 255));
                hits.push_back(at + k);
            }
        }
        const std::string what = "seed " + std::to_string(seed);
        Session s;
        ASSERT_NO_THROW(s = parseSession(bytes, "damaged.coreduel")) << what;
        ASSERT_TRUE(s.damaged()) << what;
        EXPECT_TRUE(s.truncation.empty()) << what << ": " << s.truncation;
        for (const SessionDamage& d : s.damage) {
            EXPECT_EQ(d.text.rfind("damaged: bytes ", 0), 0u) << what << ": " << d.text;
            EXPECT_EQ(d.text.find("interrupted"), std::string::npos) << what << ": " << d.text;
            EXPECT_LT(d.fromByte, d.toByte) << what;
        }
        const std::set<std::size_t> hit = recordsHit(r.records, hits);
        expectIntactRunsKept(s, hit, what);
        // Nothing is read that was not written.
        EXPECT_LE(s.taskEvents, r.whole.taskEvents) << what;
        // The part's own result record untouched: every run's totals are there.
        if (hit.count(indexOfType(r.records, RecordType::Result)) == 0) {
            EXPECT_TRUE(s.parts[0].complete) << what << "\n" << allNotes(s);
            EXPECT_EQ(s.parts[0].result.runs.size(), 10u) << what;
        }
    }
}

TEST(SessionDamage, EventsLostInARunKeepItsTotalsAndMarkTheGap) {
    const Recorded& r = recorded();
    const std::size_t events = indexOfType(r.records, RecordType::TaskEvents, 3);
    const std::uint32_t run = *runOf(r.records.records[events]);
    std::string bytes = r.bytes;
    flipInside(bytes, r.records.records[events]);
    const Session s = parseSession(bytes, "events.coreduel");
    ASSERT_EQ(s.damage.size(), 1u) << allNotes(s);
    EXPECT_EQ(s.damage[0].recordsLost, 1u);
    EXPECT_TRUE(s.damage[0].countKnown);
    EXPECT_EQ(s.damage[0].fromByte, r.records.records[events].offset);
    EXPECT_NE(s.damage[0].text.find("task events"), std::string::npos) << s.damage[0].text;
    EXPECT_NE(s.damage[0].text.find("run " + std::to_string(run)), std::string::npos)
        << s.damage[0].text;
    const SessionRun& damaged = s.parts.at(0).runs.at(run);
    EXPECT_TRUE(damaged.eventsDamaged);
    EXPECT_TRUE(damaged.finished);
    EXPECT_FALSE(damaged.resultLost);
    EXPECT_LT(damaged.events.size(), r.whole.parts[0].runs.at(run).events.size());
    // Its totals: the result survived.
    EXPECT_TRUE(s.parts[0].complete);
    EXPECT_EQ(s.parts[0].result.runs.size(), 10u);
    expectIntactRunsKept(s, {events}, "one events record");
}

TEST(SessionDamage, ARunWhoseResultRecordsAreLostSaysSo) {
    const Recorded& r = recorded();
    const std::size_t finished = indexOfType(r.records, RecordType::RunFinished, 2);
    const std::size_t result = indexOfType(r.records, RecordType::Result);
    const std::uint32_t run = *runOf(r.records.records[finished]);
    std::string bytes = r.bytes;
    flipInside(bytes, r.records.records[finished]);
    flipInside(bytes, r.records.records[result]);
    const Session s = parseSession(bytes, "results.coreduel");
    ASSERT_EQ(s.damage.size(), 2u) << allNotes(s);
    const SessionRun& lost = s.parts.at(0).runs.at(run);
    EXPECT_TRUE(lost.resultLost);
    EXPECT_FALSE(lost.eventsDamaged);
    EXPECT_TRUE(sameEvents(lost.events, r.whole.parts[0].runs.at(run).events));
    EXPECT_FALSE(s.parts[0].complete);
    EXPECT_EQ(s.parts[0].result.runs.size(), 9u) << "the nine results that survived";
    EXPECT_NE(s.damage[0].text.find("the result of run " + std::to_string(run)), std::string::npos)
        << s.damage[0].text;
    EXPECT_NE(s.damage[1].text.find("a part's result"), std::string::npos) << s.damage[1].text;
}

TEST(SessionDamage, ADamagedManifestKeepsEveryPart) {
    const Recorded& r = recorded();
    ASSERT_EQ(r.records.records.front().type, RecordType::Manifest);
    std::string bytes = r.bytes;
    flipInside(bytes, r.records.records.front());
    Session s;
    ASSERT_NO_THROW(s = parseSession(bytes, "manifest.coreduel"));
    ASSERT_EQ(s.damage.size(), 1u) << allNotes(s);
    EXPECT_NE(s.damage[0].text.find("manifest"), std::string::npos) << s.damage[0].text;
    ASSERT_EQ(s.parts.size(), 1u);
    EXPECT_FALSE(s.parts[0].startLost);
    EXPECT_TRUE(s.parts[0].complete);
    EXPECT_EQ(s.parts[0].result.runs.size(), 10u);
    EXPECT_EQ(s.parts[0].result.experiment.workload, "primes");
    EXPECT_EQ(s.taskEvents, r.whole.taskEvents);
    expectIntactRunsKept(s, {0}, "manifest");
}

TEST(SessionDamage, ADamagedPartStartIsRecoveredFromThePartsResult) {
    const Recorded& r = recorded();
    const std::size_t started = indexOfType(r.records, RecordType::PartStarted);
    std::string bytes = r.bytes;
    flipInside(bytes, r.records.records[started]);
    const Session s = parseSession(bytes, "part.coreduel");
    ASSERT_EQ(s.damage.size(), 1u) << allNotes(s);
    ASSERT_EQ(s.parts.size(), 1u);
    EXPECT_TRUE(s.parts[0].startLost);
    EXPECT_EQ(s.parts[0].result.runs.size(), 10u);
    EXPECT_EQ(s.parts[0].result.experiment.workload, "primes");
    expectIntactRunsKept(s, {started}, "part start");
}

TEST(SessionDamage, ADamagedLengthLosesNothingAndIsStillTold) {
    const Recorded& r = recorded();
    const std::size_t events = indexOfType(r.records, RecordType::TaskEvents, 1);
    std::string bytes = r.bytes;
    bytes[r.records.records[events].offset + 7] ^= 0x40;  // its compressed size
    const Session s = parseSession(bytes, "length.coreduel");
    ASSERT_EQ(s.damage.size(), 1u) << allNotes(s);
    EXPECT_EQ(s.damage[0].recordsLost, 0u);
    EXPECT_NE(s.damage[0].text.find("header"), std::string::npos) << s.damage[0].text;
    EXPECT_EQ(s.taskEvents, r.whole.taskEvents);
    EXPECT_TRUE(s.parts[0].complete);
}

TEST(SessionDamage, ADamagedHeaderThatHidesTheNextRecordStillResynchronises) {
    const Recorded& r = recorded();
    const std::size_t events = indexOfType(r.records, RecordType::TaskEvents, 2);
    const SessionRecord& rec = r.records.records[events];
    std::string bytes = r.bytes;
    // The type byte, both sizes and the frame's magic: nothing of this record is left to read.
    for (std::size_t k = 0; k < 13; ++k) bytes[rec.offset + k] = '\xee';
    const Session s = parseSession(bytes, "header.coreduel");
    ASSERT_EQ(s.damage.size(), 1u) << allNotes(s);
    EXPECT_EQ(s.damage[0].fromByte, rec.offset);
    EXPECT_EQ(s.damage[0].toByte, rec.offset + rec.length);
    EXPECT_FALSE(s.damage[0].countKnown);
    EXPECT_TRUE(s.truncation.empty());
    expectIntactRunsKept(s, {events}, "header");
    EXPECT_TRUE(s.parts[0].complete);
}

TEST(SessionDamage, DamageInTheLastRecordIsDamageAndACutIsAnInterruption) {
    const Recorded& r = recorded();
    const SessionRecord& last = r.records.records.back();
    std::string bytes = r.bytes;
    flipInside(bytes, last);
    const Session damaged = parseSession(bytes, "end.coreduel");
    ASSERT_EQ(damaged.damage.size(), 1u) << allNotes(damaged);
    EXPECT_EQ(damaged.damage[0].toByte, bytes.size());
    EXPECT_TRUE(damaged.truncation.empty()) << damaged.truncation;
    EXPECT_EQ(damaged.damage[0].text.find("interrupted"), std::string::npos);

    const Session cut = parseSession(r.bytes.substr(0, r.bytes.size() - 3), "cut.coreduel");
    EXPECT_FALSE(cut.damaged()) << allNotes(cut);
    EXPECT_NE(cut.truncation.find("interrupted"), std::string::npos) << cut.truncation;
}

TEST(SessionDamage, AFileWithNothingReadableIsRefusedNamingTheDamage) {
    const Recorded& r = recorded();
    std::string bytes = r.bytes.substr(0, 19);
    bytes += std::string(4096, '\x5a');
    try {
        parseSession(bytes, "noise.coreduel");
        FAIL() << "noise read as a session";
    } catch (const SessionFormatError& e) {
        EXPECT_NE(std::string(e.what()).find("damaged"), std::string::npos) << e.what();
    }
}

TEST(SessionDamage, ALostPartStartInALessonKeepsEveryPartInItsPlace) {
    // The isolation lesson, --quick, three parts (the fuzzer's seed).
    const std::string path =
        std::string(COREDUEL_FIXTURE_DIR) + "/../fuzz/session_seeds/lesson-three-parts.coreduel";
    const std::string whole = readAll(path);
    const Session intact = parseSession(whole, path);
    const SessionRecords file = parseSessionRecords(whole, path);
    ASSERT_EQ(intact.parts.size(), 3u);
    ASSERT_TRUE(intact.complete);
    const SessionRecord& second = file.records[indexOfType(file, RecordType::PartStarted, 1)];
    // Its frame damaged (the header still counts it), then its header destroyed as well.
    for (const bool header : {false, true}) {
        std::string bytes = whole;
        flipInside(bytes, second);
        if (header)
            for (std::size_t k = 0; k < 13; ++k) bytes[second.offset + k] = '\xee';
        const std::string what = header ? "header too" : "frame";
        const Session s = parseSession(bytes, "lesson.coreduel");
        ASSERT_EQ(s.damage.size(), 1u) << what << "\n" << allNotes(s);
        ASSERT_EQ(s.parts.size(), 3u) << what;
        EXPECT_TRUE(s.parts[1].startLost) << what;
        EXPECT_FALSE(s.parts[0].startLost || s.parts[2].startLost) << what;
        for (std::size_t p = 0; p < 3; ++p) {
            EXPECT_EQ(s.parts[p].result.runs.size(), intact.parts[p].result.runs.size())
                << what << ": part " << p + 1;
            EXPECT_EQ(s.parts[p].result.experiment.workload,
                      intact.parts[p].result.experiment.workload)
                << what << ": part " << p + 1;
            EXPECT_EQ(s.parts[p].runs.size(), intact.parts[p].runs.size()) << what;
        }
        EXPECT_EQ(s.parts[2].label, intact.parts[2].label) << what;
        EXPECT_EQ(s.taskEvents, intact.taskEvents) << what;
        if (!header)
            EXPECT_NE(s.damage[0].text.find("a part's start"), std::string::npos)
                << s.damage[0].text;
    }
}
