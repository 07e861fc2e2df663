// Load that lasts: many short experiments in one process — every model, start method and
// transport, with the sampler on and some runs stopped half-way — leave no file descriptors,
// threads, children, /dev/shm or /dev/mqueue names behind and do not grow the memory. The CI
// count is small (a few seconds); COREDUEL_SOAK=1000 is the long soak (README, "Soak").

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include "core/run/runner.h"
#include "test_support.h"

using namespace coreduel;

namespace {

struct Footprint {
    long fds = 0;
    long threads = 0;
    long rssKib = 0;
    long shm = 0;
    long mqueues = 0;
};

long entries(const char* dir) {
    std::error_code ec;
    long n = 0;
    for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
        ++n;
    return n;
}

long statusField(const std::string& field) {
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);)
        if (line.rfind(field + ":", 0) == 0) return std::stol(line.substr(field.size() + 1));
    return -1;
}

/// Polls `done` every 10 ms until it holds or `timeoutMs` passes (children are reaped by
/// the engine's own threads shortly after a run).
template <typename Pred>
bool eventually(Pred done, int timeoutMs) {
    for (int waited = 0; waited < timeoutMs; waited += 10) {
        if (done()) return true;
        ::usleep(10'000);
    }
    return done();
}

Footprint footprint() {
    return {entries("/proc/self/fd"), statusField("Threads"), statusField("VmRSS"),
            test::shmEntries(), entries("/dev/mqueue")};
}

std::ostream& operator<<(std::ostream& out, const Footprint& f) {
    return out << f.fds << " fds, " << f.threads << " threads, " << f.rssKib << " KiB RSS, "
               << f.shm << " /dev/shm, " << f.mqueues << " /dev/mqueue";
}

/// Stops the run at its first task event: the cancelled path must clean up as well.
class StopEarly : public EventSink {
public:
    explicit StopEarly(Runner& r) : m_runner(r) {}
    void taskEvents(std::size_t, std::span<const TaskEvent>) override {
        if (!m_stopped.exchange(true)) m_runner.cancel();
    }

private:
    Runner& m_runner;
    std::atomic<bool> m_stopped{false};
};

Experiment experiment(std::size_t i) {
    static const Transport transports[] = {Transport::Pipe, Transport::UnixSocket,
                                           Transport::SharedMemory, Transport::MessageQueue};
    static const StartMethod methods[] = {StartMethod::Spawn, StartMethod::ForkServer,
                                          StartMethod::Fork};
    Experiment e;
    e.workload = "square";
    e.params = {{"count", "400"}};
    e.models = {Model::Threads, Model::GilThreads, Model::Processes};
    e.workerCounts = {2};
    e.transport = transports[i % std::size(transports)];
    e.startMethod = methods[(i / std::size(transports)) % std::size(methods)];
    // The fork start method is not fork-safe under the sanitizers' runtimes (GCC 12).
    if (test::sanitizerBuild() && e.startMethod == StartMethod::Fork)
        e.startMethod = StartMethod::Spawn;
    e.sampleHz = 50;
    return e;
}

}  // namespace

TEST(Soak, ManyShortExperimentsLeaveNothingBehind) {
    std::size_t count = 40;
    if (const char* n = std::getenv("COREDUEL_SOAK"); n != nullptr && std::atol(n) > 0)
        count = static_cast<std::size_t>(std::atol(n));
    const std::size_t warmup = std::max<std::size_t>(4, count / 10);
    Footprint before;
    for (std::size_t i = 0; i < count; ++i) {
        if (i == warmup) {
            // Once the allocator, the sampler's files and the thread pools have their size.
            ASSERT_TRUE(eventually([] { return test::childPids().empty(); }, 10000));
            before = footprint();
        }
        const Experiment e = experiment(i);
        Runner runner(e);
        ExperimentResult r;
        if (i % 5 == 4) {
            StopEarly stop(runner);
            r = runner.run(stop);
        } else {
            EventSink none;
            r = runner.run(none);
            ASSERT_TRUE(r.allOk()) << "experiment " << i << " (" << toString(e.transport) << ", "
                                   << toString(e.startMethod) << ")";
        }
        if (count >= 100 && (i + 1) % (count / 10) == 0)
            std::cout << "[ soak ] " << i + 1 << " experiments: " << footprint() << '\n';
    }
    ASSERT_TRUE(eventually([] { return test::childPids().empty(); }, 10000))
        << "a worker or zombie is left";
    const Footprint after = footprint();
    std::cout << "[ soak ] " << count << " experiments; after " << warmup << ": " << before
              << "; at the end: " << after << '\n';
    EXPECT_LE(after.fds, before.fds);
    EXPECT_LE(after.threads, before.threads);
    EXPECT_LE(after.shm, before.shm);
    EXPECT_LE(after.mqueues, before.mqueues);
    // The allocator keeps some of what it was given; a leak per experiment would grow with
    // the count. Under the sanitizers freed memory waits in their quarantine (ASan keeps up to
    // 256 MiB by design) and LeakSanitizer checks leaks itself: RSS says nothing there.
    if (test::sanitizerBuild()) return;
    EXPECT_LE(after.rssKib - before.rssKib, 8 * 1024 + static_cast<long>(count) * 8)
        << "RSS grew from " << before.rssKib << " to " << after.rssKib << " KiB";
}
