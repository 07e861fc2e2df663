// coreduel-cli and session files as a user meets them: a run killed outright still leaves a
// session that opens, and the session exports as a trace and renders as a report.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/session/session.h"

extern char** environ;

using namespace coreduel;

namespace {

pid_t spawnCli(std::vector<std::string> args) {
    args.insert(args.begin(), COREDUEL_CLI_PATH);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid = -1;
    const int rc = ::posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    return rc == 0 ? pid : -1;
}

int waitExit(pid_t pid) {
    int status = 0;
    if (::waitpid(pid, &status, 0) != pid) return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string temp(const std::string& name) {
    return "/tmp/coreduel-cli-session-" + std::to_string(::getpid()) + "-" + name;
}

}  // namespace

TEST(CliSession, SigkillMidRunLeavesASessionThatOpens) {
    const std::string path = temp("killed.coreduel");
    // --seed 0: the plan's order, sequential first (a shuffled order may start with processes).
    const pid_t pid =
        spawnCli({"run", "-w", "sleep", "-p", "tasks=400", "-p", "ms=10", "-m",
                  "sequential,processes", "-n", "2", "--seed", "0", "-q", "--session", path});
    ASSERT_GT(pid, 0);
    // Kill it once the processes run (after the 4 s sequential baseline) has streamed task
    // events: polled from the file itself, as a crash would find it.
    bool streaming = false;
    for (int i = 0; i < 600 && !streaming; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        try {
            const Session s = loadSession(path);
            for (const auto& [index, run] : s.parts.at(0).runs)
                streaming =
                    streaming || (run.config.model == Model::Processes && !run.events.empty());
        } catch (const std::exception&) {
            // Not written yet (or no manifest yet): keep polling.
        }
    }
    ::kill(pid, SIGKILL);
    EXPECT_EQ(waitExit(pid), 128 + SIGKILL);
    ASSERT_TRUE(streaming) << "the processes run never streamed task events";

    const Session s = loadSession(path);
    EXPECT_FALSE(s.complete);
    EXPECT_TRUE(s.parts.at(0).result.cancelled);
    ASSERT_GE(s.parts.at(0).result.runs.size(), 1u) << "the finished sequential baseline is lost";
    EXPECT_EQ(s.parts.at(0).result.runs.front().config.model, Model::Sequential);
    EXPECT_TRUE(s.parts.at(0).result.runs.front().ok);
    std::size_t processEvents = 0;
    for (const auto& [index, run] : s.parts.at(0).runs)
        if (run.config.model == Model::Processes) processEvents += run.events.size();
    EXPECT_GT(processEvents, 0u);
    EXPECT_LT(processEvents, 400u) << "a killed run cannot have finished every task";

    // The half session still exports and reports.
    const std::string trace = temp("killed-trace.json");
    const pid_t exportPid = spawnCli({"export-trace", path, "-o", trace});
    EXPECT_EQ(waitExit(exportPid), 0);
    std::ifstream in(trace);
    const auto j = nlohmann::json::parse(in);
    EXPECT_FALSE(j["otherData"]["complete"].get<bool>());
    EXPECT_GT(j["traceEvents"].size(), processEvents);
    const std::string md = temp("killed.md");
    EXPECT_EQ(waitExit(spawnCli({"report", path, "-o", md})), 0);
    EXPECT_TRUE(std::filesystem::file_size(md) > 0);
    // HTML is the window's report, drawn offscreen by the coreduel program: charts included.
    const std::string html = temp("killed.html");
    EXPECT_EQ(waitExit(spawnCli({"report", path, "-o", html})), 0);
    std::ifstream page(html);
    const std::string text((std::istreambuf_iterator<char>(page)), {});
    EXPECT_NE(text.find("<img"), std::string::npos) << "no chart in the HTML report";
    EXPECT_NE(text.find("data:image/png;base64,"), std::string::npos);
    for (const auto& f : {path, trace, md, html}) std::filesystem::remove(f);
}

TEST(CliSession, AnUnwritableSessionIsRefusedBeforeAnythingRuns) {
    const pid_t pid = spawnCli({"run", "-w", "sleep", "-p", "tasks=100", "-p", "ms=100", "-q",
                                "--session", "/nonexistent-dir/x.coreduel"});
    const auto started = std::chrono::steady_clock::now();
    EXPECT_EQ(waitExit(pid), 2);
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5))
        << "it ran the experiment before refusing";
}

namespace {

/// tests/fixtures/lessons: "two-parts", primes behind a GIL, then sleeping threads (300 sleeps
/// of 10 ms at full size, 12 of 5 ms with --quick).
void useTestLessons() {
    ::setenv("COREDUEL_LESSONS", COREDUEL_FIXTURE_DIR "/lessons", 1);
}

std::string readText(const std::string& path) {
    std::ifstream in(path);
    return std::string((std::istreambuf_iterator<char>(in)), {});
}

std::set<std::string> traceProcessNames(const std::string& trace) {
    std::ifstream in(trace);
    const auto j = nlohmann::json::parse(in);
    std::set<std::string> names;
    for (const auto& ev : j["traceEvents"])
        if (ev["ph"] == "M" && ev["name"] == "process_name")
            names.insert(ev["args"]["name"].get<std::string>());
    return names;
}

bool anyStartsWith(const std::set<std::string>& names, const std::string& prefix) {
    for (const auto& n : names)
        if (n.rfind(prefix, 0) == 0) return true;
    return false;
}

}  // namespace

TEST(CliSession, ALessonsSessionKeepsEveryPartAndItsExplanation) {
    useTestLessons();
    const std::string path = temp("lesson.coreduel");
    ASSERT_EQ(waitExit(spawnCli({"lesson", "two-parts", "--quick", "--session", path})), 0);
    const Session s = loadSession(path);
    EXPECT_TRUE(s.complete);
    ASSERT_TRUE(s.lesson.has_value());
    EXPECT_EQ(s.lesson->name, "01-two-parts");
    EXPECT_TRUE(s.lesson->quick);
    ASSERT_EQ(s.parts.size(), 2u);
    EXPECT_EQ(s.parts[0].label, "primes behind a GIL");
    EXPECT_EQ(s.parts[0].result.experiment.workload, "primes");
    EXPECT_EQ(s.parts[1].label, "sleeping threads");
    EXPECT_EQ(s.parts[1].result.experiment.workload, "sleep");
    for (const SessionPart& p : s.parts) {
        EXPECT_TRUE(p.complete);
        EXPECT_TRUE(p.result.allOk());
        EXPECT_GT(p.taskEvents, 0u);
        EXPECT_FALSE(p.samples.empty());
    }
    EXPECT_NE(s.lessonOutcome.find("with 3 threads"), std::string::npos) << s.lessonOutcome;

    // One part as a result file; every part needs a format that holds several.
    const std::string json = temp("part2.json");
    EXPECT_EQ(waitExit(spawnCli({"report", path, "--part", "2", "-o", json})), 0);
    EXPECT_NE(readText(json).find("\"workload\": \"sleep\""), std::string::npos);
    const std::string both = temp("both.json");
    EXPECT_EQ(waitExit(spawnCli({"report", path, "-o", both})), 2);
    EXPECT_FALSE(std::filesystem::exists(both));
    EXPECT_EQ(waitExit(spawnCli({"report", path, "--part", "3", "-o", json})), 2);
    const std::string md = temp("lesson.md");
    EXPECT_EQ(waitExit(spawnCli({"report", path, "-o", md})), 0);
    const std::string text = readText(md);
    EXPECT_NE(text.find("## Part 1 of 2: primes behind a GIL"), std::string::npos);
    EXPECT_NE(text.find("## Part 2 of 2: sleeping threads"), std::string::npos);
    EXPECT_NE(text.find("with 3 threads"), std::string::npos);
    for (const auto& f : {path, json, md}) std::filesystem::remove(f);
}

TEST(CliSession, SigkillInALessonsSecondPartKeepsTheFirstWholeAndThePartialSecond) {
    useTestLessons();
    const std::string path = temp("lesson-killed.coreduel");
    // Full size: part 2's sequential runs sleep 300 × 10 ms each.
    const pid_t pid = spawnCli({"lesson", "two-parts", "--session", path});
    ASSERT_GT(pid, 0);
    bool secondStreaming = false;
    for (int i = 0; i < 1200 && !secondStreaming; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        try {
            const Session s = loadSession(path);
            secondStreaming = s.parts.size() == 2 && s.parts[1].taskEvents > 0;
        } catch (const std::exception&) {
            // Not written yet: keep polling.
        }
    }
    ::kill(pid, SIGKILL);
    EXPECT_EQ(waitExit(pid), 128 + SIGKILL);
    ASSERT_TRUE(secondStreaming) << "part 2 never streamed task events";

    const Session s = loadSession(path);
    EXPECT_FALSE(s.complete);
    EXPECT_EQ(s.plannedParts, 2u);
    EXPECT_TRUE(s.lessonOutcome.empty()) << "a killed lesson cannot have explained itself";
    ASSERT_EQ(s.parts.size(), 2u);
    const SessionPart& first = s.parts[0];
    EXPECT_TRUE(first.complete);
    EXPECT_FALSE(first.result.cancelled);
    EXPECT_TRUE(first.result.allOk());
    EXPECT_EQ(first.result.runs.size(), 3u);  // sequential, gil-threads ×2, processes ×2
    EXPECT_GT(first.taskEvents, 0u);
    const SessionPart& second = s.parts[1];
    EXPECT_EQ(second.label, "sleeping threads");
    EXPECT_FALSE(second.complete);
    EXPECT_TRUE(second.result.cancelled);
    EXPECT_GT(second.taskEvents, 0u);
    // The warm-up, the sequential run and the threads run would make 900.
    EXPECT_LT(second.taskEvents, 900u) << "a killed part cannot have finished every task";

    // The half lesson still exports (every part's runs, named by part) and reports.
    const std::string trace = temp("lesson-killed-trace.json");
    EXPECT_EQ(waitExit(spawnCli({"export-trace", path, "-o", trace})), 0);
    const auto names = traceProcessNames(trace);
    EXPECT_TRUE(anyStartsWith(names, "part 1 (primes behind a GIL) \u00b7 run "));
    EXPECT_TRUE(anyStartsWith(names, "part 2 (sleeping threads) \u00b7 run "));
    const std::string md = temp("lesson-killed.md");
    EXPECT_EQ(waitExit(spawnCli({"report", path, "-o", md})), 0);
    const std::string text = readText(md);
    EXPECT_NE(text.find("Part 1 of 2: primes behind a GIL"), std::string::npos);
    EXPECT_NE(text.find("Part 2 of 2: sleeping threads"), std::string::npos);
    // The window's report (offscreen, through the coreduel program): both parts, with charts.
    const std::string html = temp("lesson-killed.html");
    EXPECT_EQ(waitExit(spawnCli({"report", path, "-o", html})), 0);
    const std::string page = readText(html);
    EXPECT_NE(page.find("Part 1 of 2: primes behind a GIL"), std::string::npos);
    EXPECT_NE(page.find("Part 2 of 2: sleeping threads (cut off)"), std::string::npos);
    std::size_t images = 0;
    for (auto at = page.find("<img"); at != std::string::npos; at = page.find("<img", at + 1))
        ++images;
    EXPECT_GE(images, 4u) << "charts of both parts";
    for (const auto& f : {path, trace, md, html}) std::filesystem::remove(f);
}
