// The python workload: a user's own function, task i = function(inputs[i]), under py:sequential,
// py:threads and py:processes. The guide's examples, copied verbatim, give the same checksum
// under every model, worker count, chunksize and start method; every way the user's code or
// inputs can be wrong is one line and exit status 2 before anything runs, an exception in the
// function fails the run (exit status 1) naming the task, worker, exception and traceback and
// leaves nothing running; results record the file's hash and size, and reading a result or a
// session that names the file never imports it. Nothing here depends on timing. Skipped
// where there is no python3.

#include <dirent.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "core/report/json_report.h"
#include "core/report/schema.h"
#include "core/run/runner.h"
#include "core/session/session.h"
#include "core/util/errors.h"
#include "core/util/install_paths.h"
#include "helpers/cli_run.h"
#include "test_support.h"

using namespace coreduel;
using coreduel::test::runExperiment;
namespace fs = std::filesystem;

namespace {

const std::string kDir = std::string(COREDUEL_FIXTURE_DIR) + "/python_function/";

/// Debian's interpreter when it is there (fast to start), else python3 on PATH.
std::string testPython() {
    return ::access("/usr/bin/python3", X_OK) == 0 ? "/usr/bin/python3" : "";
}

Experiment pythonExperiment(const std::string& file, const std::string& function,
                            const std::string& inputs) {
    Experiment e;
    e.workload = "python";
    e.params = {{"file", kDir + file}, {"function", function}, {"inputs", inputs}};
    e.models = {Model::PySequential, Model::PyThreads, Model::PyProcesses};
    e.workerCounts = {1, 2};
    e.repetitions = 1;
    e.warmups = 0;
    e.sampleHz = 0;
    e.python = testPython();
    return e;
}

using Outcome = coreduel::test::CliOutcome;

Outcome cli(const std::string& args) {
    return coreduel::test::runCli(args);
}

std::string runArgs(const std::string& file, const std::string& function, const std::string& inputs,
                    const std::string& models) {
    return "run -w python -p file=" + kDir + file + " -p function=" + function +
           " -p 'inputs=" + inputs + "' -m " + models + " -n 2 --sample-hz 0 -q";
}

std::vector<int> taggedProcesses(const std::string& tag) {
    std::vector<int> out;
    DIR* d = ::opendir("/proc");
    if (d == nullptr) return out;
    while (const dirent* e = ::readdir(d)) {
        const int pid = std::atoi(e->d_name);
        if (pid <= 0 || pid == ::getpid()) continue;
        std::ifstream env("/proc/" + std::to_string(pid) + "/environ", std::ios::binary);
        std::string text((std::istreambuf_iterator<char>(env)), {});
        if (text.find(tag) != std::string::npos) out.push_back(pid);
    }
    ::closedir(d);
    return out;
}

class PythonFunction : public ::testing::Test {
protected:
    void SetUp() override {
        if (findOnPath("python3").empty()) GTEST_SKIP() << "no python3 on PATH";
    }
};

void expectAllVerified(const ExperimentResult& r, std::size_t runs) {
    ASSERT_EQ(r.runs.size(), runs);
    for (const auto& run : r.runs) {
        EXPECT_TRUE(run.ok) << toString(run.config.model) << " x" << run.config.workers << ": "
                            << run.error;
        EXPECT_EQ(run.checksum, r.baselineChecksum) << toString(run.config.model);
        EXPECT_TRUE(isPython(run.config.model));
        EXPECT_TRUE(run.speedup.has_value()) << toString(run.config.model);
    }
    EXPECT_TRUE(r.pythonBaselineWallSeconds.has_value());
}

}  // namespace

TEST_F(PythonFunction, TheGuidesExamplesVerbatimGiveOneChecksumUnderEveryModel) {
    struct Case {
        const char* file;
        const char* function;
        const char* inputs;
    };
    for (const Case& c :
         {Case{"guide_factorial.py", "calculate_factorial", "[10000, 20000, 30000, 40000, 50000]"},
          Case{"guide_square.py", "worker_function", "[1, 2, 3, 4, 5]"}}) {
        SCOPED_TRACE(c.function);
        const auto r = runExperiment(pythonExperiment(c.file, c.function, c.inputs));
        // py:sequential x1, then threads and processes at 1 and 2: no native run at all.
        expectAllVerified(r, 5);
        EXPECT_FALSE(r.baselineWallSeconds.has_value());
        EXPECT_NE(r.baselineChecksum, 0u);
    }
}

TEST_F(PythonFunction, ChunksizesStartMethodsAndInputSourcesAgree) {
    std::uint64_t checksum = 0;
    for (const char* inputs : {"[3, 6, 9, 12, 15, 18]", "make_inputs"}) {
        for (StartMethod m : {StartMethod::Fork, StartMethod::ForkServer, StartMethod::Spawn}) {
            auto e = pythonExperiment("user_code.py", "mixed", inputs);
            e.models = {Model::PySequential, Model::PyProcesses};
            e.workerCounts = {2};
            e.chunksizes = {1, 4};
            e.startMethod = m;
            const auto r = runExperiment(e);
            SCOPED_TRACE(std::string(inputs) + " " + toString(m));
            expectAllVerified(r, 3);
            if (checksum == 0) checksum = r.baselineChecksum;
            EXPECT_EQ(r.baselineChecksum, checksum);
        }
    }
}

TEST_F(PythonFunction, ResultsRecordTheFilesHashAndSizeAndRefuseAChangedFile) {
    const fs::path dir =
        fs::temp_directory_path() / ("coreduel-pyfunc-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    fs::copy_file(kDir + "guide_square.py", dir / "mine.py", fs::copy_options::overwrite_existing);
    auto e = pythonExperiment("", "worker_function", "[1, 2, 3]");
    e.params["file"] = (dir / "mine.py").string();
    e.models = {Model::PySequential};
    const auto r = runExperiment(e);
    ASSERT_TRUE(r.runs.at(0).ok) << r.runs.at(0).error;
    const auto& p = r.experiment.params;
    ASSERT_EQ(p.at("file_sha256").size(), 64u);
    EXPECT_EQ(p.at("file_bytes"), std::to_string(fs::file_size(dir / "mine.py")));
    // The result's experiment runs again as recorded, and refuses the file once it changed.
    EXPECT_NO_THROW(validate(r.experiment));
    std::ofstream(dir / "mine.py", std::ios::app) << "# changed\n";
    try {
        validate(r.experiment);
        ADD_FAILURE() << "a changed file was accepted";
    } catch (const InvalidArgument& ex) {
        EXPECT_NE(std::string(ex.what()).find("is not the file this experiment recorded"),
                  std::string::npos)
            << ex.what();
    }
    fs::remove_all(dir);
}

TEST_F(PythonFunction, ReadingAResultOrSessionThatNamesTheFileNeverImportsIt) {
    const fs::path dir =
        fs::temp_directory_path() / ("coreduel-pyfunc-r" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const fs::path marker = dir / "imported";
    ::setenv("COREDUEL_IMPORT_MARKER", marker.c_str(), 1);
    const auto session = (dir / "run.coreduel").string();
    const auto result = (dir / "run.json").string();
    const auto ran = cli(runArgs("import_marker.py", "double", "[1, 2]", "py:sequential") +
                         " --session " + session + " -o " + result);
    ASSERT_EQ(ran.exitCode, 0) << ran.out;
    ASSERT_TRUE(fs::exists(marker)) << "the run itself should have imported the file";
    fs::remove(marker);

    const auto loaded = loadResultFile(result);
    EXPECT_EQ(loaded.experiment.workload, "python");
    EXPECT_EQ(loaded.experiment.params.at("file_sha256").size(), 64u);
    const auto s = loadSession(session);
    EXPECT_FALSE(s.parts.empty());
    (void)experimentFromJson(toJson(loaded.experiment), "experiment");
    const auto report = cli("report " + session + " -o " + (dir / "r.md").string());
    EXPECT_EQ(report.exitCode, 0) << report.out;
    EXPECT_FALSE(fs::exists(marker)) << "reading the result or the session imported the file";
    ::unsetenv("COREDUEL_IMPORT_MARKER");
    fs::remove_all(dir);
}

TEST_F(PythonFunction, AWindowsRunnerLoadsYourCodeOnTheEngineThreadNotWhenItIsMade) {
    // The window makes its Runner on the GUI thread: the interpreter's probe of the user's
    // module (an import, ~0.1 s or any time the module takes) must wait for run(), on the
    // engine thread, where a bad name fails the experiment before it is announced.
    const fs::path dir =
        fs::temp_directory_path() / ("coreduel-pyfunc-w" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const fs::path marker = dir / "imported";
    ::setenv("COREDUEL_IMPORT_MARKER", marker.c_str(), 1);
    Experiment e = pythonExperiment("import_marker.py", "double", "[1, 2]");
    e.models = {Model::PySequential};
    e.workerCounts = {1};
    Runner runner(e, /*loadUserCode=*/false);
    EXPECT_FALSE(fs::exists(marker)) << "making the Runner imported the user's file";
    EventSink quiet;
    const ExperimentResult r = runner.run(quiet);
    EXPECT_TRUE(r.allOk());
    EXPECT_TRUE(fs::exists(marker)) << "the run should import it";

    e.params["function"] = "no_such_function";
    Runner bad(e, /*loadUserCode=*/false);  // checked against the declaration only
    struct Started : EventSink {
        bool started = false;
        void experimentStarted(const Experiment&, std::size_t) override { started = true; }
    } sink;
    EXPECT_THROW((void)bad.run(sink), InvalidArgument);
    EXPECT_FALSE(sink.started) << "a bad name is a bad experiment, not a started one";
    ::unsetenv("COREDUEL_IMPORT_MARKER");
    fs::remove_all(dir);
}

TEST_F(PythonFunction, BadInputIsOneLineAndExitStatusTwoBeforeAnythingRuns) {
    struct Case {
        std::string args, expected;
    };
    const std::vector<Case> cases = {
        {runArgs("missing.py", "f", "[1]", "py:sequential"), "missing.py does not exist"},
        {runArgs("user_code.py", "nope", "[1]", "py:sequential"), "has no function 'nope'"},
        {runArgs("user_code.py", "guarded", "[1]", "py:sequential"), "__name__ == \"__main__\""},
        {runArgs("bad_import.py", "f", "[1]", "py:sequential"),
         "raised ModuleNotFoundError: No module named 'no_such_module_for_coreduel_tests'"},
        {runArgs("user_code.py", "square", "[1, 2", "py:sequential"), "is not a Python literal"},
        {runArgs("user_code.py", "square", kDir + "bad_inputs.txt", "py:sequential"),
         "bad_inputs.txt, line 2"},
        {runArgs("user_code.py", "square", "[]", "py:sequential"), "make no tasks"},
        {runArgs("user_code.py", "square", "UNPICKLABLE", "py:sequential"),
         "input 1 (a lock) cannot be pickled"},
        {runArgs("user_code.py", "triple", "[1]", "py:processes"), "'triple' is a lambda"},
        {runArgs("user_code.py", "add_two", "[1]", "py:processes"), "(a closure)"},
        {runArgs("user_code.py", "square", "[1]", "sequential,py:threads"),
         "-w python runs only under py:sequential, py:threads, py:processes"},
    };
    for (const auto& c : cases) {
        const auto o = cli(c.args);
        EXPECT_EQ(o.exitCode, 2) << c.args << "\n" << o.out;
        EXPECT_NE(o.out.find(c.expected), std::string::npos) << c.args << "\n" << o.out;
        EXPECT_LE(std::count(o.out.begin(), o.out.end(), '\n'), 1) << o.out;
        EXPECT_EQ(o.out.find("running python"), std::string::npos) << o.out;
    }
    // Without -m: the three py: models.
    const auto plain = cli("run -w python -p file=" + kDir +
                           "user_code.py -p function=square -p inputs=[1] -n 1 --sample-hz 0 -q");
    EXPECT_EQ(plain.exitCode, 0) << plain.out;
    EXPECT_NE(plain.out.find("py:processes"), std::string::npos) << plain.out;
    // A lambda and a closure are fine where nothing crosses a process.
    EXPECT_EQ(cli(runArgs("user_code.py", "triple", "[1, 2]", "py:sequential,py:threads")).exitCode,
              0);
}

TEST_F(PythonFunction, AnExceptionInTheFunctionNamesTaskWorkerExceptionAndTraceback) {
    const std::string tag = "coreduel-pyfunc-" + std::to_string(::getpid());
    ::setenv("COREDUEL_TEST_TAG", tag.c_str(), 1);
    for (Model m : {Model::PySequential, Model::PyThreads, Model::PyProcesses}) {
        auto e = pythonExperiment("user_code.py", "fails_on_three", "[1, 2, 3, 4, 5, 6]");
        e.models = {m};
        e.workerCounts = {2};
        const auto r = runExperiment(e);
        SCOPED_TRACE(toString(m));
        const RunResult* failed = nullptr;
        for (const auto& run : r.runs)
            if (run.config.model == m) failed = &run;
        ASSERT_NE(failed, nullptr);
        EXPECT_FALSE(failed->ok);
        const auto& why = failed->error;
        for (const char* part :
             {"task 2 raised ZeroDivisionError: division by zero (worker ", ", pid ",
              "Traceback (most recent call last):", "user_code.py\", line 12, in fails_on_three",
              "line 17, in helper_that_divides"})
            EXPECT_NE(why.find(part), std::string::npos) << part << " in:\n" << why;
        EXPECT_EQ(why.find("coreduel_py"), std::string::npos) << why;  // only the user's frames
    }
    const auto o = cli(runArgs("user_code.py", "fails_on_three", "[1, 2, 3]", "py:processes"));
    EXPECT_EQ(o.exitCode, 1) << o.out;
    // The traceback follows a colon, on lines of its own: no parenthesis of ours after the
    // user's last source line.
    EXPECT_NE(o.out.find("no verified result: in the Python interpreter: task 2 raised"),
              std::string::npos)
        << o.out;
    std::vector<int> left;
    for (int i = 0; i < 50; ++i) {
        left = taggedProcesses("COREDUEL_TEST_TAG=" + tag);
        if (left.empty()) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_TRUE(left.empty()) << left.size() << " processes left, e.g. pid " << left.front();
    for (int pid : left) ::kill(pid, SIGKILL);
    ::unsetenv("COREDUEL_TEST_TAG");
}

TEST_F(PythonFunction, AResultThatCannotBeDigestedNamesItsType) {
    auto e = pythonExperiment("user_code.py", "returns_object", "[1]");
    e.models = {Model::PySequential};
    const auto r = runExperiment(e);
    ASSERT_FALSE(r.runs.at(0).ok);
    EXPECT_NE(r.runs.at(0).error.find("task 0 raised CanonicalError: the result is of type object"),
              std::string::npos)
        << r.runs.at(0).error;
}

// The run's checksum of the guide's factorials, frozen: the digests fold to it under every
// interpreter (3.8 to 3.13 gave it). More interpreters: COREDUEL_TEST_PYTHONS=/path/a:/path/b.
TEST_F(PythonFunction, TheChecksumIsTheSameUnderEveryInterpreter) {
    std::vector<std::string> pythons = {testPython()};
    if (const char* more = std::getenv("COREDUEL_TEST_PYTHONS")) {
        std::string list = more;
        for (std::size_t at = 0; at <= list.size();) {
            const auto end = std::min(list.find(':', at), list.size());
            if (end > at) pythons.push_back(list.substr(at, end - at));
            at = end + 1;
        }
    }
    for (const auto& python : pythons) {
        SCOPED_TRACE(python.empty() ? "python3" : python);
        auto e = pythonExperiment("guide_factorial.py", "calculate_factorial",
                                  "[10000, 20000, 30000, 40000, 50000]");
        e.models = {Model::PySequential};
        e.python = python;
        const auto r = runExperiment(e);
        ASSERT_TRUE(r.runs.at(0).ok) << r.runs.at(0).error;
        EXPECT_EQ(r.baselineChecksum, 0xb621c62695561df6ull);
    }
}
