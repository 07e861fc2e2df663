// The worker's end of a pipe channel: pollInput looks for more work without blocking, and an
// end of stream it comes across is still reported by the next read (the worker then says Bye
// instead of waiting forever).

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>

#include "core/ipc/channel.h"
#include "core/proc/child_process.h"
#include "core/util/sys.h"

namespace coreduel {
namespace {

/// In the forked child: the worker's side of the conversation. Exit code 0 when every step
/// behaved; otherwise the number of the step that did not.
int childSide() {
    auto ch = openWorkerChannel(Transport::Pipe, 0);
    if (ch->pollInput()) return 10;  // nothing was written yet
    ch->writeAll("r", 1);            // tell the parent to write
    bool more = false;
    for (int i = 0; i < 5000 && !more; ++i) {
        more = ch->pollInput();
        if (!more) ::usleep(1000);
    }
    if (!more) return 11;
    char buf[6] = {};
    if (!ch->readExact(buf, 5) || std::memcmp(buf, "hello", 5) != 0) return 12;
    if (ch->inputPending()) return 13;  // all of it was taken
    ch->writeAll("d", 1);               // the parent closes its end now
    bool ended = false;
    for (int i = 0; i < 5000 && !ended; ++i) {
        ended = ch->pollInput();
        if (!ended) ::usleep(1000);
    }
    if (!ended) return 14;
    if (ch->readExact(buf, 1)) return 15;  // the end of stream pollInput saw
    return 0;
}

TEST(WorkerChannel, PollInputTakesWhatArrivedAndKeepsTheEndOfStream) {
    Pipe tasks = makePipe();
    Pipe results = makePipe();
    const pid_t pid = ::fork();
    if (pid == 0) {
        const int fds[2] = {tasks.read.get(), results.write.get()};
        if (!moveToWorkerFds(fds, 2)) ::_exit(127);
        int rc = 99;
        try {
            rc = childSide();
        } catch (...) {
            rc = 98;
        }
        ::_exit(rc);
    }
    ASSERT_GT(pid, 0);
    tasks.read.reset();
    results.write.reset();
    char c = 0;
    ASSERT_TRUE(readExact(results.read.get(), &c, 1));
    EXPECT_EQ(c, 'r');
    writeAll(tasks.write.get(), "hello", 5);
    ASSERT_TRUE(readExact(results.read.get(), &c, 1));
    EXPECT_EQ(c, 'd');
    tasks.write.reset();
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0) << "step that failed in the worker";
}

}  // namespace
}  // namespace coreduel
