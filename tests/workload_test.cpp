// Each workload's results are right on their own terms (checked against known values), before
// any comparison between execution models.

#include <gtest/gtest.h>

#include <filesystem>

#include "core/workloads/workload.h"

using namespace coreduel;

namespace {

std::vector<std::vector<std::byte>> runAll(Workload& w) {
    ExecContext ctx;
    std::vector<std::vector<std::byte>> results(w.taskCount());
    w.prepare();
    for (std::size_t i = 0; i < w.taskCount(); ++i) {
        // The process path: encode, decode, compute. Must match the in-process path.
        ByteWriter task;
        w.encodeTask(i, task);
        ByteReader in(task.buffer());
        ByteWriter viaBytes(results[i]);
        w.compute(in, viaBytes, ctx);
        std::vector<std::byte> local;
        ByteWriter localOut(local);
        w.computeLocal(i, localOut, ctx);
        EXPECT_EQ(local, results[i]) << w.name() << " task " << i;
    }
    return results;
}

}  // namespace

TEST(Workloads, PrimesCountsKnownValues) {
    auto w = createWorkload("primes", {{"end", "100000"}, {"tasks", "7"}});
    EXPECT_EQ(w->summarize(runAll(*w)), "9592 primes in [0, 100000)");
    auto small = createWorkload("primes", {{"start", "0"}, {"end", "1000"}, {"tasks", "1000"}});
    EXPECT_EQ(small->summarize(runAll(*small)), "168 primes in [0, 1000)");
}

TEST(Workloads, FactorialIsExact) {
    // Digit counts and digit sums from CPython: len(str(math.factorial(n))), sum(map(int, ...)).
    auto w = createWorkload("factorial", {{"values", "10,100,1000,10000,20000"}});
    EXPECT_EQ(w->summarize(runAll(*w)),
              "10!: 7 digits, digit sum 27; 100!: 158 digits, digit sum 648; "
              "1000!: 2568 digits, digit sum 10539; 10000!: 35660 digits, digit sum 149346; "
              "20000!: 77338 digits, digit sum 325494");
}

TEST(Workloads, SquareSumMatchesTheClosedForm) {
    auto w = createWorkload("square", {{"count", "1000"}});
    const std::uint64_t n = 1000;
    const auto expected = (n - 1) * n * (2 * n - 1) / 6;
    EXPECT_EQ(w->summarize(runAll(*w)),
              "sum of x*x for x in [0, 1000) = " + std::to_string(expected) + " (mod 2^64)");
}

TEST(Workloads, MandelbrotRowsThroughTheSetHitTheLimit) {
    auto w = createWorkload("mandelbrot", {{"width", "64"}, {"height", "9"}, {"max_iter", "50"}});
    const auto results = runAll(*w);
    // The middle row (y ~ 0) crosses the main cardioid: at least some pixels hit max_iter.
    ByteReader mid(results[4]);
    const auto total = mid.u64();
    EXPECT_GT(total, 64u * 10);
    ByteReader top(results[0]);
    EXPECT_LT(top.u64(), total);  // uneven tasks
}

TEST(Workloads, ImageTurnsGeneratedPixelsGray) {
    auto w = createWorkload("image",
                            {{"count", "3"}, {"width", "40"}, {"height", "30"}, {"radius", "2"}});
    const auto results = runAll(*w);
    ASSERT_EQ(results.size(), 3u);
    ByteReader in(results[0]);
    EXPECT_EQ(in.u32(), 40u);
    EXPECT_EQ(in.u32(), 30u);
    in.u64();
    EXPECT_EQ(in.bytes().size(), 40u * 30u);  // one gray byte per pixel comes back
    w->cleanup();
}

TEST(Workloads, FileIoRemovesItsTemporaryFolder) {
    const auto tmp = std::filesystem::temp_directory_path() / "coreduel-test-fileio";
    std::filesystem::create_directories(tmp);
    {
        auto w = createWorkload("fileio", {{"tasks", "4"}, {"kib", "8"}, {"dir", tmp.string()}});
        runAll(*w);
        EXPECT_FALSE(std::filesystem::is_empty(tmp));  // the private folder exists during the run
        w->cleanup();
        EXPECT_TRUE(std::filesystem::is_empty(tmp));
    }
    std::filesystem::remove_all(tmp);
}

TEST(Workloads, FaultCrashModesRefuseToRunInProcess) {
    auto w = createWorkload("fault",
                            {{"mode", "segv"}, {"tasks", "2"}, {"task", "0"}, {"work_ms", "0"}});
    ExecContext ctx;
    std::vector<std::byte> out;
    ByteWriter writer(out);
    EXPECT_THROW(w->computeLocal(0, writer, ctx), std::runtime_error);
}

TEST(Workloads, EveryCataloguedWorkloadBuildsWithDefaults) {
    for (const auto& info : workloadCatalog()) {
        // User code (a kernel, a Python file) is needed: native_test, python_function_test.
        if (info.userCode) continue;
        auto w = createWorkload(info.name, {});
        EXPECT_GT(w->taskCount(), 0u) << info.name;
        EXPECT_FALSE(info.description.empty());
    }
}
