// The interpreter axis with real interpreters: Debian's python3 (a GIL build) and a
// free-threaded CPython, in one experiment. Each run records sys._is_gil_enabled() inside the
// run; PYTHON_GIL=1 (a spec's :gil=1) turns the free-threaded build's GIL back on and the run
// says so; every checksum is verified across the interpreters; a session of both reads back
// with the same runs and interpreters. (Suite PythonAxis: left out of the sanitizer stages
// with the other real-interpreter runs; see scripts/bootstrap.sh.)

#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>

#include "core/run/tee_sink.h"
#include "core/session/session.h"
#include "test_support.h"
#include "tests/helpers/free_threaded.h"

using namespace coreduel;
using coreduel::test::RecordingSink;
using coreduel::test::runExperiment;

namespace {

/// A small primes job on py:sequential and py:threads x2 under `python` (a list).
Experiment smallJob(const std::string& python) {
    Experiment e;
    e.workload = "primes";
    e.params = {{"end", "200000"}, {"tasks", "16"}};
    e.models = {Model::PyThreads};
    e.workerCounts = {2};
    e.repetitions = 1;
    e.sampleHz = 0;
    e.python = python;
    return e;
}

std::string gilBuild() {
    return ::access("/usr/bin/python3", X_OK) == 0 ? "/usr/bin/python3" : "python3";
}

}  // namespace

TEST(PythonAxis, TheGilIsRecordedAsMeasuredInsideEachRun) {
    COREDUEL_FREE_THREADED_OR_SKIP(ft);
    const std::string forced = ft + ":gil=1";
    const ExperimentResult r = runExperiment(smallJob(gilBuild() + "," + ft + "," + forced));
    ASSERT_TRUE(r.allOk()) << "every checksum is verified against the native sequential run";
    std::size_t seen[3] = {0, 0, 0};
    for (const auto& run : r.runs) {
        if (!isPython(run.config.model)) continue;
        ASSERT_TRUE(run.gilEnabled.has_value()) << run.config.python;
        if (run.config.python == gilBuild()) {
            ++seen[0];
            EXPECT_FALSE(run.freeThreadedBuild);
            EXPECT_TRUE(*run.gilEnabled);
        } else if (run.config.python == ft) {
            ++seen[1];
            EXPECT_TRUE(run.freeThreadedBuild);
            EXPECT_FALSE(*run.gilEnabled) << "the free-threaded build ran with its GIL on";
            EXPECT_NE(run.interpreterLabel.find("t (no GIL)"), std::string::npos)
                << run.interpreterLabel;
        } else {
            ASSERT_EQ(run.config.python, forced);
            ++seen[2];
            EXPECT_TRUE(run.freeThreadedBuild);
            EXPECT_TRUE(*run.gilEnabled) << "PYTHON_GIL=1 did not turn the GIL on";
            EXPECT_NE(run.interpreterLabel.find("(PYTHON_GIL=1)"), std::string::npos)
                << run.interpreterLabel;
        }
    }
    EXPECT_EQ(seen[0], 2u);  // py:sequential and py:threads under each
    EXPECT_EQ(seen[1], 2u);
    EXPECT_EQ(seen[2], 2u);
    // The model-vs-real comparison and the verdict know which had a GIL.
    const ConfigSummary* forcedThreads = r.analysis.find(Model::PyThreads, 2, 0, forced);
    ASSERT_NE(forcedThreads, nullptr);
    EXPECT_EQ(forcedThreads->gilEnabled, std::optional<bool>(true));
    EXPECT_TRUE(r.analysis.pythonWithoutGil);
    ASSERT_TRUE(r.analysis.freeThreadedCost.has_value());
    EXPECT_EQ(r.analysis.freeThreadedCost->freeThreaded, ft);
    EXPECT_EQ(r.analysis.freeThreadedCost->withGil, gilBuild());
}

TEST(PythonAxis, ASessionWithTwoInterpretersReopensWithTheSameRuns) {
    COREDUEL_FREE_THREADED_OR_SKIP(ft);
    const std::string path = (std::filesystem::temp_directory_path() /
                              ("coreduel-axis-" + std::to_string(::getpid()) + ".coreduel"))
                                 .string();
    ExperimentResult result;
    {
        SessionRecorder recorder(path);
        RecordingSink seen;
        TeeSink tee({&seen, &recorder});
        result = runExperiment(smallJob(gilBuild() + "," + ft), &tee);
        recorder.close();
    }
    ASSERT_TRUE(result.allOk());
    const Session s = loadSession(path);
    ASSERT_TRUE(s.complete) << s.truncation;
    const ExperimentResult& back = s.parts.at(0).result;
    EXPECT_EQ(back.experiment.python, gilBuild() + "," + ft);
    ASSERT_EQ(back.runs.size(), result.runs.size());
    for (std::size_t i = 0; i < result.runs.size(); ++i) {
        EXPECT_EQ(back.runs[i].config.model, result.runs[i].config.model);
        EXPECT_EQ(back.runs[i].config.python, result.runs[i].config.python);
        EXPECT_EQ(back.runs[i].interpreterLabel, result.runs[i].interpreterLabel);
        EXPECT_EQ(back.runs[i].gilEnabled, result.runs[i].gilEnabled);
        EXPECT_EQ(back.runs[i].checksum, result.runs[i].checksum);
    }
    EXPECT_EQ(back.analysis.interpreters(), (std::vector<std::string>{gilBuild(), ft}));
    // The per-run records carry the interpreter too (what a session cut short rebuilds from).
    for (const auto& [index, run] : s.parts.at(0).runs) {
        if (isPython(run.config.model)) {
            EXPECT_FALSE(run.config.python.empty()) << index;
        }
    }
    std::filesystem::remove(path);
}
