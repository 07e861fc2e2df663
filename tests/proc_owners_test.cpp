// The RAII owners of core/proc: a ChildProcess is killed and reaped when its owner lets go
// (no zombie, no stray child), and a SharedMapping leaves no descriptor or mapping behind,
// also when a step of setting it up, or of using it, throws.

#include <gtest/gtest.h>

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

#include "core/ipc/shm_ring.h"
#include "core/proc/child_process.h"
#include "core/proc/shared_mapping.h"
#include "test_support.h"

using namespace coreduel;
using coreduel::test::childPids;

namespace {

/// Lines of /proc/self/maps that map a memfd called `name`.
int mappingsOf(const std::string& name) {
    std::ifstream maps("/proc/self/maps");
    int n = 0;
    for (std::string line; std::getline(maps, line);)
        if (line.find("/memfd:" + name) != std::string::npos) ++n;
    return n;
}

/// For the length of a scope, no new file descriptor can be opened (EMFILE).
struct NoMoreFds {
    rlimit saved{};
    NoMoreFds() {
        ::getrlimit(RLIMIT_NOFILE, &saved);
        rlimit none = saved;
        none.rlim_cur = 0;
        ::setrlimit(RLIMIT_NOFILE, &none);
    }
    ~NoMoreFds() { ::setrlimit(RLIMIT_NOFILE, &saved); }
};

ChildProcess sleeper() {
    return spawnProgram({"/bin/sleep", "30"}, {});
}

}  // namespace

TEST(ChildProcess, DestructionKillsAndReapsTheChild) {
    pid_t pid = -1;
    {
        auto child = sleeper();
        pid = child.pid();
        ASSERT_GT(pid, 0);
        EXPECT_GE(child.pidfd(), 0);
        EXPECT_EQ(childPids(), std::vector<int>{pid});
        EXPECT_FALSE(child.wait(0).has_value()) << "still running";
    }
    EXPECT_TRUE(childPids().empty()) << "a child or zombie is left";
    EXPECT_NE(::access(("/proc/" + std::to_string(pid)).c_str(), F_OK), 0);
}

TEST(ChildProcess, MovingHandsOverOwnershipOnce) {
    auto a = sleeper();
    const pid_t pid = a.pid();
    ChildProcess b(std::move(a));
    EXPECT_FALSE(a.valid());
    EXPECT_EQ(b.pid(), pid);
    ChildProcess c;
    c = std::move(b);
    EXPECT_EQ(c.pid(), pid);
    const auto e = c.killAndWait();
    ASSERT_TRUE(e.has_value());
    EXPECT_TRUE(WIFSIGNALED(e->status) && WTERMSIG(e->status) == SIGKILL);
    EXPECT_TRUE(c.reaped());
    EXPECT_TRUE(childPids().empty());
}

TEST(ChildProcess, WaitReportsTheExitAndReleaseGivesUp) {
    auto done = spawnProgram({"/bin/sh", "-c", "exit 7"}, {});
    const auto e = done.wait(10'000);
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(describeWaitStatus(e->status), "exited with status 7");
    EXPECT_TRUE(done.exit().has_value());

    auto kept = sleeper();
    const pid_t pid = kept.release();
    EXPECT_FALSE(kept.valid());
    { ChildProcess gone(std::move(kept)); }  // owns nothing: kills nothing
    EXPECT_EQ(::kill(pid, 0), 0) << "a released child was killed";
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
}

TEST(ChildProcess, AFailedPidfdOpenThrowsAndLeavesNoChild) {
    // posix_spawn needs no new descriptor here (no fd map); pidfd_open does.
    std::optional<NoMoreFds> limit(std::in_place);
    try {
        auto child = spawnProgram({"/bin/sleep", "30"}, {});
        limit.reset();
        FAIL() << "no pidfd, yet a ChildProcess";
    } catch (const std::system_error& e) {
        limit.reset();
        EXPECT_NE(std::string(e.what()).find("pidfd_open"), std::string::npos) << e.what();
    }
    EXPECT_TRUE(childPids().empty());
}

TEST(SharedMapping, CreatesAZeroedMappingAndSharesIt) {
    const int fds = countOpenFds();
    {
        auto m = SharedMapping::create("coreduel-test-map", 4096);
        ASSERT_NE(m.data(), nullptr);
        EXPECT_EQ(m.size(), 4096u);
        EXPECT_EQ(static_cast<unsigned char*>(m.data())[100], 0);
        static_cast<unsigned char*>(m.data())[100] = 42;
        auto other = SharedMapping::map(m.dupFd(), 4096);
        EXPECT_EQ(static_cast<unsigned char*>(other.data())[100], 42);
        EXPECT_EQ(mappingsOf("coreduel-test-map"), 2);
        SharedMapping moved(std::move(other));
        EXPECT_EQ(other.data(), nullptr);
        EXPECT_EQ(mappingsOf("coreduel-test-map"), 2);
    }
    EXPECT_EQ(mappingsOf("coreduel-test-map"), 0);
    EXPECT_EQ(countOpenFds(), fds);
}

TEST(SharedMapping, AFailedStepThrowsNamingItAndLeaksNothing) {
    const int fds = countOpenFds();
    try {
        // Larger than any address space: memfd_create and ftruncate succeed, mmap fails.
        (void)SharedMapping::create("coreduel-test-huge", std::size_t{1} << 62);
        FAIL() << "mapped 4 EiB";
    } catch (const std::system_error& e) {
        const std::string what = e.what();
        EXPECT_TRUE(what.find("mmap") != std::string::npos ||
                    what.find("ftruncate") != std::string::npos)
            << what;
    }
    EXPECT_EQ(countOpenFds(), fds);
    try {
        NoMoreFds limit;
        (void)SharedMapping::create("coreduel-test-nofd", 4096);
        FAIL() << "a memfd without a descriptor";
    } catch (const std::system_error& e) {
        EXPECT_NE(std::string(e.what()).find("memfd_create"), std::string::npos) << e.what();
    }
    EXPECT_EQ(countOpenFds(), fds);
}

TEST(SharedMapping, AWorkerChannelThatCannotBeOpenedLeavesNoMapping) {
    ShmPool pool(1, 64 * 1024);
    const int fds = countOpenFds();
    const int maps = mappingsOf("coreduel-shm-pool");
    // Worker 5 is outside a pool for one worker: the worker side throws after mapping it.
    EXPECT_THROW(ShmPool::workerChannel(pool.dupFd().release(), 5), std::exception);
    EXPECT_EQ(mappingsOf("coreduel-shm-pool"), maps) << "the mapping leaked";
    EXPECT_EQ(countOpenFds(), fds);
}
