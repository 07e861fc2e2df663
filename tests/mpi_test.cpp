// The mpi model on Open MPI: the same checksum as every other model, ranks that say where they
// ran, clocks compared NTP style (on one kernel the true offset is 0, so every estimate must
// lie within its own uncertainty), a two-"host" job through Open MPI's remote-launch path,
// and a rank killed mid-run that fails the run, names the rank and leaves nothing running.
// Built only where Open MPI is; skipped where mpirun is missing.

#include <dirent.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "core/exec/mpi_executor.h"
#include "core/exec/mpi_wire.h"
#include "core/report/json_report.h"
#include "core/report/schema.h"
#include "core/util/install_paths.h"
#include "core/workloads/workload.h"
#include "test_support.h"

using namespace coreduel;
using coreduel::test::RecordingSink;
using coreduel::test::runExperiment;

namespace {

/// Processes whose environment carries `tag`: mpirun, its daemons and every rank inherit it.
std::vector<int> taggedProcesses(const std::string& tag) {
    std::vector<int> out;
    DIR* d = ::opendir("/proc");
    if (d == nullptr) return out;
    while (const dirent* e = ::readdir(d)) {
        const int pid = std::atoi(e->d_name);
        if (pid <= 0 || pid == ::getpid()) continue;
        std::ifstream env("/proc/" + std::to_string(pid) + "/environ", std::ios::binary);
        std::string text((std::istreambuf_iterator<char>(env)), {});
        if (text.find(tag) != std::string::npos) out.push_back(pid);
    }
    ::closedir(d);
    return out;
}

/// Nothing of the job left, allowing a moment for orphans to be reaped by init.
bool nothingLeft(const std::string& tag) {
    for (int i = 0; i < 50; ++i) {
        if (taggedProcesses(tag).empty()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
}

class Mpi : public ::testing::Test {
protected:
    void SetUp() override {
        ::setenv("COREDUEL_MPI_WORKER", COREDUEL_MPI_WORKER_PATH, 0);
        if (!mpiUnavailableReason().empty()) GTEST_SKIP() << mpiUnavailableReason();
        m_tag = "coreduel-mpi-test-" + std::to_string(::getpid());
        ::setenv("COREDUEL_TEST_TAG", m_tag.c_str(), 1);
    }
    void TearDown() override {
        ::unsetenv("COREDUEL_TEST_TAG");
        ::unsetenv("OMPI_MCA_plm_rsh_agent");
        ::unsetenv("COREDUEL_MPI_ENGINE_HOST");
        ::unsetenv("OMPI_MCA_btl");
        ::unsetenv("OMPI_MCA_routed");
    }

    /// Every clock estimate of a rank on this kernel must contain the true offset, 0.
    static void expectClocksTrue(const MpiRunInfo& m, bool atEnd) {
        for (const auto& r : m.ranks) {
            if (r.rank == 0) continue;
            SCOPED_TRACE("rank " + std::to_string(r.rank));
            EXPECT_TRUE(r.sharedClock);
            EXPECT_GT(r.uncertaintyNs, 0);
            EXPECT_LE(std::llabs(r.offsetNs), r.uncertaintyNs);
            if (atEnd) {
                EXPECT_GT(r.endUncertaintyNs, 0);
                EXPECT_LE(std::llabs(r.endOffsetNs), r.endUncertaintyNs);
            }
        }
    }

    std::string m_tag;
};

TEST(MpiUnits, ClockOffsetIsTheMidpointAndHalfTheRoundTrip) {
    // Sent at 100, answered 1'000'050 on a clock 1'000'000 ahead, back at 200.
    const auto o = mpiwire::offsetFrom(100, 1'000'050, 200);
    EXPECT_EQ(o.offsetNs, 999'900);
    EXPECT_EQ(o.uncertaintyNs, 50);
    EXPECT_EQ(mpiwire::bestOf({{5, 90}, {7, 10}, {1, 30}}).offsetNs, 7);
}

TEST(MpiUnits, MpirunsReportOfADeadRankIsRead) {
    const auto d = detail::rankDeathFromMpirun(
        "-----\nmpirun noticed that process rank 2 with PID 0 on node beta exited on signal 9 "
        "(Killed).\n-----");
    ASSERT_TRUE(d);
    EXPECT_EQ(d->rank, 2u);
    EXPECT_EQ(d->node, "beta");
    EXPECT_EQ(d->signal, 9);
    const auto e = detail::rankExitFromMpirun(
        "the job to be terminated. The first process to do so was:\n\n  Process name: "
        "[[19173,1],3]\n  Exit code:    3\n");
    ASSERT_TRUE(e);
    EXPECT_EQ(e->first, 3u);
    EXPECT_EQ(e->second, 3);
    EXPECT_FALSE(detail::rankDeathFromMpirun("all went well"));
}

TEST(MpiUnits, TheCommandLineRunsAsRootOversubscribesOnlyThisMachine) {
    const auto local = detail::mpirunCommand("mpirun", "", 3, {"/w", "--connect", "127.0.0.1:1:t"});
    const auto has = [](const std::vector<std::string>& v, const std::string& s) {
        return std::find(v.begin(), v.end(), s) != v.end();
    };
    EXPECT_EQ(has(local, "--allow-run-as-root"), ::geteuid() == 0);
    EXPECT_TRUE(has(local, "--oversubscribe"));
    EXPECT_FALSE(has(local, "--hostfile"));
    EXPECT_TRUE(has(local, "3"));
    const auto cluster = detail::mpirunCommand("mpirun", "/h", 3, {"/w", "--connect", "host:1:t"});
    EXPECT_FALSE(has(cluster, "--oversubscribe"));
    EXPECT_TRUE(has(cluster, "--hostfile"));
}

TEST_F(Mpi, RanksGiveTheSequentialChecksumAndSayWhereTheyRan) {
    Experiment e;
    e.workload = "primes";
    e.params = {{"end", "200000"}, {"tasks", "24"}};
    e.models = {Model::Processes, Model::Mpi};
    e.workerCounts = {1, 2};
    RecordingSink sink;
    const auto result = runExperiment(e, &sink);
    ASSERT_TRUE(result.allOk());
    for (const auto& [index, r] : sink.finished) {
        EXPECT_EQ(r.checksum, result.baselineChecksum) << modelLabel(r.config);
        if (r.config.model != Model::Mpi) continue;
        ASSERT_TRUE(r.mpi);
        const auto& m = *r.mpi;
        EXPECT_EQ(m.ranks.size(), r.config.workers + 1);  // rank 0 coordinates
        EXPECT_GT(m.launchNs, 0);
        expectClocksTrue(m, /*atEnd=*/true);
        ASSERT_EQ(r.workers.size(), r.config.workers);
        std::uint64_t tasks = 0;
        for (const auto& w : r.workers) {
            tasks += w.tasks;
            EXPECT_GT(w.pid, 0);
            EXPECT_GT(w.cpuUserNs + w.cpuSystemNs, 0);
            EXPECT_GT(w.maxRssKib, 0);
            EXPECT_GT(w.bytesSent, 0u);
            EXPECT_GT(w.bytesReceived, 0u);
        }
        EXPECT_EQ(tasks, 24u);
        // Every task once, on a worker that exists, inside the run's own window.
        const auto& events = sink.eventsByRun[index];
        std::set<std::uint64_t> seen;
        for (const auto& ev : events) {
            seen.insert(ev.task);
            EXPECT_LT(ev.worker, r.config.workers);
            EXPECT_LE(ev.startNs, ev.endNs);
            EXPECT_LE(ev.endNs, ev.receivedNs);
        }
        EXPECT_EQ(seen.size(), 24u);
        // The run's own numbers survive a result file.
        const auto again = resultFromJson(toJson(result), "round trip");
        const auto it = std::find_if(again.runs.begin(), again.runs.end(), [&](const auto& x) {
            return x.config.model == Model::Mpi && x.config.workers == r.config.workers;
        });
        ASSERT_NE(it, again.runs.end());
        ASSERT_TRUE(it->mpi);
        EXPECT_EQ(it->mpi->ranks.size(), m.ranks.size());
    }
    EXPECT_TRUE(nothingLeft(m_tag));
}

/// Two "hosts" on this machine through Open MPI's remote-launch path: a launcher agent that
/// runs the daemon's command here instead of over ssh, and says which host it stands for.
TEST_F(Mpi, TwoHostsThroughTheRemoteLaunchPathEachSampleTheirCores) {
    char dir[] = "/tmp/coreduel-mpi-XXXXXX";
    ASSERT_NE(::mkdtemp(dir), nullptr);
    const std::string agent = std::string(dir) + "/agent";
    {
        std::ofstream a(agent);
        a << "#!/bin/sh\n# ssh stand-in: $1 is the host, the rest the command\nhost=$1\nshift\n"
             "COREDUEL_HOST_LABEL=$host exec sh -c \"$*\"\n";
    }
    ::chmod(agent.c_str(), 0755);
    const std::string hostfile = std::string(dir) + "/hosts";
    std::ofstream(hostfile) << "alpha slots=2\nbeta slots=2\n";
    ::setenv("OMPI_MCA_plm_rsh_agent", agent.c_str(), 1);
    // Two "hosts" on one machine must not share memory segments the way two ranks of one
    // host do (Open MPI 4.1's vader crashes when two daemons on one kernel both use it): TCP
    // between all ranks, as between real hosts.
    ::setenv("OMPI_MCA_btl", "self,tcp", 1);
    // And their daemons talk to mpirun directly: the default routing tree between two daemons
    // on one kernel made mpirun itself crash now and then (status 139, "an internal
    // programming error ... set the MCA param routed=direct"), in CI and under load.
    ::setenv("OMPI_MCA_routed", "direct", 1);
    ::setenv("COREDUEL_MPI_ENGINE_HOST", "127.0.0.1", 1);

    Experiment e;
    e.workload = "sleep";
    e.params = {{"tasks", "24"}, {"ms", "20"}};
    e.models = {Model::Mpi};
    e.workerCounts = {3};
    e.hostfile = hostfile;
    e.sampleHz = 20;
    const auto result = runExperiment(e);
    ASSERT_EQ(result.runs.size(), 2u);
    const auto& r = result.runs[1];
    ASSERT_TRUE(r.ok) << r.error;
    EXPECT_EQ(r.checksum, result.baselineChecksum);
    ASSERT_TRUE(r.mpi);
    std::set<std::string> hosts;
    for (const auto& rank : r.mpi->ranks) hosts.insert(rank.host);
    EXPECT_EQ(hosts, (std::set<std::string>{"alpha", "beta"}));
    expectClocksTrue(*r.mpi, /*atEnd=*/true);
    // Each host sampled once, by its lowest rank, every core of it, over the run.
    ASSERT_EQ(r.mpi->hosts.size(), 2u);
    const auto cores = static_cast<std::uint32_t>(::sysconf(_SC_NPROCESSORS_ONLN));
    for (const auto& h : r.mpi->hosts) {
        SCOPED_TRACE(h.host);
        EXPECT_TRUE(hosts.count(h.host));
        EXPECT_EQ(h.cores, cores);
        ASSERT_FALSE(h.timeNs.empty());
        for (const auto& s : h.busy) {
            ASSERT_EQ(s.size(), cores);
            for (float b : s) EXPECT_TRUE(b >= 0.0f && b <= 1.0001f);
        }
    }
    EXPECT_TRUE(nothingLeft(m_tag));
    std::filesystem::remove_all(dir);
}

TEST_F(Mpi, AKilledRankFailsTheRunNamesItAndLeavesNothingRunning) {
    auto workload = createWorkload("sleep", {{"tasks", "200"}, {"ms", "20"}});
    std::atomic<bool> cancel{false};
    RunConfig c;
    c.model = Model::Mpi;
    c.workers = 2;
    c.chunksize = 1;
    std::vector<std::pair<std::uint32_t, std::int32_t>> started;
    bool killed = false;
    ExecRequest req{
        *workload,
        c,
        cancel,
        [&](std::vector<TaskEvent>&& events) {
            // Mid-run: tasks are coming back. Kill worker 1 (rank 2) from outside.
            if (killed || events.empty()) return;
            for (const auto& [w, pid] : started) {
                if (w != 1) continue;
                ::kill(pid, SIGKILL);
                killed = true;
            }
        },
        nullptr,
        [&](std::uint32_t w, std::int32_t pid, std::int32_t) { started.emplace_back(w, pid); }};
    req.mpirun = resolveMpirun("");
    const auto out = runMpi(req);
    ASSERT_TRUE(killed);
    EXPECT_NE(out.error.find("rank 2"), std::string::npos) << out.error;
    EXPECT_NE(out.error.find("SIGKILL"), std::string::npos) << out.error;
    EXPECT_NE(out.error.find("while running task"), std::string::npos) << out.error;
    EXPECT_TRUE(nothingLeft(m_tag));
}

TEST_F(Mpi, WithoutMpirunOnlyTheMpiRunsFail) {
    Experiment e;
    e.workload = "primes";
    e.params = {{"end", "20000"}, {"tasks", "8"}};
    e.models = {Model::Threads, Model::Mpi};
    e.workerCounts = {2};
    e.mpirun = "/nonexistent/mpirun";
    const auto result = runExperiment(e);
    for (const auto& r : result.runs) {
        if (r.config.model == Model::Mpi) {
            EXPECT_FALSE(r.ok);
            EXPECT_NE(r.error.find("mpirun '/nonexistent/mpirun'"), std::string::npos) << r.error;
        } else {
            EXPECT_TRUE(r.ok) << r.error;
        }
    }
}

TEST_F(Mpi, CancellingMidRunEndsTheJob) {
    auto workload = createWorkload("sleep", {{"tasks", "400"}, {"ms", "20"}});
    std::atomic<bool> cancel{false};
    RunConfig c;
    c.model = Model::Mpi;
    c.workers = 2;
    ExecRequest req{*workload,
                    c,
                    cancel,
                    [&](std::vector<TaskEvent>&& events) {
                        if (!events.empty()) cancel = true;
                    },
                    nullptr,
                    nullptr};
    req.mpirun = resolveMpirun("");
    const auto t0 = std::chrono::steady_clock::now();
    const auto out = runMpi(req);
    EXPECT_TRUE(out.cancelled);
    EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(60));
    EXPECT_TRUE(nothingLeft(m_tag));
}

}  // namespace
