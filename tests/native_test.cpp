// The native workload: a kernel of one's own (coreduel/kernel.h) under every model with the
// same checksum, its library recorded as an absolute path, and each way it can go wrong said in
// one line: a missing file, a missing symbol, another ABI version, a kernel's own error, a
// task that fails and a kernel that crashes
// a worker (the run fails naming the task, the worker and the signal). From the command line:
// tests/native_cli_test.cpp.

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "core/exec/mpi_executor.h"
#include "core/report/schema.h"
#include "core/util/file_digest.h"
#include "core/workloads/workload.h"
#include "test_support.h"

using namespace coreduel;
using coreduel::test::runExperiment;

namespace {

std::map<std::string, std::string> sumParams() {
    return {{"library", SUM_KERNEL_PATH}, {"tasks", "12"}, {"steps", "20000"}};
}

std::string errorOf(const std::map<std::string, std::string>& params) {
    try {
        createWorkload("native", params);
    } catch (const InvalidArgument& e) {
        return e.what();
    }
    return "(no error)";
}

void expectSameChecksumEverywhere(const Experiment& e) {
    const auto result = runExperiment(e);
    ASSERT_FALSE(result.runs.empty());
    for (const auto& r : result.runs) {
        SCOPED_TRACE(std::string(toString(r.config.model)) + " x" +
                     std::to_string(r.config.workers));
        EXPECT_TRUE(r.ok) << r.error;
        EXPECT_EQ(r.checksum, result.baselineChecksum);
        EXPECT_EQ(r.summary, result.runs.front().summary);
    }
}

}  // namespace

TEST(NativeWorkload, TheExampleKernelGivesOneChecksumUnderEveryModel) {
    Experiment e;
    e.workload = "native";
    e.params = sumParams();
    e.models = {Model::Sequential, Model::Threads, Model::GilThreads, Model::Processes};
    e.workerCounts = {1, 2};
    expectSameChecksumEverywhere(e);
}

TEST(NativeWorkload, InitContextAndGrownBuffersUnderEveryStartMethod) {
    for (auto method : {StartMethod::Spawn, StartMethod::Fork, StartMethod::ForkServer}) {
        SCOPED_TRACE(toString(method));
        Experiment e;
        e.workload = "native";
        // 300 bytes a task: more than the first buffer, so the kernel is asked again.
        e.params = {{"library", TEST_KERNEL_PATH}, {"tasks", "9"}, {"size", "300"}};
        e.models = {Model::Threads, Model::GilThreads, Model::Processes};
        e.workerCounts = {1, 2};
        e.startMethod = method;
        expectSameChecksumEverywhere(e);
    }
}

TEST(NativeWorkload, ReleasingTheGilStillGivesTheSameChecksum) {
    Experiment e;
    e.workload = "native";
    e.params = sumParams();
    e.gilReleasedByTasks = true;
    e.models = {Model::GilThreads};
    e.workerCounts = {2};
    expectSameChecksumEverywhere(e);
}

TEST(NativeWorkload, ResultsAreTheKernelsBytesAndTheLibraryIsRecordedAbsolute) {
    const auto here = std::filesystem::current_path();
    const auto dir = std::filesystem::path(TEST_KERNEL_PATH).parent_path();
    std::filesystem::current_path(dir);
    auto w = createWorkload("native", {{"library", "./libtestkernel.so"}, {"tasks", "3"}});
    std::filesystem::current_path(here);
    EXPECT_EQ(w->params().all().at("library"), (dir / "libtestkernel.so").string());
    EXPECT_EQ(w->params().all().at("tasks"), "3");  // the kernel's own, passed through
    ASSERT_EQ(w->taskCount(), 3u);
    ExecContext ctx;
    std::vector<std::byte> out;
    ByteWriter writer(out);
    w->computeLocal(2, writer, ctx);
    ASSERT_EQ(out.size(), 8u);
    EXPECT_EQ(static_cast<int>(out[1]), 2 * 31 + 1);
    EXPECT_EQ(w->summarize({out}), "1 tasks of libtestkernel.so, 8 result bytes");
}

TEST(NativeWorkload, ARunRecordsWhichLibraryRanAndARerunRefusesAChangedOne) {
    const auto dir = std::filesystem::temp_directory_path() /
                     ("coreduel-native-digest-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto copy = dir / "libmine.so";
    std::filesystem::copy_file(TEST_KERNEL_PATH, copy);
    Experiment e;
    e.workload = "native";
    e.params = {{"library", copy.string()}, {"tasks", "4"}};
    e.models = {Model::Threads};
    e.workerCounts = {2};
    const auto result = runExperiment(e);
    const auto& recorded = result.experiment.params;
    ASSERT_TRUE(recorded.count("library_sha256")) << "the run records the library's hash";
    EXPECT_EQ(recorded.at("library_sha256"), digestFile(TEST_KERNEL_PATH).sha256);
    EXPECT_EQ(recorded.at("library_bytes"),
              std::to_string(std::filesystem::file_size(TEST_KERNEL_PATH)));
    // Run again as recorded: the same file loads (the recorded keys never reach the kernel,
    // whose init refuses a parameter it does not know) ...
    EXPECT_NO_THROW(createWorkload("native", recorded));
    // ... a changed one is refused before it is loaded, in one line naming both hashes.
    { std::ofstream(copy, std::ios::app) << "changed"; }
    const auto changed = errorOf(recorded);
    std::filesystem::remove_all(dir);
    EXPECT_NE(changed.find("is not the library this experiment recorded (sha256 " +
                           recorded.at("library_sha256")),
              std::string::npos)
        << changed;
    EXPECT_EQ(changed.find('\n'), std::string::npos);
}

TEST(FileDigest, IsTheSha256OfTheBytes) {
    const auto path =
        std::filesystem::temp_directory_path() / ("coreduel-digest-" + std::to_string(::getpid()));
    { std::ofstream(path, std::ios::binary) << "abc"; }
    const auto d = digestFile(path.string());
    std::filesystem::remove(path);
    // FIPS 180-2's example
    EXPECT_EQ(d.sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(d.bytes, 3u);
    EXPECT_THROW(digestFile("/nonexistent/coreduel"), std::system_error);
}

TEST(NativeWorkload, EachBadLibrarySaysWhatIsWrongInOneLine) {
    EXPECT_NE(errorOf({}).find("parameter 'library' is required"), std::string::npos);
    const auto missing = errorOf({{"library", "/nonexistent/libmine.so"}});
    EXPECT_NE(missing.find("native: '/nonexistent/libmine.so' does not exist"), std::string::npos)
        << missing;
    const auto text = std::filesystem::temp_directory_path() /
                      ("coreduel-native-" + std::to_string(::getpid()) + ".so");
    { std::ofstream(text) << "not a library\n"; }
    const auto notLib = errorOf({{"library", text.string()}});
    std::filesystem::remove(text);
    EXPECT_NE(notLib.find("cannot be loaded"), std::string::npos) << notLib;
    const auto symbol = errorOf({{"library", TEST_KERNEL_NOCOMPUTE_PATH}});
    EXPECT_NE(symbol.find("has no symbol coreduel_kernel_compute"), std::string::npos) << symbol;
    const auto abi = errorOf({{"library", TEST_KERNEL_ABI99_PATH}});
    EXPECT_NE(abi.find("built for kernel ABI version 99; this CoreDuel loads version 1"),
              std::string::npos)
        << abi;
    const auto init = errorOf({{"library", TEST_KERNEL_PATH}, {"bogus", "1"}});
    EXPECT_NE(init.find("failed in init: testkernel: unknown parameter 'bogus'"), std::string::npos)
        << init;
    const auto count = errorOf({{"library", SUM_KERNEL_PATH}, {"tasks", "0"}});
    EXPECT_NE(count.find("failed in task_count: sumkernel: 'tasks' must be a positive integer"),
              std::string::npos)
        << count;
    for (const auto* text : {&missing, &symbol, &abi, &init, &count})
        EXPECT_EQ(text->find('\n'), std::string::npos) << *text;
}

TEST(NativeWorkload, AKernelErrorFailsTheRunNamingTheTask) {
    Experiment e;
    e.workload = "native";
    e.params = {{"library", TEST_KERNEL_PATH}, {"tasks", "6"}, {"fail_task", "3"}};
    e.models = {Model::Threads, Model::Processes};
    e.workerCounts = {2};
    const auto result = runExperiment(e);
    ASSERT_FALSE(result.runs.empty());
    for (const auto& r : result.runs) {
        EXPECT_FALSE(r.ok);
        EXPECT_NE(r.error.find("task 3"), std::string::npos) << r.error;
        EXPECT_NE(r.error.find("failed in task 3: testkernel: task 3 failed on purpose"),
                  std::string::npos)
            << r.error;
    }
}

TEST(NativeWorkload, AKernelThatCrashesAWorkerIsNamedWithTaskWorkerAndSignal) {
    // Fork last: by then this process has run tasks, so its crash handler is installed and
    // inherited; a forked worker must still die by the signal for the engine to name it.
    for (auto method : {StartMethod::Spawn, StartMethod::ForkServer, StartMethod::Fork}) {
        SCOPED_TRACE(toString(method));
        const int fdsBefore = countOpenFds();
        Experiment e;
        e.workload = "native";
        // The sequential baseline runs in this process, which the kernel spares.
        e.params = {{"library", TEST_KERNEL_PATH},
                    {"tasks", "6"},
                    {"fail_task", "3"},
                    {"fail_mode", "segv"},
                    {"safe_pid", std::to_string(::getpid())}};
        e.models = {Model::Processes};
        e.workerCounts = {1, 2};
        e.startMethod = method;
        const auto result = runExperiment(e);
        std::size_t failed = 0;
        for (const auto& r : result.runs) {
            if (r.config.model != Model::Processes) continue;
            ++failed;
            EXPECT_FALSE(r.ok);
            EXPECT_NE(r.error.find("while running task 3"), std::string::npos) << r.error;
            EXPECT_NE(r.error.find("worker "), std::string::npos) << r.error;
            if (!coreduel::test::sanitizerBuild()) {  // ASan turns a SIGSEGV into its report
                EXPECT_NE(r.error.find("killed by SIGSEGV"), std::string::npos) << r.error;
            }
        }
        EXPECT_EQ(failed, 2u);
        EXPECT_TRUE(coreduel::test::childPids().empty()) << "children or zombies left behind";
        EXPECT_EQ(countOpenFds(), fdsBefore);
    }
}

TEST(NativeWorkload, MpiRanksLoadTheKernelAndAgree) {
#ifndef COREDUEL_MPI_WORKER_PATH
    GTEST_SKIP() << "built without Open MPI";
#else
    if (!mpiUnavailableReason().empty()) GTEST_SKIP() << mpiUnavailableReason();
    Experiment e;
    e.workload = "native";
    e.params = sumParams();
    e.models = {Model::Sequential, Model::Mpi};
    e.workerCounts = {1, 2};
    expectSameChecksumEverywhere(e);
#endif
}

TEST(NativeWorkload, ReadingAnExperimentOrResultFileLoadsNoKernel) {
    // A library that does not exist: reading the file must not try to load it.
    const auto j = nlohmann::json::parse(R"({"schema": "coreduel.experiment/1",
        "workload": "native", "params": {"library": "/nonexistent/libmine.so", "tasks": "4"},
        "models": ["threads"], "workers": [2]})");
    Experiment e;
    ASSERT_NO_THROW(e = experimentFromJson(j, "test.json"));
    EXPECT_EQ(e.params.at("tasks"), "4");
    EXPECT_THROW(validate(e), InvalidArgument);  // running it does load it
}

/// In a child of the death test below: exit status 0 when a kernel's crash in this process
/// failed the runs with task, worker and signal and left the library refused; another
/// status names the check that did not hold.
[[noreturn]] static void crashInProcessThenExit() {
    Experiment e;
    e.workload = "native";
    e.params = {
        {"library", TEST_KERNEL_PATH}, {"tasks", "6"}, {"fail_task", "3"}, {"fail_mode", "segv"}};
    e.models = {Model::Threads, Model::GilThreads};
    e.workerCounts = {2};
    const auto result = runExperiment(e);
    // The first crash comes in the sequential baseline's warm-up; every reported run then
    // names it (signal and task) and which run and worker refused.
    bool named = false;
    for (const auto& r : result.runs) {
        if (r.ok) std::_Exit(10);  // every run is failed or refused
        named = named || (r.error.find(" on worker ") != std::string::npos &&
                          r.error.find("crashed (SIGSEGV in task 3)") != std::string::npos);
    }
    if (!named) std::_Exit(11);
    // Later runs in this process refuse the library rather than call it again.
    try {
        (void)createWorkload("native", {{"library", TEST_KERNEL_PATH}});
        std::_Exit(12);
    } catch (const InvalidArgument& refused) {
        if (std::string(refused.what()).find("earlier in this process") == std::string::npos)
            std::_Exit(13);
    }
    std::_Exit(0);
}

TEST(NativeWorkloadDeathTest, ACrashInTheEnginesOwnProcessFailsTheRunAndTheProgramLives) {
    // Sequential, threads and gil-threads run a kernel in the engine's own process: a crash
    // there ended the program (a window with its session) after one line. Now it fails the
    // run with task, thread and signal, and the library is refused in that process after it.
    // In a child (a death test), since the refusal lasts for the process.
    if (coreduel::test::sanitizerBuild()) GTEST_SKIP() << "a sanitizer reports a SIGSEGV itself";
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    EXPECT_EXIT(crashInProcessThenExit(), ::testing::ExitedWithCode(0), "");
}
