// Load that lasts, in the window: many short experiments run one after another through the
// window (as a script or a student clicking Run would), some stopped half-way, leave no file
// descriptors, threads or children behind. COREDUEL_SOAK=N sets the count (the long soak).

#include <gtest/gtest.h>

#include <QCoreApplication>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "tests/test_support.h"
#include "tests/ui/ui_support.h"
#include "ui/live/background_jobs.h"
#include "ui/window/main_window.h"

using namespace coreduel;
using namespace coreduel::ui;

namespace {

long openFds() {
    std::error_code ec;
    long n = 0;
    for (std::filesystem::directory_iterator it("/proc/self/fd", ec), end; !ec && it != end;
         it.increment(ec))
        ++n;
    return n;
}

}  // namespace

TEST(WindowSoak, ManyRunsInTheWindowLeaveNothingBehind) {
    std::size_t count = 24;
    if (const char* n = std::getenv("COREDUEL_SOAK"); n != nullptr && std::atol(n) > 0)
        count = static_cast<std::size_t>(std::atol(n));
    MainWindow::Options quiet;
    quiet.persistSettings = false;
    MainWindow w(quiet);
    w.resize(1366, 768);
    w.show();
    bool done = false;
    QObject::connect(&w, &MainWindow::experimentDone, [&](bool) { done = true; });
    const std::size_t warmup = std::max<std::size_t>(3, count / 10);
    long fdsBefore = 0;
    int threadsBefore = 0;
    for (std::size_t i = 0; i < count; ++i) {
        if (i == warmup) {
            ASSERT_TRUE(test::spinUntil(
                [] { return test::childPids().empty() && BackgroundJobs::threadsRunning() == 0; },
                20000));
            fdsBefore = openFds();
            threadsBefore = BackgroundJobs::threadsRunning();
        }
        Experiment e;
        e.workload = "square";
        e.params = {{"count", "2000"}};
        e.models = {Model::Threads, Model::Processes};
        e.workerCounts = {2};
        e.startMethod = i % 2 == 0 ? StartMethod::Spawn : StartMethod::ForkServer;
        e.sampleHz = 50;
        done = false;
        ASSERT_TRUE(w.runExperiment(e)) << w.statusText().toStdString();
        if (i % 4 == 3) w.stop();  // the stopped path too
        ASSERT_TRUE(test::spinUntil([&] { return done; }, 60000)) << "experiment " << i;
    }
    ASSERT_TRUE(test::spinUntil(
        [] { return test::childPids().empty() && BackgroundJobs::threadsRunning() == 0; }, 20000))
        << "a worker, zombie or job thread is left";
    const long fdsAfter = openFds();
    std::cout << "[ soak ] " << count << " window runs: " << fdsBefore << " fds after " << warmup
              << ", " << fdsAfter << " at the end\n";
    EXPECT_LE(fdsAfter, fdsBefore);
    EXPECT_LE(BackgroundJobs::threadsRunning(), threadsBefore);
}
