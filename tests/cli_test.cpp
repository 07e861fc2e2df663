// coreduel-cli as a user meets it: exit codes, messages and the JSON it promises.

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <unistd.h>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>

#include "core/workloads/workload.h"

extern char** environ;

namespace {

struct Outcome {
    int exitCode = -1;
    std::string out;  ///< stdout and stderr together
};

Outcome cli(const std::string& args, bool withStderr = true) {
    const std::string cmd =
        std::string(COREDUEL_CLI_PATH) + " " + args + (withStderr ? " 2>&1" : " 2>/dev/null");
    Outcome o;
    FILE* p = ::popen(cmd.c_str(), "r");
    if (p == nullptr) return o;
    std::array<char, 4096> buf;
    std::size_t n;
    while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) o.out.append(buf.data(), n);
    const int status = ::pclose(p);
    o.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return o;
}

}  // namespace

TEST(Cli, BadUsageExitsWithTwoAndSaysWhatIsAllowed) {
    auto o = cli("run --workload fibonacci");
    EXPECT_EQ(o.exitCode, 2);
    EXPECT_NE(o.out.find("unknown workload 'fibonacci' (allowed: primes"), std::string::npos)
        << o.out;

    o = cli("run --workers 0");
    EXPECT_EQ(o.exitCode, 2);
    EXPECT_NE(o.out.find("allowed: 1 to 512"), std::string::npos) << o.out;

    o = cli("run --models threads,fibers");
    EXPECT_EQ(o.exitCode, 2);
    EXPECT_NE(o.out.find("unknown model 'fibers'"), std::string::npos) << o.out;

    o = cli("run -w primes -p end=-4");
    EXPECT_EQ(o.exitCode, 2);
    EXPECT_NE(o.out.find("parameter 'end'"), std::string::npos) << o.out;

    o = cli("run --no-such-flag");
    EXPECT_EQ(o.exitCode, 2);
    o = cli("");
    EXPECT_EQ(o.exitCode, 2);
}

TEST(Cli, JsonHasOneObjectPerRunWithThePromisedFields) {
    const auto o = cli("run -w primes -p end=50000 -p tasks=8 -m all -n 1,2 --json -q", false);
    ASSERT_EQ(o.exitCode, 0) << o.out;
    const auto j = nlohmann::json::parse(o.out);
    EXPECT_EQ(j["schema"], "coreduel.result/2");
    ASSERT_EQ(j["runs"].size(), 7u);
    for (const auto& r : j["runs"]) {
        for (const char* key :
             {"workload", "model", "workers", "start_method", "wall_seconds", "cpu_user_seconds",
              "cpu_system_seconds", "run_speedup", "run_efficiency", "checksum", "ok", "error"})
            EXPECT_TRUE(r.contains(key)) << key;
        EXPECT_TRUE(r["ok"].get<bool>());
        EXPECT_EQ(r["checksum"], j["baseline_checksum"]);
    }
}

TEST(Cli, AFailedRunExitsWithOne) {
    const auto o = cli("run -w fault -p mode=kill -m processes -n 2 -q");
    EXPECT_EQ(o.exitCode, 1) << o.out;
    EXPECT_NE(o.out.find("killed by SIGKILL"), std::string::npos) << o.out;
}

TEST(Cli, TableHasUnitsAndAVerdict) {
    const auto o = cli("run -w sleep -p tasks=4 -p ms=5 -n 1,2 -q", false);
    ASSERT_EQ(o.exitCode, 0) << o.out;
    for (const char* s : {"wall [s]", "cpu user [s]", "speedup [x]", "peak RSS [MiB]",
                          "gil-threads with 2 workers"})
        EXPECT_NE(o.out.find(s), std::string::npos) << s << "\n" << o.out;
}

TEST(Cli, ListNamesEveryWorkload) {
    const auto o = cli("list --json", false);
    ASSERT_EQ(o.exitCode, 0);
    const auto j = nlohmann::json::parse(o.out);
    // Every workload of the engine's catalogue, the user's code (python, native) included.
    ASSERT_EQ(j["workloads"].size(), coreduel::workloadCatalog().size());
    std::set<std::string> names;
    for (const auto& w : j["workloads"]) names.insert(w.at("name").get<std::string>());
    for (const auto& w : coreduel::workloadCatalog()) EXPECT_TRUE(names.contains(w.name)) << w.name;
    EXPECT_TRUE(names.contains("python"));
    EXPECT_TRUE(names.contains("native"));
}

extern char** environ;

namespace {

/// A hand-made result file: `walls` per configuration, everything else minimal.
std::string writeResult(const std::string& name,
                        const std::vector<std::pair<std::string, std::vector<double>>>& walls) {
    nlohmann::json j;
    j["schema"] = "coreduel.result/1";
    j["experiment"] = {{"workload", "square"}, {"params", {{"count", "10"}}}};
    j["runs"] = nlohmann::json::array();
    for (const auto& [model, values] : walls)
        for (std::size_t i = 0; i < values.size(); ++i)
            j["runs"].push_back({{"model", model},
                                 {"workers", 2},
                                 {"wall_seconds", values[i]},
                                 {"ok", true},
                                 {"repetition", i},
                                 {"checksum", "00000000000000aa"}});
    const std::string path = "/tmp/coreduel-cli-test-" + std::to_string(::getpid()) + "-" + name;
    std::ofstream(path) << j.dump();
    return path;
}

}  // namespace

TEST(Cli, CompareFlagsOnlySignificantRegressions) {
    const auto base = writeResult("base.json", {{"threads", {1.00, 1.01, 0.99, 1.00, 1.02}},
                                                {"processes", {2.0, 2.5, 1.5, 2.2, 1.8}}});
    const auto next = writeResult(
        "next.json", {{"threads", {1.20, 1.21, 1.19, 1.20, 1.22}},  // 20 % slower, tight
                      {"processes", {2.4, 1.6, 2.0, 2.6, 1.9}}});   // noise
    auto o = cli("compare " + base + " " + next + " --fail-if-slower 10 --json", false);
    EXPECT_EQ(o.exitCode, 1) << o.out;
    const auto j = nlohmann::json::parse(o.out);
    ASSERT_EQ(j["configurations"].size(), 2u);
    EXPECT_NEAR(j["configurations"][0]["ratio"].get<double>(), 1.2, 0.01);
    EXPECT_TRUE(j["configurations"][0]["regression"].get<bool>());
    EXPECT_FALSE(j["configurations"][1]["significant"].get<bool>());
    EXPECT_EQ(j["regressions"], 1);

    o = cli("compare " + base + " " + next + " --fail-if-slower 25", false);
    EXPECT_EQ(o.exitCode, 0) << o.out;  // 20 % is under the threshold
    EXPECT_NE(o.out.find("slower by 20 %"), std::string::npos) << o.out;
    std::remove(base.c_str());
    std::remove(next.c_str());
}

TEST(Cli, ReportRendersEveryFormatAndRefusesUnknownOnes) {
    const auto result = writeResult("r.json", {{"threads", {1.0, 1.1}}});
    for (const char* ext : {".md", ".html", ".csv", ".json", ".txt"}) {
        const std::string out = result + ext;
        const auto o = cli("report " + result + " -o " + out);
        EXPECT_EQ(o.exitCode, 0) << ext << ": " << o.out;
        std::ifstream in(out);
        std::string content((std::istreambuf_iterator<char>(in)), {});
        EXPECT_FALSE(content.empty()) << ext;
        if (std::string(ext) == ".html") {
            // The window's report (coreduel is built next to coreduel-cli): the same document
            // as File › Export report, its verdict in sentences and its charts embedded.
            EXPECT_EQ(content.rfind("<!DOCTYPE html>", 0), 0u);
            const auto verdict = content.find("<h2>Verdict</h2>");
            ASSERT_NE(verdict, std::string::npos);
            EXPECT_NE(content.find("<p>threads with 2 workers", verdict), std::string::npos)
                << content.substr(verdict, 2000);
            EXPECT_NE(content.find("<h2>Charts</h2>"), std::string::npos);
            EXPECT_NE(content.find("data:image/"), std::string::npos) << "charts are embedded";
        }
        if (std::string(ext) == ".csv") {
            EXPECT_EQ(content.rfind("workload,model,", 0), 0u);
        }
        std::remove(out.c_str());
    }
    const auto bad = cli("report " + result + " -o " + result + ".docx");
    EXPECT_EQ(bad.exitCode, 2);
    EXPECT_NE(bad.out.find("allowed extensions: .md, .html, .csv, .json, .txt"), std::string::npos)
        << bad.out;
    std::remove(result.c_str());
}

TEST(Cli, MalformedExperimentFileIsAUsageErrorWithItsPlace) {
    const std::string path = "/tmp/coreduel-cli-test-" + std::to_string(::getpid()) + "-bad.json";
    std::ofstream(path) << "{\"workload\": \"primes\",\n \"workers\": [1, \"two\"]}";
    const auto o = cli("run -f " + path);
    EXPECT_EQ(o.exitCode, 2);
    EXPECT_NE(o.out.find(path + ": /workers/1: must be a number, not string"), std::string::npos)
        << o.out;
    std::remove(path.c_str());
}

TEST(Cli, ProfileFollowsThreadsAndChildProcesses) {
    // The helpers burn a fixed amount of CPU time (3 threads x 300 ms, 2 children x 300 ms),
    // however long a busy machine makes them wait, so the totals can be checked exactly.
    const auto o = cli(std::string("profile -r 2 --json -- ") + SPIN_THREADS_PATH +
                           " 3 300 --vs -- " + FORK_CHILDREN_PATH + " 2 300",
                       false);
    ASSERT_EQ(o.exitCode, 0) << o.out;
    const auto j = nlohmann::json::parse(o.out);
    ASSERT_EQ(j["commands"].size(), 2u);
    const auto cpu = [](const nlohmann::json& run) {
        return run["cpu_user_seconds"].get<double>() + run["cpu_system_seconds"].get<double>();
    };
    for (const auto& run : j["commands"][0]["runs"]) {
        ASSERT_GE(run["processes"].size(), 1u);
        EXPECT_GE(run["processes"][0]["max_threads"].get<unsigned>(), 4u);  // main + 3 spinners
        EXPECT_GT(cpu(run), 3 * 0.3 * 0.95) << "every spinning thread's CPU time is counted";
    }
    for (const auto& run : j["commands"][1]["runs"]) {
        EXPECT_GE(run["processes"].size(), 3u);  // the parent and its two children
        // The children's CPU time reaches the total through wait4.
        EXPECT_GT(cpu(run), 2 * 0.3 * 0.95) << "the children's CPU time is counted";
    }
}

TEST(Cli, ProfileRefusesWhatItCannotRun) {
    auto o = cli("profile -- /nonexistent/program");
    EXPECT_EQ(o.exitCode, 2);
    EXPECT_NE(o.out.find("cannot run '/nonexistent/program'"), std::string::npos) << o.out;
    o = cli("profile --bogus -- true");
    EXPECT_EQ(o.exitCode, 2);
    EXPECT_NE(o.out.find("unknown option '--bogus'"), std::string::npos) << o.out;
    o = cli("profile -r 1");
    EXPECT_EQ(o.exitCode, 2);
}

extern char** environ;

namespace {

/// Processes whose command line names `parent` as their engine (coreduel-worker --worker PID).
int workersOf(pid_t parent) {
    int n = 0;
    for (const auto& e : std::filesystem::directory_iterator("/proc")) {
        // read(2), not an istreambuf_iterator: a process that exits between readdir and the read
        // makes read() fail with ESRCH, which libstdc++'s filebuf turns into an exception there
        // (seen once in CI as "basic_filebuf::underflow error reading the file: No such process").
        std::string cmd;
        const int fd = ::open((e.path() / "cmdline").c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) continue;
        char buf[4096];
        for (ssize_t got; (got = ::read(fd, buf, sizeof buf)) > 0;)
            cmd.append(buf, static_cast<std::size_t>(got));
        ::close(fd);
        if (cmd.find(std::string("--worker") + '\0' + std::to_string(parent) + '\0') !=
            std::string::npos)
            ++n;
    }
    return n;
}

}  // namespace

TEST(Cli, CtrlCStopsCleanlyAndKeepsAPartialResult) {
    const std::string out =
        "/tmp/coreduel-cli-test-" + std::to_string(::getpid()) + "-partial.json";
    std::vector<std::string> args = {
        COREDUEL_CLI_PATH, "run", "-w", "sleep", "-p", "tasks=200", "-p", "ms=10", "-m",
        "processes",       "-n",  "2",  "-q",    "-o", out};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    pid_t pid = -1;
    ASSERT_EQ(::posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ), 0);
    posix_spawn_file_actions_destroy(&fa);
    // Wait until the run with worker processes is under way (the sequential baseline of 2 s
    // comes first), then press Ctrl-C.
    bool sawWorkers = false;
    for (int i = 0; i < 1000 && !sawWorkers; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        sawWorkers = workersOf(pid) > 0;
    }
    ASSERT_TRUE(sawWorkers) << "no worker processes appeared";
    ::kill(pid, SIGINT);
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 130);
    EXPECT_EQ(workersOf(pid), 0) << "workers outlived the engine";
    std::ifstream in(out);
    ASSERT_TRUE(in) << "no partial result was written";
    const auto j = nlohmann::json::parse(in);
    EXPECT_TRUE(j["cancelled"].get<bool>());
    EXPECT_GE(j["runs"].size(), 1u);  // the finished baseline at least
    std::remove(out.c_str());
}

TEST(Cli, UnwritableOutputIsRefusedBeforeAnythingRuns) {
    const auto o = cli("run -w sleep -p tasks=100 -p ms=100 -o /nonexistent-dir/result.json");
    EXPECT_EQ(o.exitCode, 2);
    EXPECT_NE(o.out.find("cannot write into /nonexistent-dir"), std::string::npos) << o.out;
    EXPECT_EQ(o.out.find("running sleep"), std::string::npos) << "it ran anyway";
}

TEST(Cli, WrongSchemaVersionIsAUsageError) {
    const std::string path = "/tmp/coreduel-cli-test-" + std::to_string(::getpid()) + "-v9.json";
    std::ofstream(path) << R"({"schema": "coreduel.experiment/9", "workload": "primes"})";
    const auto o = cli("run -f " + path);
    EXPECT_EQ(o.exitCode, 2);
    EXPECT_NE(o.out.find("unsupported schema 'coreduel.experiment/9'"), std::string::npos) << o.out;
    std::remove(path.c_str());
}
