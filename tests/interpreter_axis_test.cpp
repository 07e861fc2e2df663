// The interpreter axis on made results (no interpreter runs, no timing): each interpreter's
// py: rows are measured against its own py:sequential by the one estimator; the GIL model is
// compared only with interpreters that had a GIL; the verdict says in words what each did;
// the free-threaded build's single-thread cost is one ratio; the JSON carries all of it and
// reads back the same. The real interpreters: tests/python_axis_test.cpp.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <set>

#include "core/exec/interpreters.h"
#include "core/lessons/lesson.h"
#include "core/report/formats.h"
#include "core/report/json_report.h"
#include "core/report/schema.h"
#include "core/report/table_report.h"
#include "core/run/analysis.h"
#include "core/run/experiment.h"
#include "core/util/errors.h"
#include "core/util/install_paths.h"
#include "core/vocab/interpreter_spec.h"
#include "tests/helpers/made_results.h"

using namespace coreduel;

namespace {

bool contains(const std::string& text, const std::string& what) {
    return text.find(what) != std::string::npos;
}

std::string twoDecimals(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", v);
    return buf;
}

const std::string kFt = "/opt/py/bin/python3.13t";
const std::string kGilLabel = "CPython 3.11";
const std::string kFtLabel = "CPython 3.13t (no GIL)";

/// primes on 2 CPUs: 3.11's threads serialised by its GIL, 3.13t's in parallel; 3 clean
/// repetitions each, gil-threads beside them.
ExperimentResult twoInterpreters() {
    const std::optional<bool> on = true, off = false;
    return madeResult({
        {Model::Sequential, 1, {1.00, 1.01, 0.99}},
        {Model::GilThreads, 2, {1.02, 1.03, 1.01}},
        {Model::PySequential, 1, {2.00, 2.02, 1.98}, "python3", 0, kGilLabel, false, on},
        {Model::PySequential, 1, {2.50, 2.52, 2.48}, kFt, 1, kFtLabel, true, off},
        {Model::PyThreads, 2, {2.10, 2.12, 2.08}, "python3", 0, kGilLabel, false, on},
        {Model::PyThreads, 2, {1.40, 1.41, 1.39}, kFt, 1, kFtLabel, true, off},
    });
}

}  // namespace

TEST(InterpreterAxis, SpecsParseWithTheirGilOption) {
    EXPECT_EQ(splitInterpreters(""), std::vector<std::string>{""});
    EXPECT_EQ(splitInterpreters("python3," + kFt + ":gil=1,python3"),
              (std::vector<std::string>{"python3", kFt + ":gil=1"}));
    const auto spec = parseInterpreterSpec(kFt + ":gil=1");
    EXPECT_EQ(spec.python, kFt);
    ASSERT_TRUE(spec.gil.has_value());
    EXPECT_TRUE(*spec.gil);
    EXPECT_EQ(interpreterOptions(spec), (std::vector<std::string>{"-X", "gil=1"}));
    EXPECT_FALSE(parseInterpreterSpec("python3").gil.has_value());
    EXPECT_THROW(parseInterpreterSpec(kFt + ":gil=2"), InvalidArgument);
    EXPECT_THROW(splitInterpreters("python3,,python3"), InvalidArgument);
    EXPECT_EQ(interpreterLabel("cpython", 3, 13, true, std::nullopt), kFtLabel);
    EXPECT_EQ(interpreterLabel("cpython", 3, 13, true, true), "CPython 3.13t (PYTHON_GIL=1)");
    EXPECT_EQ(interpreterLabel("cpython", 3, 11, false, std::nullopt), kGilLabel);
}

TEST(InterpreterAxis, EveryPyModelIsPlannedOncePerInterpreter) {
    Experiment e;
    e.workload = "primes";
    e.models = {Model::PyThreads};
    e.workerCounts = {2};
    e.python = "python3," + kFt + ":gil=1";
    std::size_t seq = 0, threads = 0;
    std::set<std::string> specs;
    for (const auto& c : planRuns(e)) {
        if (c.warmup) continue;
        seq += c.model == Model::PySequential;
        threads += c.model == Model::PyThreads;
        if (isPython(c.model)) specs.insert(c.python);
    }
    EXPECT_EQ(seq, 2u);
    EXPECT_EQ(threads, 2u);
    EXPECT_EQ(specs, (std::set<std::string>{"python3", kFt + ":gil=1"}));
}

TEST(InterpreterAxis, EachInterpreterIsMeasuredAgainstItsOwnSequential) {
    const ExperimentResult r = twoInterpreters();
    const Analysis& a = r.analysis;
    const ConfigSummary* gil = a.find(Model::PyThreads, 2, 0, "python3");
    const ConfigSummary* ft = a.find(Model::PyThreads, 2, 0, kFt);
    ASSERT_TRUE(gil && ft && gil->speedup && ft->speedup);
    // The one estimator, ratio of means, each against its own py:sequential.
    EXPECT_NEAR(gil->speedup->value, (2.00 + 2.02 + 1.98) / (2.10 + 2.12 + 2.08), 1e-12);
    EXPECT_NEAR(ft->speedup->value, (2.50 + 2.52 + 2.48) / (1.40 + 1.41 + 1.39), 1e-12);
    // A run's own speedup uses its own interpreter's baseline too.
    for (const auto& run : r.runs)
        if (run.config.model == Model::PyThreads && run.config.python == kFt)
            EXPECT_NEAR(*run.speedup, 2.50 / run.wallSeconds, 1e-12);
    EXPECT_EQ(a.interpreters(), (std::vector<std::string>{"python3", kFt}));
    EXPECT_EQ(a.name(*ft), "py:threads \u00b7 " + kFtLabel);
    ASSERT_TRUE(a.freeThreadedCost.has_value());
    EXPECT_NEAR(a.freeThreadedCost->ratio.value, 2.50 / 2.00, 1e-12);
    EXPECT_TRUE(a.freeThreadedCost->caveat.empty()) << "a quiet machine: no caveat";
}

TEST(InterpreterAxis, TheSingleThreadCostOnABusyMachineSaysSo) {
    ExperimentResult r = twoInterpreters();
    r.machineLoad.sampledSeconds = 3;
    r.machineLoad.otherProgramsCpuPct = 45;
    applyAnalysis(r);
    ASSERT_TRUE(r.analysis.freeThreadedCost.has_value());
    const std::string cost = formatFreeThreadedCost(r.analysis);
    EXPECT_NE(cost.find("measured while other programs used 45 % of the CPUs: not the builds' "
                        "own ratio"),
              std::string::npos)
        << cost;
}

// One truth with two interpreters: every export names each row's interpreter and gives its
// configuration's speedup (tests/one_truth_test.cpp for one).
TEST(OneTruth, TwoInterpretersEveryExportNamesTheInterpreterAndGivesTheOneSpeedup) {
    const ExperimentResult r = twoInterpreters();
    const std::string table = formatTable(r), analysis = formatAnalysis(r),
                      verdict = formatVerdict(r), md = toMarkdown(r), html = toHtml(r),
                      csv = toCsv(r);
    const auto json = toJson(r);
    for (const std::string& spec : {std::string("python3"), kFt}) {
        const ConfigSummary* c = r.analysis.find(Model::PyThreads, 2, 0, spec);
        ASSERT_TRUE(c && c->speedup);
        const std::string s = twoDecimals(c->speedup->value);
        const std::string who =
            "py:threads \u00b7 " + c->interpreterLabel + " with 2 workers: " + s;
        EXPECT_TRUE(contains(verdict, who)) << who << "\n" << verdict;
        EXPECT_TRUE(contains(table, "py:threads \u00b7 " + c->interpreterLabel)) << table;
        EXPECT_TRUE(contains(analysis, " " + s + " (")) << s << "\n" << analysis;
        EXPECT_TRUE(contains(md, "| " + s + " |")) << s << "\n" << md;
        EXPECT_TRUE(contains(html, who)) << who;
        char raw[32];
        std::snprintf(raw, sizeof raw, ",%.4f,", c->speedup->value);
        EXPECT_TRUE(contains(csv, raw)) << raw << "\n" << csv;
        bool inJson = false;
        for (const auto& j : json["analysis"]["configurations"])
            if (j["model"] == "py:threads" && j.value("python", "") == spec)
                inJson = twoDecimals(j["speedup"]["value"].get<double>()) == s;
        EXPECT_TRUE(inJson) << spec;
    }
    const std::string cost = "single-thread cost of the free-threaded build: py:sequential on " +
                             kFtLabel + " took 1.25x the wall time of py:sequential on " +
                             kGilLabel;
    EXPECT_TRUE(contains(analysis, cost)) << analysis;
    EXPECT_TRUE(contains(verdict, cost)) << verdict;
    EXPECT_NEAR(
        json["analysis"]["free_threaded_cost"]["sequential_wall_ratio"]["value"].get<double>(),
        1.25, 1e-12);
}

TEST(InterpreterAxis, TheGilModelIsComparedOnlyWithInterpretersThatHadAGil) {
    const ExperimentResult r = twoInterpreters();
    const Analysis& a = r.analysis;
    ASSERT_EQ(a.modelVsReal.size(), 1u);
    EXPECT_EQ(a.modelVsReal[0].python, "python3");
    EXPECT_TRUE(a.pythonWithoutGil);
    EXPECT_TRUE(contains(a.modelVsRealNote, "not with " + kFtLabel + ", which ran without one"))
        << a.modelVsRealNote;
    const std::string v = formatVerdict(r);
    EXPECT_TRUE(contains(v, "model vs real with 2 workers on " + kGilLabel)) << v;
    EXPECT_FALSE(contains(v, "model vs real with 2 workers on " + kFtLabel)) << v;
}

TEST(InterpreterAxis, TheVerdictSaysWhatEachInterpreterDid) {
    const std::string v = formatVerdict(twoInterpreters());
    EXPECT_TRUE(contains(v, "py:threads \u00b7 " + kGilLabel)) << v;
    EXPECT_TRUE(contains(v, "the interpreter's GIL serialised the compute")) << v;
    EXPECT_TRUE(contains(v,
                         "without a GIL (sys._is_gil_enabled() false in the run) its threads "
                         "ran the compute in parallel"))
        << v;
    EXPECT_TRUE(contains(v, "faster than py:sequential on the same interpreter")) << v;
}

TEST(InterpreterAxis, AGilThatCameBackOnIsSaidAndNeverCalledParallel) {
    // The free-threaded build, but its runs measured the GIL on (an extension turned it on).
    const std::optional<bool> on = true;
    ExperimentResult r = madeResult({
        {Model::Sequential, 1, {1.00, 1.01, 0.99}},
        {Model::PySequential, 1, {2.50, 2.52, 2.48}, kFt, 0, kFtLabel, true, on},
        {Model::PyThreads, 2, {2.60, 2.61, 2.59}, kFt, 0, kFtLabel, true, on},
    });
    const ConfigSummary* c = r.analysis.find(Model::PyThreads, 2, 0, kFt);
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(c->interpreterLabel, "CPython 3.13t (GIL came back on)");
    EXPECT_FALSE(r.analysis.pythonWithoutGil);
    const std::string v = formatVerdict(r);
    EXPECT_TRUE(contains(v, "the GIL, on in this free-threaded build")) << v;
    EXPECT_FALSE(contains(v, "in parallel")) << v;
    EXPECT_FALSE(r.analysis.freeThreadedCost.has_value());
}

TEST(InterpreterAxis, AResultWithTwoInterpretersReadsBackTheSame) {
    const ExperimentResult r = twoInterpreters();
    const ExperimentResult back = resultFromJson(toJson(r), "test");
    ASSERT_EQ(back.runs.size(), r.runs.size());
    for (std::size_t i = 0; i < r.runs.size(); ++i) {
        EXPECT_EQ(back.runs[i].config.python, r.runs[i].config.python);
        EXPECT_EQ(back.runs[i].config.interpreter, r.runs[i].config.interpreter);
        EXPECT_EQ(back.runs[i].interpreterLabel, r.runs[i].interpreterLabel);
        EXPECT_EQ(back.runs[i].freeThreadedBuild, r.runs[i].freeThreadedBuild);
        EXPECT_EQ(back.runs[i].gilEnabled, r.runs[i].gilEnabled);
    }
    EXPECT_EQ(back.analysis.interpreters(), r.analysis.interpreters());
    ASSERT_TRUE(back.analysis.freeThreadedCost.has_value());
    EXPECT_DOUBLE_EQ(back.analysis.freeThreadedCost->ratio.value,
                     r.analysis.freeThreadedCost->ratio.value);
}

TEST(InterpreterAxis, AnExperimentFileKeepsTheOldFormAndTheList) {
    Experiment e;
    e.workload = "primes";
    e.models = {Model::PyThreads};
    e.python = "python3," + kFt + ":gil=1";
    ExperimentResult r;
    r.experiment = e;
    const auto j = toJson(r);
    ASSERT_TRUE(j["experiment"]["python"].is_array()) << j["experiment"].dump();
    EXPECT_EQ(resultFromJson(j, "test").experiment.python, e.python);
    // One interpreter: the string of files before the axis.
    r.experiment.python = kFt;
    EXPECT_EQ(toJson(r)["experiment"]["python"], kFt);
}

TEST(InterpreterAxis, ALessonWithoutAFreeThreadedPythonRunsItsOtherParts) {
    if (!findOnPath("python3.13t").empty() || !findOnPath("python3.14t").empty())
        GTEST_SKIP() << "a free-threaded python is on PATH: the lesson would use it";
    // No cache, no variable: no free-threaded interpreter for this process.
    ::setenv("COREDUEL_CACHE", "/nonexistent/coreduel-test-cache", 1);
    ::unsetenv("COREDUEL_FREE_THREADED_PYTHON");
    ASSERT_EQ(findFreeThreadedPython(), "");
    const Lesson lesson = findLesson("gil-removed");
    ASSERT_EQ(lesson.parts.size(), 3u);
    const Experiment gil = lessonExperiment(lesson, true, 0);
    const Experiment ft = lessonExperiment(lesson, true, 1);
    const Experiment forced = lessonExperiment(lesson, true, 2);
    if (!findOnPath("python3").empty())
        EXPECT_TRUE(std::any_of(gil.models.begin(), gil.models.end(), isPython));
    EXPECT_TRUE(std::none_of(ft.models.begin(), ft.models.end(), isPython));
    EXPECT_TRUE(std::none_of(forced.models.begin(), forced.models.end(), isPython));
    // The explanation for that case says how to get one.
    EXPECT_TRUE(contains(lesson.explanationWithoutPython, "scripts/build_free_threaded_python.sh"));
}

TEST(InterpreterAxis, EachWarningIsSaidOnceAndNamesItsInterpreter) {
    const std::optional<bool> on = true, off = false;
    ExperimentResult r = madeResult({
        {Model::Sequential, 1, {1.00}},
        {Model::PySequential, 1, {2.00}, "python3", 0, kGilLabel, false, on},
        {Model::PySequential, 1, {2.50}, kFt, 1, kFtLabel, true, off},
        {Model::PyThreads, 1, {1.80}, "python3", 0, kGilLabel, false, on},
        {Model::PyThreads, 1, {2.50}, kFt, 1, kFtLabel, true, off},
    });
    std::size_t above = 0;
    for (const auto& w : r.analysis.warnings) above += contains(w, "a speedup of");
    EXPECT_EQ(above, 1u) << ::testing::PrintToString(r.analysis.warnings);
    bool named = false;
    for (const auto& w : r.analysis.warnings)
        named = named || contains(w, "py:threads \u00b7 " + kGilLabel + " x1: a speedup of 1.11x");
    EXPECT_TRUE(named) << ::testing::PrintToString(r.analysis.warnings);
}
