// Experiment and result files: round trips, and errors that name the place.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "core/report/json_report.h"
#include "core/report/schema.h"
#include "test_support.h"

using namespace coreduel;

namespace {

std::string errorFor(const std::string& content) {
    const auto path = std::filesystem::temp_directory_path() /
                      ("coreduel-schema-" + std::to_string(::getpid()) + ".json");
    std::ofstream(path) << content;
    std::string message;
    try {
        loadExperimentFile(path.string());
    } catch (const FileFormatError& e) {
        message = e.what();
    }
    std::filesystem::remove(path);
    return message.empty() ? "(no error)" : message.substr(message.find(".json") + 5);
}

}  // namespace

TEST(Schema, ExperimentRoundTrips) {
    Experiment e;
    e.workload = "sleep";
    e.params = {{"tasks", "3"}, {"ms", "1.5"}};
    e.models = {Model::GilThreads, Model::Processes};
    e.workerCounts = {1, 3};
    e.startMethod = StartMethod::ForkServer;
    e.transport = Transport::MessageQueue;
    e.chunksizes = {2};
    e.schedule = Schedule::Static;
    e.repetitions = 4;
    e.warmups = 1;
    e.gilSwitchIntervalMs = 0.5;
    e.gilReleasedByTasks = true;
    e.taskTimeoutSeconds = 3;
    e.payloadBytes = 1000;
    e.sampleHz = 10;
    const auto back = experimentFromJson(toJson(e), "test");
    EXPECT_EQ(toJson(back), toJson(e));
}

TEST(Schema, MalformedFilesNameThePlace) {
    EXPECT_EQ(errorFor("{\"workload\": \"primes\",\n  \"workers\": [1, 2,]}"),
              ":2:20: syntax error while parsing value - unexpected ']'; expected '[', '{', or a "
              "literal");
    EXPECT_EQ(errorFor("{\"workers\": [1, 0]}"), ": /workers/1: must be between 1 and 512 (got 0)");
    EXPECT_EQ(errorFor("{\"workers\": \"1-x\"}").rfind(": /workers: bad worker count 'x'", 0), 0u);
    EXPECT_EQ(errorFor("{\"models\": [\"threads\", 7]}"),
              ": /models/1: must be a string, not number");
    EXPECT_EQ(errorFor("{\"schema\": \"coreduel.experiment/9\"}"),
              ": /schema: unsupported schema 'coreduel.experiment/9' (this CoreDuel reads "
              "coreduel.experiment/1)");
    EXPECT_EQ(errorFor("{\"workload\": \"primes\", \"params\": {\"end\": -5}}")
                  .rfind(": /: primes: parameter 'end'", 0),
              0u);
    EXPECT_EQ(errorFor("{\"modles\": \"all\"}").rfind(": /modles: unknown field", 0), 0u);
    EXPECT_EQ(errorFor("[1, 2]"), ": /: must be an object, not array");
}

TEST(Schema, ResultsReloadWithTheirRunsAndStatistics) {
    Experiment e;
    e.workload = "square";
    e.params = {{"count", "50"}};
    e.models = {Model::Threads, Model::Processes};
    e.workerCounts = {2};
    e.repetitions = 2;
    const auto result = coreduel::test::runExperiment(e);
    const auto saved = toJson(result);
    const auto reloaded = resultFromJson(saved, "memory");
    ASSERT_EQ(reloaded.runs.size(), result.runs.size());
    for (std::size_t i = 0; i < result.runs.size(); ++i) {
        EXPECT_EQ(reloaded.runs[i].config.model, result.runs[i].config.model);
        EXPECT_DOUBLE_EQ(reloaded.runs[i].wallSeconds, result.runs[i].wallSeconds);
        EXPECT_EQ(reloaded.runs[i].checksum, result.runs[i].checksum);
        EXPECT_EQ(reloaded.runs[i].ok, result.runs[i].ok);
    }
    EXPECT_EQ(reloaded.experiment.workload, "square");
    EXPECT_EQ(reloaded.analysis.configs.size(), result.analysis.configs.size());
    EXPECT_EQ(toJson(reloaded.analysis)["configurations"],
              toJson(result.analysis)["configurations"]);
}

TEST(Schema, AtomicWritesLeaveNothingHalfWritten) {
    const auto dir =
        std::filesystem::temp_directory_path() / ("coreduel-atomic-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto file = (dir / "out.json").string();
    writeFileAtomically(file, "first");
    writeFileAtomically(file, "second");
    std::ifstream in(file);
    std::string content((std::istreambuf_iterator<char>(in)), {});
    EXPECT_EQ(content, "second");
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir), {}), 1);  // no temporary left
    EXPECT_THROW(writeFileAtomically((dir / "missing" / "x.json").string(), "x"),
                 std::system_error);
    std::filesystem::remove_all(dir);
}
