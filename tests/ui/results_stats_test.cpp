// The results table's statistics columns: the 95 % intervals of wall time and speedup and the
// Karp-Flatt serial fraction per configuration, "—" with the reason where a statistic is not
// meaningful, units in the headers and the interval method in their tooltips.

#include <gtest/gtest.h>

#include <QDir>
#include <QHeaderView>
#include <QScrollBar>
#include <QTableView>

#include "core/run/analysis.h"
#include "core/run/result.h"
#include "core/stats/summary.h"
#include "tests/ui/ui_support.h"
#include "ui/panels/results_model.h"
#include "ui/panels/results_table_view.h"

using namespace coreduel;
using coreduel::ui::ResultsModel;

namespace {

RunResult run(Model model, unsigned workers, unsigned rep, double wall) {
    RunResult r;
    r.config.model = model;
    r.config.workers = workers;
    r.config.repetition = rep;
    r.ok = true;
    r.wallSeconds = wall;
    return r;
}

/// Sequential and threads x2 three times each; processes x4 only once.
ExperimentResult threeRepetitions() {
    ExperimentResult e;
    const double seq[] = {1.00, 1.02, 0.98};
    const double thr[] = {0.52, 0.50, 0.54};
    for (unsigned i = 0; i < 3; ++i) {
        e.runs.push_back(run(Model::Sequential, 1, i, seq[i]));
        e.runs.push_back(run(Model::Threads, 2, i, thr[i]));
    }
    e.runs.push_back(run(Model::Processes, 4, 0, 0.30));
    // Karp-Flatt's p is the CPUs at work, min(workers, cores): a 4-CPU machine.
    e.environment.logicalCpus = e.environment.allowedCpus = 4;
    e.analysis = analyze(e);
    return e;
}

int rowOf(const ResultsModel& m, Model model) {
    for (int row = 0; row < m.rowCount(); ++row)
        if (m.runs()[static_cast<std::size_t>(row)].config.model == model) return row;
    return -1;
}

}  // namespace

TEST(ResultsStats, IntervalsAndSerialFractionPerConfiguration) {
    const ExperimentResult e = threeRepetitions();
    ResultsModel model;
    model.setRuns(e.runs);
    model.setAnalysis(e.analysis);
    const int threads = rowOf(model, Model::Threads);
    ASSERT_GE(threads, 0);
    auto cell = [&](int row, int col, int role = Qt::DisplayRole) {
        return model.data(model.index(row, col), role);
    };
    const ConfigSummary* c = nullptr;
    for (const auto& s : e.analysis.configs)
        if (s.model == Model::Threads) c = &s;
    ASSERT_NE(c, nullptr);
    ASSERT_TRUE(c->wall.hasInterval);
    ASSERT_TRUE(c->speedup && c->speedup->hasRange);
    // The wall interval is the analysis' one, low – high, and contains the mean.
    EXPECT_EQ(
        cell(threads, ResultsModel::WallInterval).toString(),
        QStringLiteral("%1 – %2").arg(c->wall.ciLow, 0, 'f', 4).arg(c->wall.ciHigh, 0, 'f', 4));
    EXPECT_LT(c->wall.ciLow, c->wall.mean);
    EXPECT_GT(c->wall.ciHigh, c->wall.mean);
    // An upper end cut at what 2 workers can reach is marked "≤" and explained.
    EXPECT_EQ(cell(threads, ResultsModel::SpeedupInterval).toString(),
              QStringLiteral("%1 – %2%3")
                  .arg(c->speedup->low, 0, 'f', 2)
                  .arg(c->intervalCapped ? QStringLiteral("≤") : QString())
                  .arg(c->speedup->high, 0, 'f', 2));
    EXPECT_EQ(cell(threads, ResultsModel::SpeedupInterval, Qt::ToolTipRole)
                  .toString()
                  .contains(QStringLiteral("cut at")),
              c->intervalCapped);
    EXPECT_TRUE(cell(threads, ResultsModel::SpeedupInterval, Qt::ToolTipRole)
                    .toString()
                    .contains(QString::fromUtf8(kIntervalMethod)));
    // Karp-Flatt of the mean speedup (~1.96 on 2 workers: e ~ 2 %), in percent.
    ASSERT_TRUE(c->karpFlatt.has_value());
    EXPECT_NEAR(cell(threads, ResultsModel::SerialFraction, Qt::UserRole).toDouble(),
                100 * *c->karpFlatt, 1e-9);
    EXPECT_EQ(cell(threads, ResultsModel::SerialFraction).toString(),
              QString::number(100 * *c->karpFlatt, 'f', 1));
}

TEST(ResultsStats, NotMeaningfulCellsShowADashAndSayWhy) {
    const ExperimentResult e = threeRepetitions();
    ResultsModel model;
    model.setRuns(e.runs);
    model.setAnalysis(e.analysis);
    auto cell = [&](int row, int col, int role = Qt::DisplayRole) {
        return model.data(model.index(row, col), role);
    };
    // One repetition: no interval, and the tooltip says how many are needed.
    const int processes = rowOf(model, Model::Processes);
    for (int col : {ResultsModel::WallInterval, ResultsModel::SpeedupInterval}) {
        EXPECT_EQ(cell(processes, col).toString(), QStringLiteral("—")) << col;
        EXPECT_FALSE(cell(processes, col, Qt::UserRole).isValid()) << col;
        EXPECT_TRUE(cell(processes, col, Qt::ToolTipRole).toString().contains("3 or more")) << col;
    }
    // ...but a serial fraction from its single speedup.
    EXPECT_TRUE(cell(processes, ResultsModel::SerialFraction, Qt::UserRole).isValid());
    // One worker: Karp-Flatt is undefined, and the tooltip says so.
    const int sequential = rowOf(model, Model::Sequential);
    EXPECT_EQ(cell(sequential, ResultsModel::SerialFraction).toString(), QStringLiteral("—"));
    EXPECT_TRUE(cell(sequential, ResultsModel::SerialFraction, Qt::ToolTipRole)
                    .toString()
                    .contains("1 worker"));
    // Without an analysis (live, before the first analysis) every statistic is a dash too.
    model.setAnalysis(Analysis{});
    EXPECT_EQ(cell(0, ResultsModel::WallInterval).toString(), QStringLiteral("—"));
    EXPECT_FALSE(cell(0, ResultsModel::WallInterval, Qt::ToolTipRole).toString().isEmpty());
}

TEST(ResultsStats, HeadersCarryUnitsAndTheMethod) {
    ResultsModel model;
    auto header = [&](int col, int role) {
        return model.headerData(col, Qt::Horizontal, role).toString();
    };
    EXPECT_TRUE(header(ResultsModel::WallInterval, Qt::DisplayRole).endsWith("[s]"));
    EXPECT_TRUE(header(ResultsModel::SpeedupInterval, Qt::DisplayRole).endsWith("[×]"));
    EXPECT_TRUE(header(ResultsModel::SerialFraction, Qt::DisplayRole).endsWith("[%]"));
    for (int col : {ResultsModel::WallInterval, ResultsModel::SpeedupInterval})
        EXPECT_TRUE(header(col, Qt::ToolTipRole).contains(QString::fromUtf8(kIntervalMethod)));
    EXPECT_TRUE(header(ResultsModel::SerialFraction, Qt::ToolTipRole).contains("Karp"));
}

TEST(ResultsStats, ClearForgetsTheAnalysis) {
    const ExperimentResult e = threeRepetitions();
    ResultsModel model;
    model.setRuns(e.runs);
    model.setAnalysis(e.analysis);
    model.clear();
    model.addRun(e.runs[1]);
    EXPECT_EQ(model.data(model.index(0, ResultsModel::SpeedupInterval), Qt::DisplayRole).toString(),
              QStringLiteral("—"));
}

TEST(ResultsStats, TheStatisticsColumnsShowWholeInTheTable) {
    const ExperimentResult e = threeRepetitions();
    ResultsModel model;
    model.setRuns(e.runs);
    model.setAnalysis(e.analysis);
    QObject owner;
    QTableView* table = makeResultsTableView(&model, &owner);
    table->resize(1340, 260);
    table->show();
    test::spinUntil([] { return false; }, 50);
    // Scrolled to the statistics: each column as wide as its header and its widest cell.
    table->scrollTo(table->model()->index(0, ResultsModel::SerialFraction));
    QDir().mkpath(QStringLiteral(COREDUEL_ARTIFACT_DIR));
    table->grab().save(QStringLiteral(COREDUEL_ARTIFACT_DIR "/results-table-statistics.png"));
    const QFontMetrics fm(table->font());
    for (int col : {ResultsModel::WallInterval, ResultsModel::SpeedupInterval,
                    ResultsModel::SerialFraction}) {
        for (int row = 0; row < model.rowCount(); ++row) {
            const QString text = table->model()->index(row, col).data().toString();
            EXPECT_LE(fm.horizontalAdvance(text), table->columnWidth(col)) << text.toStdString();
        }
    }
    delete table;
}
