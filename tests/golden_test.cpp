// The text, CSV, Markdown and JSON renderings of a fixed result, against files in
// tests/golden/. After an intended change: COREDUEL_UPDATE_GOLDEN=1 core_tests
// --gtest_filter='Golden*' rewrites them; review the diff like code.

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/report/formats.h"
#include "core/report/json_report.h"
#include "core/report/table_report.h"
#include "core/run/analysis.h"

using namespace coreduel;

namespace {

/// A small experiment with fixed numbers: what a real one looks like, without its timing.
ExperimentResult fixedResult() {
    ExperimentResult r;
    r.experiment.workload = "square";
    r.experiment.params = {{"count", "1000"}};
    r.experiment.models = {Model::Threads, Model::Processes};
    r.experiment.workerCounts = {2};
    r.experiment.repetitions = 2;
    r.environment.cpuModel = "Test CPU";
    r.environment.logicalCpus = 2;
    r.environment.physicalCores = 2;
    r.environment.threadsPerCore = 1;
    r.environment.allowedCpus = 2;
    r.environment.affinity = "0-1";
    r.environment.governor = "performance";
    r.environment.kernel = "Linux 6.1";
    r.environment.loadAverage1m = 0.1;
    r.environment.hardwareCounters = "available";
    r.baselineChecksum = 0x1234abcd5678ef00ULL;
    r.baselineWallSeconds = 1.0;
    auto add = [&](Model m, unsigned workers, unsigned rep, double wall, bool ok = true,
                   std::string error = "") {
        RunResult run;
        run.workload = "square";
        run.config.model = m;
        run.config.workers = workers;
        run.config.repetition = rep;
        run.wallSeconds = wall;
        run.cpuUserSeconds = wall * workers * 0.9;
        run.cpuSystemSeconds = 0.01;
        run.enginePeakRssKib = 4096;
        run.workersPeakRssKib = m == Model::Processes ? 2048 * workers : 0;
        run.voluntarySwitches = 10 + rep;
        run.involuntarySwitches = 2;
        run.ok = ok;
        run.error = std::move(error);
        run.checksum = ok ? r.baselineChecksum : 0;
        run.summary = "sum of x*x for x in [0, 1000) = 332833500 (mod 2^64)";
        if (ok) {
            run.speedup = 1.0 / wall;
            run.efficiency = *run.speedup / workers;
        }
        r.runs.push_back(run);
    };
    add(Model::Sequential, 1, 0, 1.0);
    add(Model::Sequential, 1, 1, 1.0);
    add(Model::Threads, 2, 0, 0.52);
    add(Model::Threads, 2, 1, 0.54);
    add(Model::Processes, 2, 0, 0.60);
    add(Model::Processes, 2, 1, 0.0, false,
        "worker 1 (pid 42) killed by SIGKILL while running task 7");
    applyAnalysis(r);
    return r;
}

void checkGolden(const std::string& name, const std::string& actual) {
    const std::string path = std::string(COREDUEL_GOLDEN_DIR) + "/" + name;
    if (const char* update = std::getenv("COREDUEL_UPDATE_GOLDEN");
        update != nullptr && *update == '1') {
        std::ofstream(path) << actual;
        return;
    }
    std::ifstream in(path);
    ASSERT_TRUE(in) << "missing golden file " << path << " (run with COREDUEL_UPDATE_GOLDEN=1)";
    std::stringstream expected;
    expected << in.rdbuf();
    EXPECT_EQ(actual, expected.str()) << "differs from " << path;
}

}  // namespace

TEST(Golden, Table) {
    const auto r = fixedResult();
    checkGolden("table.txt", formatTable(r) + "\n" + formatAnalysis(r) + formatVerdict(r));
}

TEST(Golden, Csv) {
    checkGolden("runs.csv", toCsv(fixedResult()));
}

TEST(Golden, Markdown) {
    checkGolden("report.md", toMarkdown(fixedResult()));
}

TEST(Golden, Json) {
    auto j = toJson(fixedResult());
    checkGolden("result.json", j.dump(2) + "\n");
}
