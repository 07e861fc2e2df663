// Lessons are data: every file loads and validates, every lesson runs at its quick size and
// its explanation is filled from the numbers just measured, with no placeholder left.

#include <gtest/gtest.h>

#include "core/exec/python_executor.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>

#include "core/lessons/lesson.h"
#include "core/report/schema.h"
#include "core/run/analysis.h"
#include "core/workloads/params.h"
#include "test_support.h"

using namespace coreduel;

TEST(Lessons, EveryLessonFileLoadsAndValidates) {
    const std::vector<Lesson> lessons = loadLessons();
    ASSERT_GE(lessons.size(), 6u);
    for (const Lesson& l : lessons) {
        EXPECT_FALSE(l.title.empty()) << l.name;
        EXPECT_FALSE(l.claim.empty()) << l.name;
        EXPECT_FALSE(l.question.empty()) << l.name;
        EXPECT_NE(l.explanation.find('{'), std::string::npos) << l.name << ": quotes no number";
    }
    EXPECT_EQ(findLesson("gil").name, "01-gil");
    EXPECT_THROW(findLesson("no-such-lesson"), InvalidArgument);
}

// One test per lesson (each well inside the per-test timeout on a busy machine, and ctest -j
// runs them side by side); the list is checked against the lesson files below.
const std::vector<std::string> kLessonNames = {
    "01-gil",           "02-io-bound",    "03-chunksize",       "04-amdahl",
    "05-start-methods", "06-isolation",   "07-load-balancing",  "08-memory",
    "09-data-parallel", "10-real-python", "11-message-passing", "12-gil-removed",
    "13-convoy"};

TEST(Lessons, EveryLessonFileHasAQuickRunTest) {
    std::vector<std::string> names;
    for (const Lesson& l : loadLessons()) names.push_back(l.name);
    EXPECT_EQ(names, kLessonNames) << "add the new lesson to kLessonNames";
}

class EveryLesson : public ::testing::TestWithParam<std::string> {};

INSTANTIATE_TEST_SUITE_P(Lessons, EveryLesson, ::testing::ValuesIn(kLessonNames),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                             std::string name = info.param;
                             std::replace(name.begin(), name.end(), '-', '_');
                             return name;
                         });

TEST_P(EveryLesson, RunsQuickAndExplainsItsOwnNumbers) {
    {
        const Lesson l = findLesson(GetParam());
        SCOPED_TRACE(l.name);
        const bool forks = std::any_of(l.parts.begin(), l.parts.end(), [](const LessonPart& p) {
            return p.experiment.startMethod == StartMethod::Fork;
        });
        // GCC 12's sanitizer allocator is not fork-safe (see fork_safety_test.cpp).
        if (forks && test::sanitizerBuild()) GTEST_SKIP() << "forks: not under the sanitizer";
        std::vector<ExperimentResult> parts;
        bool noPython = false;
        for (std::size_t p = 0; p < l.parts.size(); ++p) {
            if (!l.parts[p].python.empty()) {
                if (pythonExecutable().empty()) {
                    noPython = true;
                    parts.emplace_back();
                    continue;
                }
                parts.push_back(runPythonPart(l, p, true));
                ASSERT_TRUE(parts.back().allOk()) << parts.back().runs.front().error;
                continue;
            }
            // One repetition: this test checks the words and what was measured, not the
            // numbers (the CLI's quick size repeats timings for the evidence rules).
            Experiment e = lessonExperiment(l, true, p);
            e.repetitions = 1;
            parts.push_back(test::runExperiment(e));
            ASSERT_TRUE(parts.back().allOk());
        }
        // As the window and the CLI decide it: a runtime the lesson wanted (python3, Open
        // MPI) was missing, so its runs were left out and the lesson explains itself without.
        noPython = noPython || lessonRanWithoutPython(l, parts);
        const std::string text =
            fillExplanation(noPython ? l.explanationWithoutPython : l.explanation, parts);
        EXPECT_EQ(text.find('{'), std::string::npos) << text;
        EXPECT_EQ(text.find('}'), std::string::npos) << text;
        // Every expectation reads a configuration the quick size measures (whether it held
        // depends on how busy the machine is, so that is not asserted here).
        for (const std::string& failure : explainOutcome(l, parts, noPython).failures)
            EXPECT_EQ(failure.find("not measured"), std::string::npos) << failure;
        // Each prediction names a configuration that was measured.
        for (const Prediction& p : l.predictions) {
            if (noPython && (isPython(p.model) || p.model == Model::Mpi)) continue;
            EXPECT_TRUE(lessonValue(parts.front(), "speedup", p.model, p.workers).has_value())
                << p.prompt;
        }
    }
}

TEST(Lessons, IsolationLosesUpdatesWithoutALockAndNeverWithOne) {
    const Lesson l = findLesson("isolation");
    ASSERT_EQ(l.parts.size(), 3u);
    auto summaries = [](const ExperimentResult& r) {
        std::map<Model, std::string> out;
        for (const RunResult& run : r.runs) {
            EXPECT_TRUE(run.ok) << run.error;
            out[run.config.model] = run.summary;
        }
        return out;
    };
    // Two threads racing on one counter lose updates; how many depends on the scheduler, so
    // run it until they do (bounded: a 2-core machine loses millions in the first run).
    bool lost = false;
    for (int attempt = 0; attempt < 10 && !lost; ++attempt) {
        const auto s = summaries(test::runExperiment(lessonExperiment(l, true, 0)));
        // Real threads lose updates when they run at once; gil-threads when a forced switch
        // falls between the read and the write, which happens even on one busy core.
        lost = s.at(Model::Threads).find("updates lost") != std::string::npos ||
               s.at(Model::GilThreads).find("updates lost") != std::string::npos;
        EXPECT_NE(s.at(Model::Processes).find("its own copy"), std::string::npos)
            << s.at(Model::Processes);
        EXPECT_NE(s.at(Model::Sequential).find("no update lost"), std::string::npos);
    }
    EXPECT_TRUE(lost) << "10 runs of 2 unlocked threads never lost an update";
    for (int attempt = 0; attempt < 3; ++attempt) {
        for (std::size_t part : {1u, 2u}) {
            for (const auto& [model, text] :
                 summaries(test::runExperiment(lessonExperiment(l, true, part)))) {
                EXPECT_NE(text.find("no update lost"), std::string::npos)
                    << "part " << part + 1 << ", " << toString(model) << ": " << text;
            }
        }
    }
}

TEST(Lessons, AmdahlsSerialPartRunsOnTheEngineThreadInsideTheTimedRun) {
    // CPU time, not wall time, so a busy machine cannot make this flake: with a 40 % serial
    // part, the engine thread does ~40 % of the work and the two worker threads the rest.
    Experiment e = lessonExperiment(findLesson("amdahl"), true);
    e.models = {Model::Threads};
    e.workerCounts = {2};
    e.params["serial"] = "40";
    const ExperimentResult r = test::runExperiment(e);
    ASSERT_TRUE(r.allOk());
    const RunResult& run = r.runs.back();
    ASSERT_EQ(run.config.model, Model::Threads);
    double workersNs = 0;
    for (const WorkerStats& w : run.workers)
        workersNs += static_cast<double>(w.cpuUserNs + w.cpuSystemNs);
    const double total = (run.cpuUserSeconds + run.cpuSystemSeconds) * 1e9;
    ASSERT_GT(total, 0);
    const double engineShare = (total - workersNs) / total;
    EXPECT_GT(engineShare, 0.30) << "serial part not on the engine thread?";
    EXPECT_LT(engineShare, 0.50);
    EXPECT_NE(run.summary.find("serial (40"), std::string::npos) << run.summary;
}

TEST(Lessons, TheExplanationQuotesTheMeasuredSpeedup) {
    const Lesson l = findLesson("gil");
    Experiment e = lessonExperiment(l, true);
    e.repetitions = 1;  // the words, not the numbers: one repetition is enough
    const ExperimentResult r = test::runExperiment(e);
    ASSERT_TRUE(r.allOk());
    const double measured = *lessonValue(r, "speedup", Model::Processes, "cores");
    char expected[32];
    std::snprintf(expected, sizeof expected, "%.2fx", measured);
    EXPECT_NE(fillExplanation("{speedup:processes:cores}x", r), "") << "filled";
    EXPECT_EQ(fillExplanation("{speedup:processes:cores}x", r), expected);
    const std::string line = comparePrediction(l.predictions.back(), 2.0, r);
    EXPECT_NE(line.find("you predicted 2.00x, measured " + std::string(expected)),
              std::string::npos)
        << line;
}

TEST(Lessons, PlaceholdersThatCannotBeFilledAreErrorsNotBlanks) {
    Experiment e = lessonExperiment(findLesson("io-bound"), true);
    e.repetitions = 1;
    const ExperimentResult r = test::runExperiment(e);
    EXPECT_THROW(fillExplanation("{speedup:processes:16}", r), InvalidArgument);  // not measured
    EXPECT_THROW(fillExplanation("{speed:threads:1}", r), InvalidArgument);   // no such quantity
    EXPECT_THROW(fillExplanation("{speedup:fibers:1}", r), InvalidArgument);  // no such model
    EXPECT_THROW(fillExplanation("{nonsense}", r), InvalidArgument);
}

TEST(Lessons, AMalformedLessonNamesTheFileAndTheField) {
    const auto dir =
        std::filesystem::temp_directory_path() / ("lessons-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const std::string path = (dir / "bad.json").string();
    std::ofstream(path) << R"({"schema": "coreduel.lesson/1", "title": "t", "claim": "c",
        "question": "q", "explanation": "e",
        "experiment": {"workload": "primes", "workers": [0]}})";
    try {
        loadLessonFile(path);
        FAIL() << "accepted";
    } catch (const FileFormatError& e) {
        EXPECT_NE(std::string(e.what()).find("bad.json"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("workers"), std::string::npos) << e.what();
    }
    std::ofstream(path) << R"({"schema": "coreduel.lesson/1", "title": "t"})";
    EXPECT_THROW(loadLessonFile(path), FileFormatError);
    std::filesystem::remove_all(dir);
}

// One lesson file that does not load (damaged, or naming a workload this build lacks) is left
// out and named; the others still load, and asking for it by name gives its own error.
TEST(Lessons, ABadLessonFileNeverTakesTheOthersWithIt) {
    const auto dir =
        std::filesystem::temp_directory_path() / ("lessons-shelf-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::filesystem::copy_file(lessonsDirectory() + "/01-gil.json", dir / "01-gil.json");
    std::ofstream(dir / "02-broken.json") << R"({"schema": "coreduel.lesson/1", "title": "t",
        "claim": "c", "question": "q", "explanation": "e",
        "experiment": {"workload": "no-such-workload"}})";
    EXPECT_THROW(loadLessons(dir.string()), std::exception) << "without a list, a bad file throws";
    std::vector<std::string> broken;
    const std::vector<Lesson> lessons = loadLessons(dir.string(), &broken);
    ASSERT_EQ(lessons.size(), 1u);
    EXPECT_EQ(lessons[0].name, "01-gil");
    ASSERT_EQ(broken.size(), 1u);
    EXPECT_NE(broken[0].find("02-broken.json"), std::string::npos) << broken[0];
    EXPECT_NE(broken[0].find("no-such-workload"), std::string::npos) << broken[0];
    EXPECT_EQ(findLesson("gil", dir.string()).name, "01-gil");
    try {
        (void)findLesson("broken", dir.string());
        FAIL() << "found a lesson that does not load";
    } catch (const InvalidArgument& e) {
        EXPECT_NE(std::string(e.what()).find("no-such-workload"), std::string::npos) << e.what();
    }
    std::filesystem::remove_all(dir);
}

TEST(Lessons, RealPythonSaysHowToInstallPythonWhenItIsMissing) {
    const Lesson l = findLesson("real-python");
    ASSERT_FALSE(l.explanationWithoutPython.empty());
    const std::string saved = std::getenv("PATH") != nullptr ? std::getenv("PATH") : "";
    ::setenv("PATH", "/nonexistent", 1);
    const std::string found = pythonExecutable();
    // The grid's native half still runs; its py: models are left out, and the lesson knows.
    const Experiment e = lessonExperiment(l, true, 0);
    ExperimentResult ran;
    ran.experiment = e;
    std::string message;
    try {
        resolvePython("");
    } catch (const InvalidArgument& err) {
        message = err.what();
    }
    ::setenv("PATH", saved.c_str(), 1);
    EXPECT_TRUE(found.empty());
    EXPECT_TRUE(std::none_of(e.models.begin(), e.models.end(), isPython));
    EXPECT_TRUE(std::any_of(e.models.begin(), e.models.end(),
                            [](Model m) { return m == Model::Processes; }));
    EXPECT_TRUE(lessonRanWithoutPython(l, {ran}));
    EXPECT_NE(message.find("apt-get install python3"), std::string::npos) << message;
    EXPECT_NE(l.explanationWithoutPython.find("apt-get install python3"), std::string::npos);
}

TEST(Lessons, RealPythonPartsRunTheGuidesScriptsUnderTheProfiler) {
    if (pythonExecutable().empty()) GTEST_SKIP() << "python3 is not installed";
    // The guide's Pool.map script as a lesson part (lesson 10 now runs the interpreter in the
    // grid; script parts remain for examples that are whole programs).
    Lesson l;
    LessonPart part;
    part.python = {"factorial_pool.py"};
    part.quickPython = {"factorial_pool.py", "4000,8000,12000,16000,20000"};
    l.parts.push_back(part);
    const ExperimentResult r = runPythonPart(l, 0, true);
    ASSERT_EQ(r.runs.size(), 1u);
    EXPECT_TRUE(r.runs.front().ok) << r.runs.front().error;
    EXPECT_GT(r.runs.front().wallSeconds, 0);
    EXPECT_GT(r.runs.front().cpuUserSeconds, 0) << "the pool's workers' CPU is counted (wait4)";
    EXPECT_TRUE(test::childPids().empty());
}

TEST(Lessons, ALawThatDoesNotFitIsSaidInWordsNotAnError) {
    // Processes slower than sequential (a busy machine, tiny tasks): no serial fraction exists.
    const ExperimentResult r = test::syntheticResult(
        Model::Processes, 2,
        {{Model::Sequential, 1, 1.0}, {Model::Processes, 1, 1.2}, {Model::Processes, 2, 1.5}});
    EXPECT_NE(fillExplanation("{fit:processes}", r).find("no fit (slower than sequential"),
              std::string::npos)
        << fillExplanation("{fit:processes}", r);
    EXPECT_NE(fillExplanation("{predicted:processes}", r).find("no prediction"), std::string::npos);
    EXPECT_THROW(fillExplanation("{fit:threads}", r), InvalidArgument) << "threads never ran";
}
