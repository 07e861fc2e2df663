// The results table shows every run of a known result with the right numbers and units, sorts
// by the raw numbers and copies what it shows.

#include <gtest/gtest.h>

#include <QSortFilterProxyModel>

#include "tests/ui/ui_support.h"
#include "ui/panels/results_model.h"
#include "ui/report/report_sections.h"

using namespace coreduel;
using coreduel::ui::ResultsModel;

TEST(ResultsModel, MatchesAKnownResultRowByRow) {
    const ExperimentResult r = test::goldenResult();
    ResultsModel model;
    model.setRuns(r.runs);
    model.setAnalysis(r.analysis);
    ASSERT_EQ(model.rowCount(), 6);
    ASSERT_EQ(model.columnCount(), ResultsModel::ColumnCount);
    auto cell = [&](int row, int col, int role = Qt::DisplayRole) {
        return model.data(model.index(row, col), role);
    };
    EXPECT_EQ(cell(2, ResultsModel::ModelCol).toString(), QStringLiteral("threads"));
    EXPECT_EQ(cell(2, ResultsModel::Workers).toInt(), 2);
    EXPECT_EQ(cell(2, ResultsModel::Wall).toString(), QStringLiteral("0.5200"));
    // The configuration's speedup (mean sequential wall / mean wall, 1.0 / 0.53), on each of
    // its runs: the number the verdict, the chart and every export give.
    EXPECT_DOUBLE_EQ(cell(2, ResultsModel::Speedup, Qt::UserRole).toDouble(), 1.0 / 0.53);
    EXPECT_EQ(cell(2, ResultsModel::Speedup).toString(), QStringLiteral("1.89"));
    EXPECT_EQ(cell(3, ResultsModel::Speedup).toString(), QStringLiteral("1.89"));
    EXPECT_EQ(cell(2, ResultsModel::Efficiency).toString(), QStringLiteral("94"));
    // This run alone against the same baseline mean is in the tooltip.
    EXPECT_TRUE(cell(2, ResultsModel::Speedup, Qt::ToolTipRole).toString().contains("1.92"));
    EXPECT_EQ(cell(2, ResultsModel::Status).toString(), QStringLiteral("verified"));
    // A failed run has no speedup and says why.
    EXPECT_FALSE(cell(5, ResultsModel::Speedup, Qt::UserRole).isValid());
    EXPECT_NE(cell(5, ResultsModel::Status).toString(), QStringLiteral("verified"));
    EXPECT_FALSE(cell(5, ResultsModel::Status).toString().isEmpty());
}

TEST(ResultsModel, EveryNumericHeaderNamesItsUnitAndHowItWasMeasured) {
    ResultsModel model;
    for (int c = 0; c < ResultsModel::ColumnCount; ++c) {
        const QString tip = model.headerData(c, Qt::Horizontal, Qt::ToolTipRole).toString();
        EXPECT_FALSE(tip.isEmpty()) << c;
    }
    for (int c : {ResultsModel::Wall, ResultsModel::CpuUser, ResultsModel::CpuSystem}) {
        EXPECT_TRUE(
            model.headerData(c, Qt::Horizontal, Qt::DisplayRole).toString().endsWith("[s]"));
    }
    EXPECT_TRUE(model.headerData(ResultsModel::Speedup, Qt::Horizontal, Qt::DisplayRole)
                    .toString()
                    .contains(QStringLiteral("[×]")));
}

TEST(ResultsModel, WarmupRunsAreNotShown) {
    ExperimentResult r = test::goldenResult();
    r.runs[1].config.warmup = true;
    ResultsModel model;
    model.setRuns(r.runs);
    EXPECT_EQ(model.rowCount(), 5);
    model.addRun(r.runs[1]);
    EXPECT_EQ(model.rowCount(), 5);
}

// A convoy run's ping delays are in the window's table as the CLI prints them (p50/p99, the
// probe's own measurement); other runs leave the cell empty.
TEST(ResultsModel, AConvoyRunShowsItsPingDelays) {
    ExperimentResult r = test::goldenResult();
    r.runs[2].latency = LatencySummary{40, 0.1, 5.19, 6.0};
    ResultsModel model;
    model.setRuns(r.runs);
    model.setAnalysis(r.analysis);
    EXPECT_EQ(model.data(model.index(2, ResultsModel::PingLatency), Qt::DisplayRole).toString(),
              QStringLiteral("0.10/5.19"));
    EXPECT_FALSE(model.data(model.index(1, ResultsModel::PingLatency), Qt::DisplayRole).isValid());
    EXPECT_EQ(
        model.headerData(ResultsModel::PingLatency, Qt::Horizontal, Qt::DisplayRole).toString(),
        QStringLiteral("ping p50/p99 [ms]"));
}

// ... and in the PDF and HTML reports' table of every run (only the Markdown had them), with a
// failed run's error on one line there.
TEST(ResultsModel, TheReportsRunTableShowsThePingDelaysAndOneLineErrors) {
    ExperimentResult r = test::goldenResult();
    r.runs[2].latency = LatencySummary{40, 0.1, 5.19, 6.0};
    r.runs[3].ok = false;
    r.runs[3].error = "task 1 raised ValueError: boom\nTraceback (most recent call last):";
    const auto sections = ui::appendixSections(r);
    ASSERT_FALSE(sections.empty());
    const ui::ReportTable& t = sections.front().blocks.front().table;
    const int ping = static_cast<int>(t.header.indexOf(QStringLiteral("ping p50 / p99 [ms]")));
    ASSERT_GE(ping, 0) << t.header.join(QStringLiteral(" | ")).toStdString();
    bool seen = false, failed = false;
    for (const QStringList& row : t.rows) {
        seen = seen || row.at(ping) == QStringLiteral("0.10 / 5.19");
        if (row.back().startsWith(QStringLiteral("failed: "))) {
            failed = true;
            EXPECT_FALSE(row.back().contains(QStringLiteral("Traceback")))
                << row.back().toStdString();
        }
    }
    EXPECT_TRUE(seen);
    EXPECT_TRUE(failed);
}
