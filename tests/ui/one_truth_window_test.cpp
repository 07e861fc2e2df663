// The window's side of one truth (tests/one_truth_test.cpp has the text exports): for one
// result, the results table, the speedup chart's hover text and the window's report (HTML and
// its verdict sentences) give each configuration's speedup as the analysis computed it, with
// the same rounding as the console verdict.

#include <gtest/gtest.h>

#include <QRegularExpression>

#include "core/report/table_report.h"
#include "tests/helpers/made_results.h"
#include "tests/ui/ui_support.h"
#include "ui/panels/results_model.h"
#include "ui/plots/speedup_chart.h"
#include "ui/report/report_document.h"
#include "ui/report/report_render.h"

using namespace coreduel;
using namespace coreduel::ui;

TEST(OneTruthWindow, TableChartAndReportGiveTheAnalysisSpeedup) {
    const ExperimentResult r = madeResult({{Model::Sequential, 1, {1.00, 1.30, 1.02}},
                                           {Model::Threads, 2, {0.52, 0.80, 0.55}},
                                           {Model::Processes, 2, {0.70, 0.61, 0.90}}});
    ResultsModel model;
    model.setRuns(r.runs);
    model.setAnalysis(r.analysis);
    SpeedupChart chart;
    chart.resize(900, 600);
    chart.setResult(r);
    chart.replot(QCustomPlot::rpImmediateRefresh);
    const ReportDocument doc = buildReportDocument(r, {&chart});
    const QString html = QString::fromUtf8(renderReportHtml(doc));
    const QString verdict = QString::fromStdString(formatVerdict(r));
    // The browser's report quotes plain numbers: no invisible character inside one, so a
    // table pasted into a spreadsheet or searched for "1.83" finds them.
    EXPECT_FALSE(html.contains(QChar(0x2060))) << "a word joiner inside the HTML's numbers";

    for (Model m : {Model::Threads, Model::Processes}) {
        const ConfigSummary* c = r.analysis.find(m, 2, 0);
        ASSERT_TRUE(c != nullptr && c->speedup);
        const QString s = QString::number(c->speedup->value, 'f', 2);
        ASSERT_TRUE(verdict.contains(s + QLatin1Char('x'))) << verdict.toStdString();
        // The window's table: every verified run of the configuration shows its speedup.
        for (int row = 0; row < model.rowCount(); ++row) {
            if (r.runs[static_cast<std::size_t>(row)].config.model != m) continue;
            EXPECT_EQ(
                model.data(model.index(row, ResultsModel::Speedup), Qt::DisplayRole).toString(), s);
        }
        // The chart's hover text at the point.
        const auto* plot = chart.axisRect();
        ASSERT_NE(plot, nullptr);
        const QPoint at(static_cast<int>(chart.xAxis->coordToPixel(c->workers)),
                        static_cast<int>(chart.yAxis->coordToPixel(c->speedup->value)));
        const QString hover = chart.hoverText(at);
        EXPECT_TRUE(hover.contains(QStringLiteral("speedup %1×").arg(s)) ||
                    hover.contains(s + QStringLiteral("×")))
            << hover.toStdString();
        // The report: its verdict sentences carry the same number.
        bool inVerdict = false;
        for (const QString& line : doc.verdict)
            inVerdict = inVerdict || (line.startsWith(QString::fromLatin1(toString(m))) &&
                                      line.contains(s + QLatin1Char('x')));
        EXPECT_TRUE(inVerdict) << doc.verdict.join('\n').toStdString();
        EXPECT_TRUE(html.contains(s)) << s.toStdString();
    }
}
