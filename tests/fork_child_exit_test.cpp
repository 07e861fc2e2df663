// Every forked child ends in _exit, whatever happens in it: an exception that escapes the worker
// loop must not unwind into the engine's (or the fork server's) own code in the child, where
// it would go on as a second engine. And a broken internal assumption of the process executor
// surfaces as a bug (std::logic_error) after the workers are reaped, not as a failed run.

#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/exec/executor.h"
#include "core/exec/fork_server.h"
#include "core/exec/protocol.h"
#include "core/exec/worker_status.h"
#include "core/ipc/channel.h"
#include "core/util/clock.h"
#include "test_support.h"

using namespace coreduel;
using coreduel::test::childPids;

namespace {

/// Throws something that is not a std::exception from its task: the worker loop's own
/// handlers do not catch it, so it escapes the loop.
class EscapingWorkload final : public Workload {
public:
    EscapingWorkload() : Workload(ParamValues{}) {}
    const WorkloadInfo& info() const override {
        static const WorkloadInfo i{"escaping", "throws a non-std exception", Boundedness::Cpu, {}};
        return i;
    }
    std::size_t taskCount() const override { return 4; }
    void encodeTask(std::size_t index, ByteWriter& out) const override { out.u64(index); }
    void compute(ByteReader& task, ByteWriter& result, ExecContext&) const override {
        const auto index = task.u64();
        if (index == 0) throw 42;  // NOLINT: on purpose not a std::exception
        result.u64(index);
    }
    std::string summarize(const std::vector<std::vector<std::byte>>&) const override { return ""; }
};

}  // namespace

TEST(ForkChildExit, AnEscapingExceptionEndsTheForkedWorkerNotADuplicateEngine) {
    if (coreduel::test::sanitizerBuild()) GTEST_SKIP() << "forks the engine";
    const pid_t engine = ::getpid();
    EscapingWorkload workload;
    std::atomic<bool> cancel{false};
    RunConfig config;
    config.model = Model::Processes;
    config.workers = 1;
    config.chunksize = 1;
    config.startMethod = StartMethod::Fork;
    ExecOutcome out;
    try {
        out = runProcesses(ExecRequest{workload, config, cancel, {}, {}, {}}, nullptr);
    } catch (...) {
    }
    // We are the forked worker, back in the test: the bug. Our descriptors were closed for
    // the worker, so the exit status is the only way to tell the engine.
    if (::getpid() != engine) ::_exit(99);
    ASSERT_FALSE(out.error.empty());
    EXPECT_EQ(out.error.find("exited with status 99"), std::string::npos)
        << "the forked worker returned into the test: " << out.error;
    EXPECT_NE(out.error.find("worker 0 (pid "), std::string::npos) << out.error;
    EXPECT_NE(out.error.find("exited with status " + std::to_string(kChildEscapedStatus)),
              std::string::npos)
        << out.error;
    EXPECT_NE(out.error.find("task 0"), std::string::npos) << out.error;
    EXPECT_TRUE(childPids().empty());
}

TEST(ForkChildExit, AnEscapingExceptionEndsTheForkServersChildWithAnExitStatus) {
    ForkServer server;
    auto channel = makeChannel(Transport::Pipe);
    WorkerStatusPage status(1);
    channel.workerFds.push_back(status.dupFd());
    std::vector<int> fds;
    for (const auto& fd : channel.workerFds) fds.push_back(fd.get());
    auto child = server.startWorker(0, Transport::Pipe, fds);
    channel.workerFds.clear();

    // A good Setup, then a Chunk frame too short to hold its chunk id: the worker loop's
    // decoding throws outside its task handlers.
    ByteWriter w;
    auto f = protocol::beginFrame(w, protocol::Type::Setup);
    w.str("square");
    w.u32(0);
    w.u32(0);
    protocol::finishFrame(w, f);
    f = protocol::beginFrame(w, protocol::Type::Chunk);
    protocol::finishFrame(w, f);
    std::size_t sent = 0;
    const auto deadline = monotonicNs() + 5'000'000'000LL;
    while (sent < w.size() && monotonicNs() < deadline)
        sent += channel.engine->send(w.buffer().data() + sent, w.size() - sent);
    ASSERT_EQ(sent, w.size());

    const auto e = child.wait(10'000);
    ASSERT_TRUE(e.has_value()) << "the fork server did not report the worker's end";
    // Not a signal (std::terminate), and not status 0: the server's own loop returning in the
    // child, which would first have killed the server's other children from there.
    EXPECT_TRUE(WIFEXITED(e->status) && WEXITSTATUS(e->status) != 0)
        << describeWaitStatus(e->status);
}

TEST(ProcessExecutorBug, ABrokenAssumptionIsThrownNotReportedAsAFailedRun) {
    auto workload = createWorkload("square", {{"count", "10"}});
    std::atomic<bool> cancel{false};
    RunConfig config;
    config.model = Model::Processes;
    config.workers = 2;
    config.startMethod = StartMethod::ForkServer;  // but no server: a caller's bug
    EXPECT_THROW(runProcesses(ExecRequest{*workload, config, cancel, {}, {}, {}}, nullptr),
                 std::logic_error);
    EXPECT_TRUE(childPids().empty());
}
