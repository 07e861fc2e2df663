// Session files: what a run streams to disk reads back the same, survives being cut off, stays
// small, and exports as a Chrome trace whose slices nest and whose fields are what the format
// requires (checked here by rule; tests/trace_check/ checks it with speedscope's own importer).

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "core/run/tee_sink.h"
#include "core/session/chrome_trace.h"
#include "core/session/session.h"
#include "core/session/session_codec.h"
#include "test_support.h"

using namespace coreduel;
using coreduel::test::RecordingSink;
using coreduel::test::runExperiment;

namespace {

class GilRecordingSink : public RecordingSink {
public:
    void gilTimeline(std::size_t runIndex, const GilTimeline& t) override {
        std::lock_guard lk(m_gilMutex);
        timelines.emplace(runIndex, t);
    }
    void utilization(const UtilizationSample&) override { ++samples; }
    std::map<std::size_t, GilTimeline> timelines;
    std::atomic<std::size_t> samples{0};

private:
    std::mutex m_gilMutex;
};

std::string tempPath(const std::string& name) {
    return (std::filesystem::temp_directory_path() /
            ("coreduel-session-test-" + std::to_string(::getpid()) + "-" + name))
        .string();
}

Experiment gilAndProcesses() {
    Experiment e;
    e.workload = "primes";
    e.params = {{"end", "300000"}, {"tasks", "32"}};
    e.models = {Model::Sequential, Model::GilThreads, Model::Processes};
    e.workerCounts = {2};
    e.repetitions = 1;
    e.warmups = 0;
    e.sampleHz = 50;
    return e;
}

bool sameEvent(const TaskEvent& a, const TaskEvent& b) {
    return a.task == b.task && a.worker == b.worker && a.pid == b.pid && a.tid == b.tid &&
           a.startNs == b.startNs && a.endNs == b.endNs && a.cpuStart == b.cpuStart &&
           a.cpuEnd == b.cpuEnd && a.gilWaitNs == b.gilWaitNs &&
           a.gilWaitBeforeNs == b.gilWaitBeforeNs && a.cpuNs == b.cpuNs && a.sentNs == b.sentNs &&
           a.receivedNs == b.receivedNs;
}

}  // namespace

TEST(SessionCodec, TaskEventsRoundTripExactlyIncludingNegativesAndExtremes) {
    std::vector<TaskEvent> events(4);
    events[0] = {7, 1, 1234, 1240, 1'000'000'000'000, 1'000'000'500'000, 3, 0, 25, 5, -1, 0, 0};
    events[1] = {2,  0, 99, 100,    999'999'000'000, 1'000'000'100'000, -1,
                 -1, 0, 0,  80'000, 999'998'000'000, 1'000'000'200'000};
    events[2] = {~0ull, 4'000'000'000u, -5, 0, -10, -3, 32767, -32768, 1, 0, 0, 0, 0};
    // Sent exactly at the start and received exactly at the end: measured, not "absent".
    events[3] = {9, 0, 1, 1, 5'000, 6'000, 0, 0, 0, 0, 0, 5'000, 6'000};
    std::uint32_t run = 0;
    const auto back = decodeTaskEvents(encodeTaskEvents(42, events), run);
    EXPECT_EQ(run, 42u);
    ASSERT_EQ(back.size(), events.size());
    for (std::size_t i = 0; i < events.size(); ++i) EXPECT_TRUE(sameEvent(back[i], events[i])) << i;
}

TEST(SessionCodec, ADamagedPayloadIsAnErrorNotACrash) {
    const std::vector<TaskEvent> events(100);
    std::string bytes = encodeTaskEvents(1, events);
    std::uint32_t run = 0;
    EXPECT_THROW(decodeTaskEvents(bytes.substr(0, bytes.size() / 2), run), SessionFormatError);
    EXPECT_THROW(decodeTaskEvents(std::string("\x01\xff\xff\xff\xff\x7f", 6), run),
                 SessionFormatError);  // an impossible count
}

TEST(Session, ARunReadsBackWithEveryEventGilIntervalSampleAndTheResult) {
    const std::string path = tempPath("roundtrip.coreduel");
    GilRecordingSink seen;
    ExperimentResult result;
    {
        SessionRecorder recorder(path);
        TeeSink tee({&seen, &recorder});
        result = runExperiment(gilAndProcesses(), &tee);
        recorder.close();
    }
    ASSERT_TRUE(result.allOk());
    const Session s = loadSession(path);
    EXPECT_TRUE(s.complete);
    EXPECT_TRUE(s.truncation.empty()) << s.truncation;
    EXPECT_EQ(s.manifest.value("schema", ""), kSessionSchema);
    ASSERT_EQ(s.parts.at(0).runs.size(), seen.eventsByRun.size());
    for (const auto& [index, events] : seen.eventsByRun) {
        const auto& back = s.parts.at(0).runs.at(static_cast<std::uint32_t>(index)).events;
        ASSERT_EQ(back.size(), events.size()) << "run " << index;
        for (std::size_t i = 0; i < events.size(); ++i)
            ASSERT_TRUE(sameEvent(back[i], events[i])) << "run " << index << " event " << i;
    }
    ASSERT_FALSE(seen.timelines.empty()) << "the gil-threads run produced no GIL timeline";
    for (const auto& [index, t] : seen.timelines) {
        const auto& back = s.parts.at(0).runs.at(static_cast<std::uint32_t>(index)).gil;
        ASSERT_NE(back, nullptr);
        ASSERT_EQ(back->intervals.size(), t.intervals.size());
        for (std::size_t i = 0; i < t.intervals.size(); ++i) {
            EXPECT_EQ(back->intervals[i].startNs, t.intervals[i].startNs);
            EXPECT_EQ(back->intervals[i].endNs, t.intervals[i].endNs);
            EXPECT_EQ(back->intervals[i].kind, t.intervals[i].kind);
            EXPECT_EQ(back->intervals[i].forced, t.intervals[i].forced);
        }
    }
    EXPECT_EQ(s.parts.at(0).samples.size(), seen.samples.load());
    ASSERT_EQ(s.parts.at(0).result.runs.size(), result.runs.size());
    for (std::size_t i = 0; i < result.runs.size(); ++i) {
        EXPECT_EQ(s.parts.at(0).result.runs[i].checksum, result.runs[i].checksum);
        EXPECT_DOUBLE_EQ(s.parts.at(0).result.runs[i].wallSeconds, result.runs[i].wallSeconds);
        EXPECT_EQ(s.parts.at(0).result.runs[i].config.model, result.runs[i].config.model);
    }
    std::filesystem::remove(path);
}

TEST(Session, AFileCutAnywhereStillReadsUpToItsLastWholeRecord) {
    const std::string path = tempPath("cut.coreduel");
    {
        SessionRecorder recorder(path);
        runExperiment(gilAndProcesses(), &recorder);
        recorder.close();
    }
    const auto size = std::filesystem::file_size(path);
    const Session whole = loadSession(path);
    std::size_t lastEvents = 0;
    // Cut at many places past the manifest: never an exception, never more than was written,
    // and a cut file always says it was cut.
    for (std::uintmax_t cut = size; cut > size / 3; cut -= std::max<std::uintmax_t>(1, size / 37)) {
        const std::string part = tempPath("part.coreduel");
        std::filesystem::copy_file(path, part, std::filesystem::copy_options::overwrite_existing);
        std::filesystem::resize_file(part, cut);
        Session s;
        ASSERT_NO_THROW(s = loadSession(part)) << "cut at " << cut;
        EXPECT_LE(s.taskEvents, whole.taskEvents);
        if (cut < size) {
            EXPECT_FALSE(s.complete) << "cut at " << cut;
            if (!s.truncation.empty()) {
                EXPECT_NE(s.truncation.find("interrupted"), std::string::npos);
            }
            EXPECT_LE(s.taskEvents, lastEvents == 0 ? whole.taskEvents : lastEvents);
        }
        lastEvents = s.taskEvents;
        std::filesystem::remove(part);
    }
    std::filesystem::remove(path);
}

TEST(Session, NotASessionIsAClearError) {
    const std::string path = tempPath("not.coreduel");
    std::ofstream(path) << R"({"schema": "coreduel.result/2"})";
    try {
        loadSession(path);
        FAIL() << "a JSON file was read as a session";
    } catch (const SessionFormatError& e) {
        EXPECT_NE(std::string(e.what()).find("not a CoreDuel session"), std::string::npos);
    }
    std::filesystem::remove(path);
}

TEST(Session, ATaskEventCostsAtMost16BytesOnDisk) {
    // 20 000 tasks of a process pool, chunksize 1: the densest real event stream.
    Experiment e;
    e.workload = "square";
    e.params = {{"count", "20000"}};
    e.models = {Model::Sequential, Model::Processes};
    e.workerCounts = {2};
    e.chunksizes = {1};
    e.sampleHz = 0;
    const std::string path = tempPath("size.coreduel");
    {
        SessionRecorder recorder(path);
        runExperiment(e, &recorder);
        recorder.close();
    }
    const Session s = loadSession(path);
    std::size_t tasks = 0;
    for (const auto& r : s.parts.at(0).result.runs) tasks += r.tasks;
    ASSERT_GE(s.taskEvents, 20000u);
    ASSERT_EQ(s.taskEvents, tasks);
    const double perEvent = double(s.fileBytes) / double(s.taskEvents);
    EXPECT_LE(perEvent, 16.0) << s.fileBytes << " bytes for " << s.taskEvents << " events";
    std::filesystem::remove(path);
}

namespace {

/// What the Chrome Trace Event format requires of what we write, checked rule by rule.
void checkTraceRules(const nlohmann::json& trace, std::size_t& gilChildren) {
    ASSERT_TRUE(trace.is_object());
    ASSERT_TRUE(trace.contains("traceEvents") && trace["traceEvents"].is_array());
    std::set<std::pair<int, int>> named;
    std::set<int> namedProcesses;
    std::map<std::pair<int, int>, std::vector<std::pair<double, double>>> slices;
    for (const auto& ev : trace["traceEvents"]) {
        const std::string ph = ev.at("ph");
        ASSERT_TRUE(ev.at("pid").is_number_integer());
        if (ph == "M") {
            if (ev["name"] == "thread_name")
                named.insert({ev["pid"].get<int>(), ev["tid"].get<int>()});
            if (ev["name"] == "process_name") namedProcesses.insert(ev["pid"].get<int>());
            ASSERT_TRUE(ev.at("args").contains("name") || ev.at("args").contains("sort_index"));
        } else if (ph == "X") {
            ASSERT_TRUE(ev.at("ts").is_number()) << ev.dump();
            ASSERT_TRUE(ev.at("dur").is_number()) << ev.dump();
            ASSERT_GE(ev["dur"].get<double>(), 0) << ev.dump();
            ASSERT_TRUE(ev.at("tid").is_number_integer());
            ASSERT_TRUE(ev.at("name").is_string());
            const double ts = ev["ts"].get<double>();
            slices[{ev["pid"].get<int>(), ev["tid"].get<int>()}].push_back(
                {ts, ts + ev["dur"].get<double>()});
        } else if (ph == "C") {
            ASSERT_TRUE(ev.at("ts").is_number());
            for (const auto& [k, v] : ev.at("args").items()) ASSERT_TRUE(v.is_number()) << k;
        } else {
            FAIL() << "unexpected phase " << ph;
        }
    }
    for (auto& [thread, list] : slices) {
        EXPECT_TRUE(named.count(thread))
            << "unnamed thread " << thread.first << "/" << thread.second;
        EXPECT_TRUE(namedProcesses.count(thread.first));
        // Proper nesting, as a viewer builds it: sorted by start (longer first), every slice
        // ends within the one it starts in. The arithmetic is the viewers' own (doubles).
        std::sort(list.begin(), list.end(), [](auto& a, auto& b) {
            return a.first != b.first ? a.first < b.first : a.second > b.second;
        });
        std::vector<double> open;
        for (const auto& [start, end] : list) {
            while (!open.empty() && open.back() <= start) open.pop_back();
            if (!open.empty()) {
                ASSERT_LE(end, open.back()) << "a slice overlaps its parent's end on thread "
                                            << thread.first << "/" << thread.second;
                ++gilChildren;
            }
            open.push_back(end);
        }
    }
}

}  // namespace

TEST(ChromeTrace, SlicesNestCountersAreNumbersAndEveryThreadIsNamed) {
    const std::string path = tempPath("trace.coreduel");
    {
        SessionRecorder recorder(path);
        runExperiment(gilAndProcesses(), &recorder);
        recorder.close();
    }
    const Session s = loadSession(path);
    std::stringstream out;
    const ChromeTraceStats stats = writeChromeTrace(s, out);
    const nlohmann::json trace = nlohmann::json::parse(out.str());
    std::size_t nested = 0;
    checkTraceRules(trace, nested);
    EXPECT_EQ(stats.slices, std::count_if(trace["traceEvents"].begin(), trace["traceEvents"].end(),
                                          [](const auto& e) { return e["ph"] == "X"; }));
    // Every gil-threads task computes only while holding the lock: each has a hold inside.
    std::size_t gilTasks = 0;
    for (const auto& [index, run] : s.parts.at(0).runs)
        if (run.config.model == Model::GilThreads) gilTasks += run.events.size();
    EXPECT_GE(nested, gilTasks) << "GIL holds are not nested in the tasks";
    EXPECT_GT(stats.counters, 0u) << "no per-core counter samples";
    std::filesystem::remove(path);
}

TEST(ChromeTrace, ALessonsPartsAreProcessesNamedByPartAndRun) {
    const std::string path = tempPath("trace-parts.coreduel");
    SessionLesson lesson;
    lesson.name = "99-two";
    lesson.title = "two parts";
    lesson.parts = {"without a lock", "with a lock"};
    std::size_t runsWithEvents = 0;
    for (std::size_t p = 0; p < 2; ++p) {
        SessionPartInfo info;
        info.index = p;
        info.count = 2;
        info.label = lesson.parts[p];
        info.lesson = lesson;
        SessionRecorder recorder(path, info);
        RecordingSink seen;
        TeeSink tee({&seen, &recorder});
        runExperiment(gilAndProcesses(), &tee);
        recorder.close();
        runsWithEvents += seen.eventsByRun.size();
    }
    const Session s = loadSession(path);
    ASSERT_EQ(s.parts.size(), 2u);
    std::stringstream out;
    writeChromeTrace(s, out);
    const nlohmann::json trace = nlohmann::json::parse(out.str());
    std::size_t nested = 0;
    checkTraceRules(trace, nested);
    EXPECT_EQ(trace["otherData"]["parts"], 2);
    EXPECT_EQ(trace["otherData"]["lesson"], "two parts");
    // Both parts number their runs from 1: each run of each part is a process of its own,
    // and its name says which part it belongs to.
    std::map<int, std::string> processes;
    for (const auto& ev : trace["traceEvents"])
        if (ev["ph"] == "M" && ev["name"] == "process_name" && ev["pid"] != 0)
            processes[ev["pid"].get<int>()] = ev["args"]["name"].get<std::string>();
    EXPECT_EQ(processes.size(), runsWithEvents);
    std::set<std::string> names;
    std::size_t first = 0, second = 0;
    for (const auto& [pid, name] : processes) {
        names.insert(name);
        first += name.rfind("part 1 (without a lock) \u00b7 run ", 0) == 0;
        second += name.rfind("part 2 (with a lock) \u00b7 run ", 0) == 0;
    }
    EXPECT_EQ(names.size(), processes.size()) << "two processes share a name";
    EXPECT_EQ(first, s.parts[0].runs.size());
    EXPECT_EQ(second, s.parts[1].runs.size());
    std::filesystem::remove(path);
}
