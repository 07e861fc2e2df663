// Sessions of several parts (a lesson): every part reads back with its own runs, events,
// samples and result; a cut in the second part keeps the first whole; a result-only part keeps
// its place; and a file written before parts (coreduel.session/1) still reads, as one part.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
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

std::string tempPath(const std::string& name) {
    return (std::filesystem::temp_directory_path() /
            ("coreduel-parts-test-" + std::to_string(::getpid()) + "-" + name))
        .string();
}

class SampleCountingSink : public RecordingSink {
public:
    void utilization(const UtilizationSample&) override { ++samples; }
    std::atomic<std::size_t> samples{0};
};

/// Two small parts that differ in every way a mix-up would show: workload, models, workers.
Experiment firstPart() {
    Experiment e;
    e.workload = "primes";
    e.params = {{"end", "200000"}, {"tasks", "24"}};
    e.models = {Model::Sequential, Model::GilThreads};
    e.workerCounts = {2};
    e.gilSwitchIntervalMs = 1;
    e.sampleHz = 50;
    return e;
}

Experiment secondPart() {
    Experiment e;
    e.workload = "sleep";
    e.params = {{"tasks", "12"}, {"ms", "5"}};
    e.models = {Model::Sequential, Model::Threads, Model::Processes};
    e.workerCounts = {3};
    e.sampleHz = 50;
    return e;
}

SessionLesson twoPartLesson() {
    SessionLesson l;
    l.name = "99-test";
    l.title = "A lesson of two parts";
    l.quick = true;
    l.parts = {"primes behind a GIL", "sleeping threads and processes"};
    return l;
}

SessionPartInfo partInfo(std::size_t index) {
    SessionPartInfo info;
    info.index = index;
    info.count = 2;
    info.lesson = twoPartLesson();
    info.label = info.lesson->parts.at(index);
    return info;
}

struct Recorded {
    SampleCountingSink seen;
    ExperimentResult result;
};

void recordPart(const std::string& path, std::size_t index, const Experiment& e, Recorded& out) {
    SessionRecorder recorder(path, partInfo(index));
    TeeSink tee({&out.seen, &recorder});
    out.result = runExperiment(e, &tee);
    recorder.close();
}

void expectPartAsRecorded(const SessionPart& part, const Recorded& rec, const std::string& label) {
    EXPECT_EQ(part.label, label);
    EXPECT_TRUE(part.complete);
    EXPECT_EQ(part.result.experiment.workload, rec.result.experiment.workload);
    ASSERT_EQ(part.result.runs.size(), rec.result.runs.size());
    for (std::size_t i = 0; i < rec.result.runs.size(); ++i) {
        EXPECT_EQ(part.result.runs[i].config.model, rec.result.runs[i].config.model);
        EXPECT_EQ(part.result.runs[i].config.workers, rec.result.runs[i].config.workers);
        EXPECT_EQ(part.result.runs[i].checksum, rec.result.runs[i].checksum);
    }
    ASSERT_EQ(part.runs.size(), rec.seen.eventsByRun.size());
    for (const auto& [index, events] : rec.seen.eventsByRun) {
        const auto& back = part.runs.at(static_cast<std::uint32_t>(index)).events;
        ASSERT_EQ(back.size(), events.size()) << label << " run " << index;
        for (std::size_t i = 0; i < events.size(); ++i) {
            EXPECT_EQ(back[i].task, events[i].task);
            EXPECT_EQ(back[i].startNs, events[i].startNs);
            EXPECT_EQ(back[i].endNs, events[i].endNs);
        }
    }
    EXPECT_EQ(part.samples.size(), rec.seen.samples.load()) << label;
}

}  // namespace

TEST(SessionParts, EveryPartReadsBackWithItsOwnRunsEventsSamplesAndResult) {
    const std::string path = tempPath("two.coreduel");
    Recorded one, two;
    recordPart(path, 0, firstPart(), one);
    recordPart(path, 1, secondPart(), two);
    ASSERT_TRUE(one.result.allOk());
    ASSERT_TRUE(two.result.allOk());
    appendLessonOutcome(path, "It showed what it should.");

    const Session s = loadSession(path);
    EXPECT_EQ(s.version, 2);
    EXPECT_TRUE(s.truncation.empty()) << s.truncation;
    EXPECT_TRUE(s.complete);
    EXPECT_EQ(s.plannedParts, 2u);
    ASSERT_TRUE(s.lesson.has_value());
    EXPECT_EQ(s.lesson->name, "99-test");
    EXPECT_EQ(s.lesson->title, "A lesson of two parts");
    EXPECT_TRUE(s.lesson->quick);
    EXPECT_EQ(s.lesson->parts, twoPartLesson().parts);
    EXPECT_EQ(s.lessonOutcome, "It showed what it should.");
    ASSERT_EQ(s.parts.size(), 2u);
    expectPartAsRecorded(s.parts[0], one, "primes behind a GIL");
    expectPartAsRecorded(s.parts[1], two, "sleeping threads and processes");
    // The GIL intervals stay with the part whose gil-threads run made them.
    bool gil = false;
    for (const auto& [index, run] : s.parts[0].runs) gil = gil || run.gil != nullptr;
    EXPECT_TRUE(gil);
    for (const auto& [index, run] : s.parts[1].runs) EXPECT_EQ(run.gil, nullptr);
    EXPECT_EQ(s.taskEvents, s.parts[0].taskEvents + s.parts[1].taskEvents);
    std::filesystem::remove(path);
}

TEST(SessionParts, ACutInTheSecondPartKeepsTheFirstWholeAndThePartialSecond) {
    const std::string path = tempPath("cut-second.coreduel");
    Recorded one, two;
    recordPart(path, 0, firstPart(), one);
    const auto firstEnds = std::filesystem::file_size(path);
    recordPart(path, 1, secondPart(), two);
    const auto size = std::filesystem::file_size(path);
    ASSERT_GT(size, firstEnds);
    const Session whole = loadSession(path);
    ASSERT_EQ(whole.parts.size(), 2u);
    bool sawPartialSecond = false;
    for (std::uintmax_t cut = firstEnds; cut < size;
         cut += std::max<std::uintmax_t>(1, (size - firstEnds) / 23)) {
        const std::string part = tempPath("cut-part.coreduel");
        std::filesystem::copy_file(path, part, std::filesystem::copy_options::overwrite_existing);
        std::filesystem::resize_file(part, cut);
        Session s;
        ASSERT_NO_THROW(s = loadSession(part)) << "cut at " << cut;
        EXPECT_FALSE(s.complete) << "cut at " << cut;
        ASSERT_GE(s.parts.size(), 1u);
        expectPartAsRecorded(s.parts[0], one, "primes behind a GIL");
        if (s.parts.size() == 2) {
            sawPartialSecond = true;
            EXPECT_FALSE(s.parts[1].complete) << "cut at " << cut;
            EXPECT_TRUE(s.parts[1].result.cancelled);
            EXPECT_EQ(s.parts[1].result.experiment.workload, "sleep");
            EXPECT_LE(s.parts[1].taskEvents, whole.parts[1].taskEvents);
            // What finished before the cut is there, verified, as in the whole file.
            for (const RunResult& r : s.parts[1].result.runs) EXPECT_TRUE(r.ok);
        }
        std::filesystem::remove(part);
    }
    EXPECT_TRUE(sawPartialSecond);
    std::filesystem::remove(path);
}

TEST(SessionParts, AResultOnlyPartKeepsItsPlaceBetweenExperimentParts) {
    const std::string path = tempPath("python-part.coreduel");
    SessionPartInfo first = partInfo(0);
    first.count = 3;
    Recorded one, three;
    {
        SessionRecorder recorder(path, first);
        TeeSink tee({&one.seen, &recorder});
        one.result = runExperiment(firstPart(), &tee);
    }
    ExperimentResult script;  // as runPythonPart makes it: a default experiment, one run
    RunResult run;
    run.workload = "python: factorial_pool.py";
    run.ok = true;
    run.wallSeconds = 1.25;
    script.runs.push_back(run);
    {
        SessionPartInfo info = partInfo(1);
        info.count = 3;
        info.label = "the guide's script";
        SessionRecorder(path, info).recordResultPart(script, "python");
    }
    {
        SessionPartInfo info = partInfo(1);
        info.index = 2;
        info.count = 3;
        info.label = "third";
        SessionRecorder recorder(path, info);
        TeeSink tee({&three.seen, &recorder});
        three.result = runExperiment(secondPart(), &tee);
    }
    const Session s = loadSession(path);
    ASSERT_EQ(s.parts.size(), 3u);
    EXPECT_TRUE(s.complete);
    EXPECT_EQ(s.parts[1].kind, "python");
    EXPECT_EQ(s.parts[1].label, "the guide's script");
    EXPECT_TRUE(s.parts[1].complete);
    ASSERT_EQ(s.parts[1].result.runs.size(), 1u);
    EXPECT_DOUBLE_EQ(s.parts[1].result.runs[0].wallSeconds, 1.25);
    EXPECT_TRUE(s.parts[1].runs.empty());
    expectPartAsRecorded(s.parts[0], one, "primes behind a GIL");
    expectPartAsRecorded(s.parts[2], three, "third");
    std::filesystem::remove(path);
}

TEST(SessionParts, AFileWrittenBeforePartsStillReadsAsOnePart) {
    // tests/fixtures/session_v1.coreduel: `coreduel-cli run -w primes -p end=1500000 -p
    // tasks=16 -m sequential,gil-threads,processes -n 2 --gil-interval-ms 1 --session`, as
    // CoreDuel wrote it before sessions had parts, with an IPC-lab record appended as the window
    // did.
    const std::string path = std::string(COREDUEL_FIXTURE_DIR) + "/session_v1.coreduel";
    ASSERT_EQ(sessionFileVersion(path), 1);
    ASSERT_TRUE(looksLikeSession(path));
    const Session s = loadSession(path);
    EXPECT_EQ(s.version, 1);
    EXPECT_TRUE(s.complete);
    EXPECT_TRUE(s.truncation.empty()) << s.truncation;
    EXPECT_FALSE(s.lesson.has_value());
    ASSERT_EQ(s.parts.size(), 1u);
    const SessionPart& p = s.parts[0];
    EXPECT_TRUE(p.complete);
    EXPECT_EQ(p.result.experiment.workload, "primes");
    ASSERT_EQ(p.result.runs.size(), 3u);
    for (const RunResult& r : p.result.runs) {
        EXPECT_TRUE(r.ok);
        EXPECT_EQ(r.checksum, p.result.runs[0].checksum);
    }
    std::size_t gilRuns = 0;
    for (const auto& [index, run] : p.runs) {
        EXPECT_EQ(run.events.size(), 16u) << "run " << index;
        if (run.config.model == Model::GilThreads) {
            ++gilRuns;
            ASSERT_NE(run.gil, nullptr);
            EXPECT_FALSE(run.gil->intervals.empty());
        }
    }
    EXPECT_EQ(gilRuns, 1u);
    EXPECT_GT(p.samples.size(), 0u);
    EXPECT_EQ(s.ipcLab.size(), 2u);
    std::stringstream trace;
    const ChromeTraceStats stats = writeChromeTrace(s, trace);
    EXPECT_GE(stats.slices, 16u * 3);
    EXPECT_EQ(trace.str().find("part 1"), std::string::npos) << "one part needs no part names";
}

TEST(SessionParts, ALaterPartIsAddedOnlyToAVersion2Session) {
    const std::string v1 = tempPath("old.coreduel");
    std::filesystem::copy_file(std::string(COREDUEL_FIXTURE_DIR) + "/session_v1.coreduel", v1,
                               std::filesystem::copy_options::overwrite_existing);
    EXPECT_THROW(SessionRecorder(v1, partInfo(1)), SessionFormatError);
    EXPECT_EQ(loadSession(v1).parts.size(), 1u) << "a refused part changed the file";
    EXPECT_THROW(SessionRecorder(tempPath("missing.coreduel"), partInfo(1)), std::system_error);
    std::filesystem::remove(v1);
}
