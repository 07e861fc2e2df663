// The bar charts group runs by configuration, model by model with rising worker counts,
// whatever order they ran in: runs are shuffled, and bars in run order split one model's
// worker counts across the axis (its label then appears twice).

#include <gtest/gtest.h>

#include "ui/plots/run_groups.h"

using namespace coreduel;
using namespace coreduel::ui;

namespace {

RunResult run(Model m, unsigned workers, unsigned repetition) {
    RunResult r;
    r.config.model = m;
    r.config.workers = workers;
    r.config.repetition = repetition;
    r.ok = true;
    return r;
}

}  // namespace

TEST(RunGroups, BarsGoModelByModelNotInTheShuffledRunOrder) {
    const std::vector<RunResult> runs = {
        run(Model::Sequential, 1, 1), run(Model::Threads, 4, 1),    run(Model::Processes, 4, 1),
        run(Model::Threads, 1, 1),    run(Model::Processes, 1, 1),  run(Model::Threads, 4, 2),
        run(Model::Sequential, 1, 2), run(Model::GilThreads, 2, 1), run(Model::Threads, 1, 2),
    };
    const auto groups = groupRuns(runs);
    ASSERT_EQ(groups.size(), 6u);
    const std::vector<std::pair<Model, unsigned>> expected = {
        {Model::Sequential, 1}, {Model::Threads, 1},   {Model::Threads, 4},
        {Model::GilThreads, 2}, {Model::Processes, 1}, {Model::Processes, 4}};
    for (std::size_t i = 0; i < groups.size(); ++i) {
        EXPECT_EQ(groups[i].config.model, expected[i].first) << i;
        EXPECT_EQ(groups[i].config.workers, expected[i].second) << i;
    }
    EXPECT_EQ(groups.front().config.model, Model::Sequential);
    EXPECT_EQ(groups.front().runs.size(), 2u);
    // One model's worker counts are neighbours: threads x1 right before threads x4.
    std::size_t t1 = 0, t4 = 0;
    for (std::size_t i = 0; i < groups.size(); ++i) {
        if (groups[i].config.model == Model::Threads && groups[i].config.workers == 1) t1 = i;
        if (groups[i].config.model == Model::Threads && groups[i].config.workers == 4) t4 = i;
    }
    EXPECT_EQ(t4, t1 + 1);
    EXPECT_EQ(groups[t4].runs.size(), 2u);
}
