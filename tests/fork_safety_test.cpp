// The fork start method forks the engine itself while other threads of it are busy. The child
// must not take a lock one of those threads held at the moment of the fork. This forks many
// times while threads allocate, free and take a mutex non-stop; a deadlock would hang the
// test (ctest's timeout turns that into a failure).

#include <gtest/gtest.h>

#include <mutex>
#include <thread>

#include "test_support.h"

using namespace coreduel;

TEST(ForkSafety, ForkingWhileOtherThreadsAllocateAndLock) {
    if (coreduel::test::sanitizerBuild())
        GTEST_SKIP() << "the sanitizer runtime's allocator is not fork-safe in GCC 12; covered by "
                        "the plain build";
    std::atomic<bool> stop{false};
    std::mutex shared;
    std::atomic<std::uint64_t> spins{0};
    std::vector<std::jthread> busy;
    for (int t = 0; t < 3; ++t) {
        busy.emplace_back([&] {
            while (!stop.load()) {
                std::vector<int> v(1000 + spins % 5000);  // malloc/free, several sizes
                std::lock_guard lk(shared);
                v[0] = 1;
                spins.fetch_add(1);
            }
        });
    }
    Experiment e;
    e.workload = "factorial";  // GMP allocates in the child
    e.params = {{"values", "300,600,900"}};
    e.models = {Model::Processes};
    e.workerCounts = {3};
    e.startMethod = StartMethod::Fork;
    e.chunksizes = {1};
    e.repetitions = 40;  // 120 forks
    const auto result = coreduel::test::runExperiment(e);
    stop.store(true);
    busy.clear();
    EXPECT_TRUE(result.allOk());
    EXPECT_EQ(result.runs.size(), 80u);  // 40 sequential + 40 forking runs
    EXPECT_GT(spins.load(), 1000u) << "the other threads were not actually busy";
    EXPECT_TRUE(coreduel::test::childPids().empty());
}
