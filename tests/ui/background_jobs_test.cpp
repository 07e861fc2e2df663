// The one way background work reaches the GUI (BackgroundJobs): posts run on the GUI thread in
// order, an abandoned job is silenced, cancel only sets the stop flag, destroying the owner
// never waits for a thread, and the join check catches a blocking join on the GUI thread.

#include <gtest/gtest.h>

#include <QElapsedTimer>
#include <QThread>
#include <chrono>
#include <iostream>
#include <memory>

#include "tests/ui/ui_support.h"
#include "ui/live/background_jobs.h"
#include "ui/live/engine_bridge.h"
#include "ui/live/thread_join.h"

using namespace coreduel;
using namespace coreduel::ui;
using namespace std::chrono_literals;

namespace {
/// Waits (spinning the event loop) until every job thread of the process has been reaped.
bool allThreadsReaped(int timeoutMs = 30000) {
    return test::spinUntil(
        [] {
            BackgroundJobs::reapRetired();
            return BackgroundJobs::threadsRunning() == 0;
        },
        timeoutMs);
}
}  // namespace

TEST(BackgroundJobs, PostsRunOnTheGuiThreadInOrderAndDoneComesLast) {
    const int joinsBefore = blockingGuiJoins();
    BackgroundJobs jobs;
    std::vector<int> seen;
    bool offThread = false;
    QString error = QStringLiteral("not done");
    const quint64 id = jobs.start(
        [&offThread, &seen](JobContext& context) {
            for (int i = 0; i < 100; ++i) {
                context.post([i, &seen, &offThread] {
                    offThread = offThread || !onGuiThread();
                    seen.push_back(i);
                });
            }
        },
        [&](const QString& e) {
            EXPECT_EQ(seen.size(), 100u) << "Done after every post";
            error = e;
        });
    EXPECT_TRUE(jobs.running(id));
    ASSERT_TRUE(test::spinUntil([&] { return error != QStringLiteral("not done"); }));
    EXPECT_TRUE(error.isEmpty());
    EXPECT_FALSE(offThread);
    for (int i = 0; i < 100; ++i) EXPECT_EQ(seen[static_cast<std::size_t>(i)], i);
    EXPECT_FALSE(jobs.running(id));
    EXPECT_TRUE(allThreadsReaped());
    EXPECT_EQ(blockingGuiJoins(), joinsBefore);
}

TEST(BackgroundJobs, WhatTheWorkThrowsArrivesAsItsError) {
    BackgroundJobs jobs;
    QString error;
    bool done = false;
    jobs.start([](JobContext&) { throw std::runtime_error("pipe2: no more descriptors"); },
               [&](const QString& e) {
                   error = e;
                   done = true;
               });
    ASSERT_TRUE(test::spinUntil([&] { return done; }));
    EXPECT_EQ(error, QStringLiteral("pipe2: no more descriptors"));
}

TEST(BackgroundJobs, CancelSetsTheStopFlagAndTheEndStillArrives) {
    BackgroundJobs jobs;
    int posted = 0;
    bool done = false;
    const quint64 id = jobs.start(
        [&posted](JobContext& context) {
            while (!context.stopRequested()) std::this_thread::sleep_for(1ms);
            context.post([&posted] { ++posted; });  // "stopped after N points"
        },
        [&](const QString&) { done = true; });
    jobs.cancel(id);
    ASSERT_TRUE(test::spinUntil([&] { return done; }));
    EXPECT_EQ(posted, 1);
}

TEST(BackgroundJobs, AnAbandonedJobIsSilenced) {
    BackgroundJobs jobs;
    int posted = 0;
    bool done = false;
    const quint64 id = jobs.start(
        [&posted](JobContext& context) {
            while (!context.stopRequested()) std::this_thread::sleep_for(1ms);
            for (int i = 0; i < 10; ++i) context.post([&posted] { ++posted; });
        },
        [&](const QString&) { done = true; });
    jobs.abandon(id);
    EXPECT_FALSE(jobs.running(id));
    ASSERT_TRUE(allThreadsReaped());
    jobs.drain();
    EXPECT_EQ(posted, 0);
    EXPECT_FALSE(done);
}

TEST(BackgroundJobs, DestroyingTheOwnerNeverWaitsForAThread) {
    const int joinsBefore = blockingGuiJoins();
    auto jobs = std::make_unique<BackgroundJobs>();
    auto stopSeen = std::make_shared<std::atomic<bool>>(false);
    std::atomic<bool> started{false};
    jobs->start([&started, stopSeen](JobContext& context) {
        started = true;
        while (!context.stopRequested()) std::this_thread::sleep_for(1ms);
        stopSeen->store(true);
        std::this_thread::sleep_for(1500ms);  // a slow wind-down (a child being reaped)
    });
    ASSERT_TRUE(test::spinUntil([&] { return started.load(); }));
    QElapsedTimer t;
    t.start();
    jobs.reset();
    // The wind-down takes 1.5 s; a destructor that joined would take at least that long.
    EXPECT_LT(t.elapsed(), 1000) << "the destructor waited for the thread";
    EXPECT_TRUE(test::spinUntil([&] { return stopSeen->load(); }, 10000)) << "stop flag set";
    EXPECT_TRUE(allThreadsReaped());
    EXPECT_EQ(blockingGuiJoins(), joinsBefore);
}

TEST(ThreadJoin, ABlockingJoinOnTheGuiThreadIsCaught) {
    const bool fatal = blockingGuiJoinFatal();
    setBlockingGuiJoinFatal(false);
    const int before = blockingGuiJoins();
    std::atomic<bool> finished{false};
    std::thread quick([&] { finished = true; });
    test::spinUntil([&] { return finished.load(); }, 10000);
    joinThread(quick, /*finished=*/true);  // reaping a finished thread is fine
    EXPECT_EQ(blockingGuiJoins(), before);
    std::thread slow([] { std::this_thread::sleep_for(50ms); });
    joinThread(slow, /*finished=*/false);  // the GUI thread waits for a running thread
    EXPECT_EQ(blockingGuiJoins(), before + 1);
    std::thread elsewhere([&] {
        std::thread inner([] { std::this_thread::sleep_for(10ms); });
        joinThread(inner, false);  // off the GUI thread: allowed
    });
    elsewhere.join();
    EXPECT_EQ(blockingGuiJoins(), before + 1);
    setBlockingGuiJoinFatal(fatal);
}

TEST(BackgroundJobs, DestroyingTheEngineBridgeMidTaskDoesNotWaitForTheTask) {
    const int joinsBefore = blockingGuiJoins();
    auto bridge = std::make_unique<EngineBridge>();
    bool started = false;
    QObject::connect(bridge.get(), &EngineBridge::runStarted,
                     [&](quint64, int, const RunConfig&) { started = true; });
    Experiment e;
    e.workload = "primes";
    e.params = {{"end", "20000000"}, {"tasks", "2"}};  // seconds of work if not cancelled
    e.models = {Model::Threads};
    e.workerCounts = {2};
    bridge->start(e);
    ASSERT_TRUE(test::spinUntil([&] { return started; }));
    QElapsedTimer t;
    t.start();
    bridge.reset();  // cancels; the engine thread is reaped later, not joined here
    EXPECT_LT(t.elapsed(), 1500) << "the bridge's destructor waited for the engine";
    t.restart();
    EXPECT_TRUE(allThreadsReaped(120000));
    std::cout << "[ measured ] the engine wound down " << t.elapsed()
              << " ms after the bridge went\n";
    EXPECT_EQ(blockingGuiJoins(), joinsBefore);
}
