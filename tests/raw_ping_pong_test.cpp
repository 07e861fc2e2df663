// rawPingPongUs forks a bare echo child. Whatever fails, it owns its descriptors (none leak)
// and it reaps exactly the child it started, never another child of ours.

#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/measure/ipc_lab.h"
#include "test_support.h"

using namespace coreduel;
using coreduel::test::childPids;

namespace {

/// The smallest RLIMIT_NOFILE under which exactly `free` descriptor numbers are unused.
rlim_t limitLeaving(int free) {
    int seen = 0;
    for (int fd = 0;; ++fd) {
        if (::fcntl(fd, F_GETFD) < 0 && ++seen == free) return static_cast<rlim_t>(fd + 1);
    }
}

}  // namespace

TEST(RawPingPong, MeasuresAndLeavesNothingBehind) {
    const int fds = countOpenFds();
    EXPECT_GT(rawPingPongUs(Transport::Pipe, 200), 0.0);
    EXPECT_GT(rawPingPongUs(Transport::UnixSocket, 200), 0.0);
    EXPECT_EQ(countOpenFds(), fds);
    EXPECT_TRUE(childPids().empty());
}

TEST(RawPingPong, ASecondFailedPipeLeaksNotTheFirst) {
    for (auto t : {Transport::Pipe, Transport::UnixSocket}) {
        const int fds = countOpenFds();
        rlimit saved{};
        ::getrlimit(RLIMIT_NOFILE, &saved);
        rlimit tight = saved;
        tight.rlim_cur = limitLeaving(2);  // room for the first pair only
        ::setrlimit(RLIMIT_NOFILE, &tight);
        bool threw = false;
        try {
            rawPingPongUs(t, 10);
        } catch (const std::system_error&) {
            threw = true;
        }
        ::setrlimit(RLIMIT_NOFILE, &saved);
        EXPECT_TRUE(threw) << toString(t);
        EXPECT_EQ(countOpenFds(), fds) << toString(t);
        EXPECT_TRUE(childPids().empty());
    }
}

TEST(RawPingPong, AFailedForkThrowsAndReapsNoOtherChild) {
    // Root ignores RLIMIT_NPROC: run the case in a child that drops to an unprivileged user.
    const pid_t harness = ::fork();
    ASSERT_GE(harness, 0);
    if (harness == 0) {
        int code = 0;
        ::signal(SIGPIPE, SIG_IGN);
        if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) ::_exit(10);
        // Another child of the harness, which must outlive the failed call: it ends by itself
        // after 2 s, so a wrong waitpid(-1) would reap it rather than hang.
        const pid_t bystander = ::fork();
        if (bystander == 0) {
            ::sleep(2);
            ::_exit(0);
        }
        rlimit none{0, 0};
        if (::setrlimit(RLIMIT_NPROC, &none) != 0) ::_exit(11);
        if (const pid_t probe = ::fork(); probe >= 0) {  // fork is not limited here
            if (probe == 0) ::_exit(0);
            ::waitpid(probe, nullptr, 0);
            ::kill(bystander, SIGKILL);
            ::waitpid(bystander, nullptr, 0);
            ::_exit(12);
        }
        const int fds = countOpenFds();
        try {
            rawPingPongUs(Transport::Pipe, 10);
            code = 17;
        } catch (const std::system_error& e) {
            if (std::string(e.what()).find("fork") == std::string::npos) code = 13;
        } catch (...) {
            code = 14;
        }
        if (countOpenFds() != fds) code = 15;
        // The bystander is still ours to reap, and alive (it sleeps 2 s).
        if (::waitpid(bystander, nullptr, WNOHANG) != 0) code = 16;
        ::kill(bystander, SIGKILL);
        ::waitpid(bystander, nullptr, 0);
        ::_exit(code);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(harness, &status, 0), harness);
    ASSERT_TRUE(WIFEXITED(status)) << describeWaitStatus(status);
    const int code = WEXITSTATUS(status);
    if (code == 10 || code == 11) GTEST_SKIP() << "cannot drop privileges here (" << code << ")";
    if (code == 12) GTEST_SKIP() << "fork was not limited here";
    EXPECT_EQ(code, 0) << "13: not a system_error naming fork, 14: another exception, "
                          "15: fds leaked, 16: the other child was reaped, 17: no error";
}
