// coreduel-cli as a user meets it: exit codes, messages and the JSON it promises.

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

namespace {

struct Outcome {
    int exitCode = -1;
    std::string out;  ///< stdout and stderr together
};

Outcome cli(const std::string& args, bool withStderr = true) {
    const std::string cmd = std::string(COREDUEL_CLI_PATH) + " " + args + (withStderr ? " 2>&1" : " 2>/dev/null");
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
    EXPECT_NE(o.out.find("unknown workload 'fibonacci' (allowed: primes"), std::string::npos) << o.out;

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
    EXPECT_EQ(j["schema"], "coreduel.result/1");
    ASSERT_EQ(j["runs"].size(), 7u);
    for (const auto& r : j["runs"]) {
        for (const char* key : {"workload", "model", "workers", "start_method", "wall_seconds",
                                "cpu_user_seconds", "cpu_system_seconds", "speedup", "efficiency",
                                "checksum", "ok", "error"})
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
    for (const char* s : {"wall [s]", "cpu user [s]", "speedup [x]", "peak RSS [MiB]", "gil-threads with 2 workers"})
        EXPECT_NE(o.out.find(s), std::string::npos) << s << "\n" << o.out;
}

TEST(Cli, ListNamesEveryWorkload) {
    const auto o = cli("list --json", false);
    ASSERT_EQ(o.exitCode, 0);
    const auto j = nlohmann::json::parse(o.out);
    EXPECT_EQ(j["workloads"].size(), 9u);
}
