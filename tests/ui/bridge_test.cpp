// The bridge turns engine events into signals on the GUI thread, in order, batched, and
// drops what a replaced experiment still sends.

#include <gtest/gtest.h>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QThread>

#include "ui/live/engine_bridge.h"

using namespace coreduel;
using coreduel::ui::EngineBridge;

namespace {

/// Runs the event loop until `done` or the deadline.
template <class Pred>
bool spinUntil(Pred done, int timeoutMs = 20000) {
    QElapsedTimer t;
    t.start();
    while (!done() && t.elapsed() < timeoutMs)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    return done();
}

Experiment tiny() {
    Experiment e;
    e.workload = "primes";
    e.params = {{"end", "50000"}, {"tasks", "20"}};
    e.models = {Model::Threads, Model::Processes};
    e.workerCounts = {2};
    return e;
}

}  // namespace

TEST(Bridge, SignalsArriveOnTheGuiThreadInOrder) {
    EngineBridge bridge;
    std::vector<std::string> log;
    std::size_t events = 0;
    bool finished = false;
    const auto guiThread = QThread::currentThread();
    bool offThread = false;
    auto check = [&] { offThread = offThread || QThread::currentThread() != guiThread; };
    QObject::connect(&bridge, &EngineBridge::experimentStarted, [&](quint64, int planned) {
        check();
        log.push_back("started " + std::to_string(planned));
    });
    QObject::connect(&bridge, &EngineBridge::runStarted, [&](quint64, int run, const RunConfig&) {
        check();
        log.push_back("run " + std::to_string(run));
    });
    QObject::connect(&bridge, &EngineBridge::taskEvents,
                     [&](quint64, int, const std::vector<TaskEvent>& e) { events += e.size(); });
    QObject::connect(&bridge, &EngineBridge::runFinished,
                     [&](quint64, int run, const RunResult& r) {
                         check();
                         log.push_back("done " + std::to_string(run) + (r.ok ? " ok" : " failed"));
                     });
    QObject::connect(&bridge, &EngineBridge::experimentFinished,
                     [&](quint64, const ExperimentResult& r) {
                         check();
                         log.push_back(r.allOk() ? "finished ok" : "finished with failures");
                         finished = true;
                     });
    bridge.start(tiny());
    ASSERT_TRUE(spinUntil([&] { return finished; }));
    EXPECT_FALSE(offThread);
    EXPECT_EQ(log, (std::vector<std::string>{"started 3", "run 0", "done 0 ok", "run 1",
                                             "done 1 ok", "run 2", "done 2 ok", "finished ok"}));
    EXPECT_EQ(events, 3u * 20u);  // every task of every run, in batches
    EXPECT_FALSE(bridge.running());
}

TEST(Bridge, AReplacedExperimentIsSilenced) {
    EngineBridge bridge;
    std::vector<quint64> ids;
    bool finished = false;
    QObject::connect(&bridge, &EngineBridge::runStarted,
                     [&](quint64 id, int, const RunConfig&) { ids.push_back(id); });
    QObject::connect(&bridge, &EngineBridge::taskEvents,
                     [&](quint64 id, int, const std::vector<TaskEvent>&) { ids.push_back(id); });
    QObject::connect(&bridge, &EngineBridge::experimentFinished,
                     [&](quint64, const ExperimentResult&) { finished = true; });
    Experiment slow;
    slow.workload = "sleep";
    slow.params = {{"tasks", "200"}, {"ms", "10"}};
    const auto first = bridge.start(slow);
    ASSERT_TRUE(spinUntil([&] { return !ids.empty(); }, 30000));
    QElapsedTimer t;
    t.start();
    const auto second = bridge.start(tiny());  // must not wait for the first to wind down
    // The first has ~2 s of sleeps left; a generous bound that a busy machine still meets.
    EXPECT_LT(t.elapsed(), 1000);
    ids.clear();
    ASSERT_TRUE(spinUntil([&] { return finished; }));
    EXPECT_NE(first, second);
    for (auto id : ids) EXPECT_EQ(id, second);
}

TEST(Bridge, InvalidExperimentsAreRefusedBeforeAnythingStarts) {
    EngineBridge bridge;
    Experiment bad;
    bad.workerCounts = {0};
    EXPECT_THROW(bridge.start(bad), InvalidArgument);
    EXPECT_FALSE(bridge.running());
}
