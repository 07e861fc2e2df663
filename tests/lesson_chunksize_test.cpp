// A lesson that compares chunk sizes names the one it means: in placeholders
// ({speedup:processes:2:134}) and predictions ("chunksize": 134). Without it, the first
// configuration with that model and worker count was taken, whichever chunk size it had.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/lessons/lesson.h"
#include "core/report/schema.h"
#include "core/report/table_report.h"
#include "core/util/errors.h"
#include "test_support.h"

using namespace coreduel;

namespace {

/// Sequential 1.0 s; 2 processes: 0.8 s with chunks of 134, 0.5 s with chunks of 4.
ExperimentResult twoChunkSizes() {
    ExperimentResult r;
    r.experiment.models = {Model::Processes};
    r.environment.logicalCpus = r.environment.allowedCpus = 2;
    auto add = [&](Model m, unsigned workers, std::size_t chunksize, double wall) {
        RunResult run;
        run.config.model = m;
        run.config.workers = workers;
        run.config.chunksize = chunksize;
        run.ok = true;
        run.wallSeconds = wall;
        run.speedup = 1.0 / wall;
        r.runs.push_back(run);
    };
    add(Model::Sequential, 1, 1, 1.0);
    add(Model::Processes, 2, 134, 0.8);
    add(Model::Processes, 2, 4, 0.5);
    r.analysis = analyze(r);
    return r;
}

}  // namespace

TEST(LessonChunksize, APlaceholderTakesTheChunkSizeItNames) {
    const auto r = twoChunkSizes();
    EXPECT_EQ(fillExplanation("{speedup:processes:2:134}x", r), "1.25x");
    EXPECT_EQ(fillExplanation("{speedup:processes:2:4}x", r), "2.00x");
    EXPECT_EQ(fillExplanation("{wall:processes:2:4} s", r), "0.50 s");
    EXPECT_THROW(fillExplanation("{speedup:processes:2:7}", r), InvalidArgument)
        << "a chunk size that was not measured is an error, not another chunk size's number";
}

TEST(LessonChunksize, APredictionIsComparedWithItsChunkSize) {
    const auto r = twoChunkSizes();
    Prediction p;
    p.model = Model::Processes;
    p.workers = "2";
    p.chunksize = 4;
    ASSERT_TRUE(predictionValue(p, r).has_value());
    EXPECT_DOUBLE_EQ(*predictionValue(p, r), 2.0);
    EXPECT_NE(comparePrediction(p, 1.9, r).find("measured 2.00x"), std::string::npos)
        << comparePrediction(p, 1.9, r);
    p.chunksize = 134;
    EXPECT_DOUBLE_EQ(*predictionValue(p, r), 1.25);
}

TEST(LessonChunksize, APredictionsChunkSizeIsReadAndChecked) {
    const auto dir = std::filesystem::temp_directory_path() / "coreduel-lesson-chunksize";
    std::filesystem::create_directories(dir);
    const auto write = [&](const std::string& chunksize) {
        const auto path = (dir / "l.json").string();
        std::ofstream(path) << R"({"schema": "coreduel.lesson/1", "title": "t", "claim": "c",
            "question": "q", "chart": "speedup", "explanation": "e",
            "predictions": [{"prompt": "p", "model": "processes", "workers": "2", "chunksize": )"
                            << chunksize << R"(}],
            "experiment": {"schema": "coreduel.experiment/1", "workload": "primes",
                           "models": ["processes"], "workers": [2], "chunksize": [134, 4]}})";
        return path;
    };
    const Lesson l = loadLessonFile(write("134"));
    ASSERT_EQ(l.predictions.size(), 1u);
    EXPECT_EQ(l.predictions.front().chunksize, std::optional<std::size_t>(134));
    EXPECT_THROW(loadLessonFile(write("0")), FileFormatError);
    EXPECT_THROW(loadLessonFile(write("\"big\"")), FileFormatError);
    std::filesystem::remove_all(dir);
}

// The load-balancing lesson compares 3 big chunks with small ones, and says which is which.
TEST(LessonChunksize, TheLoadBalancingLessonNamesBothChunkSizes) {
    const Lesson found = findLesson("load-balancing");
    const Lesson* l = &found;
    const auto& cs = l->parts.front().experiment.chunksizes;
    ASSERT_EQ(cs.size(), 2u);
    EXPECT_EQ(l->parts.front().experiment.schedule, Schedule::Dynamic) << "as Pool.map hands them";
    // 400 rows: an odd number of big chunks, so the set's symmetry cannot even out the halves.
    const auto rows = std::stoul(l->parts.front().experiment.params.at("height"));
    EXPECT_EQ((rows + cs.front() - 1) / cs.front() % 2, 1u);
    ASSERT_EQ(l->predictions.size(), 1u);
    EXPECT_EQ(l->predictions.front().chunksize, std::optional<std::size_t>(cs.front()));
}

// The verdict never pools chunk sizes into one number that no configuration produced.
TEST(LessonChunksize, TheVerdictNamesTheBestChunkSizeAndTheOthers) {
    const auto verdict = formatVerdict(twoChunkSizes());
    EXPECT_NE(verdict.find("processes with 2 workers, chunksize 4: 2.00x faster than sequential"),
              std::string::npos)
        << verdict;
    EXPECT_NE(verdict.find("(chunksize 134: 1.25x)"), std::string::npos) << verdict;
}
