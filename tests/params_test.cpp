#include <gtest/gtest.h>

#include <set>
#include <tuple>

#include "core/run/experiment.h"
#include "core/workloads/workload.h"

using namespace coreduel;

namespace {

std::string errorOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const InvalidArgument& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST(Params, DefaultsAreFilledIn) {
    auto w = createWorkload("primes", {});
    EXPECT_EQ(w->params().getInt("start"), 0);
    EXPECT_EQ(w->params().getInt("end"), 6000000);
    EXPECT_EQ(w->taskCount(), 256u);
}

TEST(Params, UnknownParameterListsTheAllowedOnes) {
    const auto msg = errorOf([] { createWorkload("primes", {{"limit", "5"}}); });
    EXPECT_NE(msg.find("unknown parameter 'limit'"), std::string::npos) << msg;
    EXPECT_NE(msg.find("start, end, tasks"), std::string::npos) << msg;
}

TEST(Params, OutOfRangeAndMalformedValuesAreRefused) {
    EXPECT_NE(errorOf([] {
                  createWorkload("sleep", {{"ms", "-5"}});
              }).find("must be from 0 to 60000 ms"),
              std::string::npos);
    EXPECT_NE(errorOf([] {
                  createWorkload("primes", {{"tasks", "abc"}});
              }).find("must be an integer"),
              std::string::npos);
    EXPECT_NE(errorOf([] {
                  createWorkload("primes", {{"tasks", "12x"}});
              }).find("got '12x'"),
              std::string::npos);
    EXPECT_NE(errorOf([] {
                  createWorkload("factorial", {{"values", "10,,20"}});
              }).find("list of integers"),
              std::string::npos);
    EXPECT_NE(errorOf([] {
                  createWorkload("primes", {{"start", "10"}, {"end", "5"}});
              }).find("greater"),
              std::string::npos);
}

TEST(Params, UnknownWorkloadListsTheAllowedOnes) {
    const auto msg = errorOf([] { createWorkload("fibonacci", {}); });
    EXPECT_NE(msg.find("unknown workload 'fibonacci'"), std::string::npos);
    EXPECT_NE(msg.find("primes, mandelbrot, factorial, square, image, sleep, fileio, memory"),
              std::string::npos)
        << msg;
}

TEST(Experiment, AbsurdWorkerCountsAreRefused) {
    EXPECT_NE(errorOf([] { parseWorkerCounts("0"); }).find("out of range"), std::string::npos);
    EXPECT_NE(errorOf([] { parseWorkerCounts("100000"); }).find("allowed: 1 to 512"),
              std::string::npos);
    EXPECT_NE(errorOf([] { parseWorkerCounts("-3"); }).find("bad worker count"), std::string::npos);
    EXPECT_NE(errorOf([] { parseWorkerCounts("two"); }).find("bad worker count 'two'"),
              std::string::npos);
    EXPECT_NE(errorOf([] { parseWorkerCounts("4-2"); }).find("backwards"), std::string::npos);
    Experiment e;
    e.workerCounts = {0};
    EXPECT_NE(errorOf([&] { validate(e); }).find("out of range"), std::string::npos);
}

TEST(Experiment, WorkerListsAndRangesParse) {
    EXPECT_EQ(parseWorkerCounts("1,2,4"), (std::vector<unsigned>{1, 2, 4}));
    EXPECT_EQ(parseWorkerCounts("1-3,8"), (std::vector<unsigned>{1, 2, 3, 8}));
    EXPECT_GE(parseWorkerCounts("cores").at(0), 1u);
}

TEST(Experiment, UnknownModelsAndStartMethodsAreRefused) {
    EXPECT_NE(errorOf([] { parseModels("threads,fibers"); }).find("unknown model 'fibers'"),
              std::string::npos);
    EXPECT_NE(errorOf([] { parseStartMethod("clone"); }).find("spawn, forkserver, fork"),
              std::string::npos);
}

TEST(Experiment, PlanWarmsTheBaselineUpAndInterleavesTheRepetitions) {
    Experiment e;
    e.models = {Model::Processes, Model::Threads};
    e.workerCounts = {2, 1};
    e.repetitions = 3;
    e.seed = 7;
    const auto plan = planRuns(e);
    // One warm-up of the baseline, then 3 rounds of the 5 configurations.
    ASSERT_EQ(plan.size(), 1u + 3 * 5);
    EXPECT_EQ(plan[0].model, Model::Sequential);
    EXPECT_TRUE(plan[0].warmup);
    for (unsigned round = 0; round < 3; ++round) {
        std::set<std::tuple<int, unsigned>> seen;
        for (unsigned i = 0; i < 5; ++i) {
            const auto& c = plan[1 + round * 5 + i];
            EXPECT_FALSE(c.warmup);
            EXPECT_EQ(c.repetition, round);
            seen.emplace(static_cast<int>(c.model), c.workers);
        }
        EXPECT_EQ(seen.size(), 5u) << "round " << round << " runs every configuration once";
    }
    // The seed decides the order, and the same seed gives the same order.
    auto orderOf = [&](std::uint64_t seed) {
        e.seed = seed;
        std::vector<std::tuple<int, unsigned>> o;
        for (const auto& c : planRuns(e)) o.emplace_back(static_cast<int>(c.model), c.workers);
        return o;
    };
    EXPECT_EQ(orderOf(7), orderOf(7));
    bool differs = false;
    for (std::uint64_t seed = 8; seed < 20 && !differs; ++seed)
        differs = orderOf(seed) != orderOf(7);
    EXPECT_TRUE(differs);
    // Warm-ups per configuration come before any measured run.
    e.warmups = 2;
    const auto warm = planRuns(e);
    ASSERT_EQ(warm.size(), 2u * 5 + 3 * 5);
    for (std::size_t i = 0; i < warm.size(); ++i) EXPECT_EQ(warm[i].warmup, i < 10) << i;
}

TEST(Chunking, PythonsDefaultRule) {
    EXPECT_EQ(defaultChunksize(100, 2), 13u);  // ceil(100 / 8)
    EXPECT_EQ(defaultChunksize(8, 2), 1u);
    EXPECT_EQ(defaultChunksize(1, 4), 1u);
    EXPECT_EQ(defaultChunksize(1000, 4), 63u);
}
