// One experiment, one speedup per configuration: the console verdict, the console table, the
// per-configuration statistics, the CSV, the Markdown and HTML reports and the JSON all give
// the analysis' value with the same rounding. (The window's table, chart tooltip and report are
// checked against the same value in tests/ui/one_truth_window_test.cpp.)

#include <gtest/gtest.h>

#include <cstdio>
#include <nlohmann/json.hpp>

#include "core/report/formats.h"
#include "core/report/json_report.h"
#include "core/report/table_report.h"
#include "core/run/analysis.h"
#include "tests/helpers/made_results.h"

using namespace coreduel;

namespace {

std::string twoDecimals(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", v);
    return buf;
}

bool contains(const std::string& text, const std::string& what) {
    return text.find(what) != std::string::npos;
}

}  // namespace

TEST(OneTruth, EveryTextExportGivesTheAnalysisSpeedup) {
    // Walls chosen so that the median of per-run speedups (the old verdict), the ratio of
    // medians and the ratio of means all differ in the second decimal.
    ExperimentResult r = madeResult({{Model::Sequential, 1, {1.00, 1.30, 1.02}},
                                     {Model::Threads, 2, {0.52, 0.80, 0.55}},
                                     {Model::Processes, 2, {0.70, 0.61, 0.90}}});
    const ConfigSummary* threads = r.analysis.find(Model::Threads, 2, 0);
    const ConfigSummary* processes = r.analysis.find(Model::Processes, 2, 0);
    ASSERT_NE(threads, nullptr);
    ASSERT_NE(processes, nullptr);
    ASSERT_TRUE(threads->speedup && processes->speedup);
    // The estimator is the ratio of means.
    EXPECT_NEAR(threads->speedup->value, (1.00 + 1.30 + 1.02) / (0.52 + 0.80 + 0.55), 1e-12);

    const std::string table = formatTable(r);
    const std::string analysis = formatAnalysis(r);
    const std::string verdict = formatVerdict(r);
    const std::string csv = toCsv(r);
    const std::string md = toMarkdown(r);
    const std::string html = toHtml(r);
    const auto json = toJson(r);
    for (const ConfigSummary* c : {threads, processes}) {
        const std::string s = twoDecimals(c->speedup->value);
        const std::string who = std::string(toString(c->model)) + " with 2 workers: " + s + "x";
        EXPECT_TRUE(contains(verdict, who)) << who << "\n" << verdict;
        EXPECT_TRUE(contains(analysis, " " + s + " (")) << s << "\n" << analysis;
        EXPECT_TRUE(contains(table, "  " + s + "  ")) << s << "\n" << table;
        EXPECT_TRUE(contains(md, "| " + s + " |")) << s << "\n" << md;
        EXPECT_TRUE(contains(html, "<td>" + s + "</td>")) << s;
        EXPECT_TRUE(contains(html, who)) << who;
        char raw[32];
        std::snprintf(raw, sizeof raw, ",%.4f,", c->speedup->value);
        EXPECT_TRUE(contains(csv, raw)) << raw << "\n" << csv;
        bool inJson = false;
        for (const auto& j : json["analysis"]["configurations"])
            if (j["model"] == toString(c->model) && j["workers"] == 2)
                inJson = twoDecimals(j["speedup"]["value"].get<double>()) == s;
        EXPECT_TRUE(inJson) << s;
    }
    // A run's own speedup uses the same baseline mean, so with one repetition it is the
    // configuration's.
    ExperimentResult one = madeResult({{Model::Sequential, 1, {1.0}}, {Model::Threads, 2, {0.6}}});
    EXPECT_DOUBLE_EQ(*one.runs[1].speedup, one.analysis.find(Model::Threads, 2, 0)->speedup->value);
}

TEST(OneTruth, IntervalsStayWithinWhatTheMachineCanReach) {
    // Noisy walls: the delta method's upper end on 2 CPUs would pass 2x.
    ExperimentResult r = madeResult(
        {{Model::Sequential, 1, {1.0, 1.6, 0.7}}, {Model::Threads, 2, {0.55, 0.9, 0.45}}});
    const ConfigSummary* c = r.analysis.find(Model::Threads, 2, 0);
    ASSERT_TRUE(c && c->speedup && c->speedup->hasRange);
    EXPECT_DOUBLE_EQ(c->ideal, 2.0);
    EXPECT_LE(c->speedup->high, 2.0);
    EXPECT_TRUE(c->intervalCapped);
    EXPECT_LE(c->speedup->low, c->speedup->value);
    // Every text that quotes the cut interval says it was cut: "1.45-2.00x" alone reads as
    // measured (the walkthrough's "CIs clamped at the core count without saying").
    EXPECT_NE(formatVerdict(r).find("-2.00x, cut at the ideal 2x)"), std::string::npos)
        << formatVerdict(r);
    const std::string table = formatAnalysis(r);
    EXPECT_NE(table.find("-2.00*)"), std::string::npos) << table;
    EXPECT_NE(table.find("* the interval's upper end cut at"), std::string::npos) << table;
}

TEST(OneTruth, ASpeedupAboveTheIdealIsFlaggedEverywhere) {
    // A slowed baseline: 2.4x with 2 workers on 2 CPUs is not a gain of the model.
    ExperimentResult r =
        madeResult({{Model::Sequential, 1, {1.2, 1.2, 1.2}}, {Model::Threads, 2, {0.5, 0.5, 0.5}}});
    const ConfigSummary* c = r.analysis.find(Model::Threads, 2, 0);
    ASSERT_TRUE(c && c->speedup);
    EXPECT_TRUE(c->aboveIdeal);
    bool warned = false;
    for (const auto& w : r.analysis.warnings) warned = warned || contains(w, "above the 2x");
    EXPECT_TRUE(warned);
    const std::string verdict = formatVerdict(r);
    EXPECT_TRUE(contains(verdict, "do not quote it")) << verdict;
    EXPECT_FALSE(contains(verdict, "it scales")) << verdict;
    EXPECT_EQ(toJson(r)["analysis"]["configurations"][1]["above_ideal"], true);
}
