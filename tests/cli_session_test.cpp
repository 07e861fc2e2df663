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
            for (const auto& [index, run] : s.runs)
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
    EXPECT_TRUE(s.result.cancelled);
    ASSERT_GE(s.result.runs.size(), 1u) << "the finished sequential baseline is lost";
    EXPECT_EQ(s.result.runs.front().config.model, Model::Sequential);
    EXPECT_TRUE(s.result.runs.front().ok);
    std::size_t processEvents = 0;
    for (const auto& [index, run] : s.runs)
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
