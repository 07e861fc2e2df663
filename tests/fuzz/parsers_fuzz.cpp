// Fuzz target for everything that reads a file a person wrote: experiment files, result files,
// lesson files and the placeholders of a lesson's explanation. The contract under test: a
// parser either succeeds or throws one of the documented errors (FileFormatError for a file
// that is not what it should be, InvalidArgument for a bad value or placeholder). Anything
// else (a crash, a hang, std::out_of_range from deep inside, a json::type_error) is a bug.
//
// Built two ways: with driver.cpp (g++, a seeded mutation loop, run by ctest), or with clang
// and -fsanitize=fuzzer (libFuzzer supplies main):
//   clang++ -std=c++20 -fsanitize=fuzzer,address -I. tests/fuzz/parsers_fuzz.cpp <core objects>

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "core/lessons/lesson.h"
#include "core/report/json_report.h"
#include "core/report/schema.h"
#include "core/util/errors.h"

namespace {

using namespace coreduel;

/// A result to fill placeholders from: two verified runs, analysed, so that most
/// placeholders have something to read.
const ExperimentResult& sampleResult() {
    static const ExperimentResult r = [] {
        nlohmann::json j = {
            {"schema", kResultSchema},
            {"experiment", {{"workload", "primes"}, {"models", {"sequential", "threads"}}}},
            {"runs",
             {{{"model", "sequential"}, {"workers", 1}, {"wall_seconds", 2.0}, {"ok", true}},
              {{"model", "threads"}, {"workers", 2}, {"wall_seconds", 1.1}, {"ok", true}}}}};
        return resultFromJson(j, "sample");
    }();
    return r;
}

/// Runs `f`; the documented errors are fine, everything else goes on to the caller.
template <class F>
void expectParsedOrRejected(F&& f) {
    try {
        f();
    } catch (const FileFormatError&) {
    } catch (const InvalidArgument&) {
    }
}

std::string scratchFile() {
    return (std::filesystem::temp_directory_path() /
            ("coreduel-fuzz-" + std::to_string(::getpid()) + ".json"))
        .string();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string input(reinterpret_cast<const char*>(data), size);

    // The file reader: syntax errors become FileFormatError with a line and column.
    // (loadResultFile and loadLessonFile read the same way, then parse in memory as below.)
    static const std::string path = scratchFile();
    { std::ofstream(path, std::ios::binary | std::ios::trunc) << input; }
    expectParsedOrRejected([&] { (void)loadExperimentFile(path); });

    // The same documents in memory, and what a parsed one leads to.
    const nlohmann::json j = nlohmann::json::parse(input, nullptr, /*allow_exceptions=*/false);
    if (!j.is_discarded()) {
        expectParsedOrRejected([&] { (void)experimentFromJson(j, "fuzz"); });
        expectParsedOrRejected([&] {
            const ExperimentResult r = resultFromJson(j, "fuzz");
            // A loaded result is shown and compared: its text placeholders must fill or say why.
            (void)fillExplanation("{speedup:threads:max} {wall:sequential:1} {tasks}", r);
        });
        expectParsedOrRejected([&] {
            const Lesson l = lessonFromJson(j, "fuzz", "fuzz");
            (void)fillExplanation(l.explanation, sampleResult());
            for (std::size_t i = 0; i < l.parts.size(); ++i) {
                (void)lessonExperiment(l, true, i);
            }
        });
    }
    // The input itself as an explanation text full of placeholders.
    expectParsedOrRejected([&] { (void)fillExplanation(input, sampleResult()); });
    return 0;
}
