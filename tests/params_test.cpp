#include <gtest/gtest.h>

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

TEST(Experiment, PlanPutsTheBaselineFirstAndRepeats) {
    Experiment e;
    e.models = {Model::Processes, Model::Threads};
    e.workerCounts = {2, 1};
    e.repetitions = 2;
    const auto plan = planRuns(e);
    ASSERT_EQ(plan.size(), 2u + 2 * 2 * 2);
    EXPECT_EQ(plan[0].model, Model::Sequential);
    EXPECT_EQ(plan[1].model, Model::Sequential);
    EXPECT_EQ(plan[2].workers, 1u);
    EXPECT_EQ(plan.back().workers, 2u);
}

TEST(Chunking, PythonsDefaultRule) {
    EXPECT_EQ(defaultChunksize(100, 2), 13u);  // ceil(100 / 8)
    EXPECT_EQ(defaultChunksize(8, 2), 1u);
    EXPECT_EQ(defaultChunksize(1, 4), 1u);
    EXPECT_EQ(defaultChunksize(1000, 4), 63u);
}
