// What the parser fuzzer (tests/fuzz/) found: a file of the wrong shape must be rejected with
// FileFormatError naming the place, and a bad placeholder with InvalidArgument, never with
// nlohmann's type_error or std::out_of_range from deep inside.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "core/lessons/lesson.h"
#include "core/report/json_report.h"
#include "core/report/schema.h"
#include "core/util/errors.h"
#include "test_support.h"

using namespace coreduel;
using nlohmann::json;

namespace {

json validResult() {
    return {{"schema", kResultSchema},
            {"experiment", {{"workload", "primes"}, {"models", {"sequential", "threads"}}}},
            {"runs",
             {{{"model", "sequential"}, {"workers", 1}, {"wall_seconds", 2.0}, {"ok", true}},
              {{"model", "threads"}, {"workers", 2}, {"wall_seconds", 1.1}, {"ok", true}}}}};
}

/// The error resultFromJson gives, or "(read)" when it reads the document.
std::string resultError(const json& j) {
    try {
        (void)resultFromJson(j, "r.json");
        return "(read)";
    } catch (const FileFormatError& e) {
        return e.what();
    }
}

json validLesson() {
    return {{"schema", kLessonSchema},
            {"title", "t"},
            {"claim", "c"},
            {"question", "q"},
            {"explanation", "e"},
            {"experiment",
             {{"workload", "primes"}, {"models", {"sequential", "threads"}}, {"workers", {1, 2}}}}};
}

std::string lessonError(const json& j) {
    try {
        (void)lessonFromJson(j, "l.json", "l");
        return "(read)";
    } catch (const FileFormatError& e) {
        return e.what();
    }
}

}  // namespace

TEST(ParserRobustness, ResultFieldsOfTheWrongTypeNameTheField) {
    ASSERT_EQ(resultError(validResult()), "(read)");
    json j = validResult();
    j["cancelled"] = "yes";
    EXPECT_EQ(resultError(j), "r.json: /cancelled: must be true or false");
    j = validResult();
    j["runs"][1]["tasks"] = "many";
    EXPECT_EQ(resultError(j).rfind("r.json: /runs/1/tasks: must be", 0), 0u) << resultError(j);
    j = validResult();
    j["runs"][0]["summary"] = 3;
    EXPECT_EQ(resultError(j).rfind("r.json: /runs/0/summary: must be", 0), 0u) << resultError(j);
    j = validResult();
    j["environment"] = {{"logical_cpus", "four"}};
    EXPECT_EQ(resultError(j).rfind("r.json: /environment/logical_cpus: must be", 0), 0u)
        << resultError(j);
}

TEST(ParserRobustness, ABadChecksumIsAFormatError) {
    for (const char* bad : {"zz", "", "fffffffffffffffffffff", "-1"}) {
        SCOPED_TRACE(bad);
        json j = validResult();
        j["runs"][0]["checksum"] = bad;
        EXPECT_EQ(resultError(j).rfind("r.json: /runs/0/checksum: must be", 0), 0u)
            << resultError(j);
        j = validResult();
        j["baseline_checksum"] = bad;
        EXPECT_EQ(resultError(j).rfind("r.json: /baseline_checksum: must be", 0), 0u)
            << resultError(j);
    }
    json j = validResult();
    j["runs"][0]["checksum"] = "00ff";
    EXPECT_EQ(resultFromJson(j, "r.json").runs[0].checksum, 0xffu);
}

TEST(ParserRobustness, ANumberTooLargeForADoubleIsAFormatError) {
    const auto path = std::filesystem::temp_directory_path() /
                      ("coreduel-robust-" + std::to_string(::getpid()) + ".json");
    std::ofstream(path) << "{\"workers\": [1e999]}";
    std::string message;
    try {
        (void)loadExperimentFile(path.string());
    } catch (const FileFormatError& e) {
        message = e.what();
    }
    std::filesystem::remove(path);
    EXPECT_NE(message.find(".json:1:"), std::string::npos) << message;
}

TEST(ParserRobustness, LessonListsOfTheWrongTypeNameTheField) {
    ASSERT_EQ(lessonError(validLesson()), "(read)");
    json j = validLesson();
    j["quick"] = {{"workers", "two"}};
    EXPECT_EQ(lessonError(j).rfind("l.json: /quick/workers: must be", 0), 0u) << lessonError(j);
    j = validLesson();
    j["quick"] = {{"params", "end=10"}};
    EXPECT_EQ(lessonError(j).rfind("l.json: /quick/params: must be", 0), 0u) << lessonError(j);
    j = validLesson();
    j["quick"] = 7;
    EXPECT_EQ(lessonError(j).rfind("l.json: /quick: must be", 0), 0u) << lessonError(j);
    j = validLesson();
    j.erase("experiment");
    j["parts"] = {{{"python", 5}}};
    EXPECT_EQ(lessonError(j).rfind("l.json: /parts/0/python: must be", 0), 0u) << lessonError(j);
    j["parts"] = {{{"python", {"x.py", 3}}}};
    EXPECT_EQ(lessonError(j).rfind("l.json: /parts/0/python: must be", 0), 0u) << lessonError(j);
}

TEST(ParserRobustness, AHugePartNumberInAPlaceholderIsInvalid) {
    const ExperimentResult r = resultFromJson(validResult(), "r.json");
    EXPECT_THROW((void)fillExplanation("{speedup@99999999999999999999:threads:2}", r),
                 InvalidArgument);
    EXPECT_THROW((void)fillExplanation("{speedup@0:threads:2}", r), InvalidArgument);
    EXPECT_EQ(fillExplanation("{speedup@1:threads:2}", r), "1.82");
}
