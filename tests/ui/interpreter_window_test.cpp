// The interpreter axis in the window: each interpreter's py: configurations are series of
// their own — a curve with its own marker shape and its own fitted law on the speedup chart,
// their own bar groups, their own table rows — named by the interpreter ("3.13t, no GIL"),
// never one curve mixing 3.11's points with 3.13t's.

#include <gtest/gtest.h>

#include <set>

#include "tests/helpers/made_results.h"
#include "tests/ui/ui_support.h"
#include "ui/model_names.h"
#include "ui/panels/results_model.h"
#include "ui/plots/run_groups.h"
#include "ui/plots/speedup_chart.h"
#include "ui/window/main_window.h"

using namespace coreduel;
using namespace coreduel::ui;

namespace {

const std::string kFt = "/opt/py/bin/python3.13t";

/// 3.11's threads serialised by its GIL, 3.13t's in parallel, processes under both; 3 clean
/// repetitions each on a 2-CPU machine.
ExperimentResult twoInterpreters() {
    const std::optional<bool> on = true, off = false;
    const std::string gil = "CPython 3.11", ft = "CPython 3.13t (no GIL)";
    return madeResult({
        {Model::Sequential, 1, {1.00, 1.01, 0.99}},
        {Model::PySequential, 1, {2.00, 2.02, 1.98}, "python3", 0, gil, false, on},
        {Model::PySequential, 1, {2.50, 2.52, 2.48}, kFt, 1, ft, true, off},
        {Model::PyThreads, 1, {2.05, 2.06, 2.04}, "python3", 0, gil, false, on},
        {Model::PyThreads, 1, {2.55, 2.56, 2.54}, kFt, 1, ft, true, off},
        {Model::PyThreads, 2, {2.10, 2.12, 2.08}, "python3", 0, gil, false, on},
        {Model::PyThreads, 2, {1.40, 1.41, 1.39}, kFt, 1, ft, true, off},
    });
}

}  // namespace

TEST(InterpreterWindow, EachInterpreterIsASeriesOfItsOwnNamedByIt) {
    const ExperimentResult r = twoInterpreters();
    MainWindow w;
    w.resize(1366, 768);
    w.show();
    w.showResult(r);
    test::spinUntil([] { return false; }, 50);

    auto* speedup = dynamic_cast<SpeedupChart*>(w.chart(QStringLiteral("speedup")));
    ASSERT_NE(speedup, nullptr);
    std::vector<QCPGraph*> threads;
    for (int i = 0; i < speedup->graphCount(); ++i)
        if (speedup->graph(i)->name().startsWith(QLatin1String("py:threads (")))
            threads.push_back(speedup->graph(i));
    ASSERT_EQ(threads.size(), 2u) << "one curve per interpreter, never one mixing both";
    // The legend may wrap a long name to fit the chart's width: read it as one line.
    QStringList names{threads[0]->name().replace(QLatin1Char('\n'), QLatin1Char(' ')),
                      threads[1]->name().replace(QLatin1Char('\n'), QLatin1Char(' '))};
    names.sort();
    EXPECT_TRUE(names[0].contains(QLatin1String("3.11"))) << names.join(" | ").toStdString();
    EXPECT_TRUE(names[1].contains(QLatin1String("3.13t, no GIL")))
        << names.join(" | ").toStdString();
    EXPECT_NE(threads[0]->scatterStyle().shape(), threads[1]->scatterStyle().shape())
        << "a marker shape per interpreter (grey-scale print)";
    // Each curve holds its own interpreter's points: 3.13t's ×2 is about 1.8x, 3.11's below 1.
    for (QCPGraph* g : threads) {
        ASSERT_EQ(g->data()->size(), 2);
        const double at2 = (g->data()->constEnd() - 1)->value;
        if (g->name().contains(QLatin1String("3.13t")))
            EXPECT_GT(at2, 1.5);
        else
            EXPECT_LT(at2, 1.0);
    }

    // The fitted laws: one per interpreter (or said to be missing), never one over both.
    std::set<std::string> fitted;
    for (const ModelScaling& s : r.analysis.scaling)
        if (s.model == Model::PyThreads) fitted.insert(s.python);
    EXPECT_EQ(fitted, (std::set<std::string>{"python3", kFt}));

    // Bar groups and table rows name their interpreter.
    QStringList groups;
    for (const RunGroup& g : groupRuns(r.runs))
        if (g.config.model == Model::PyThreads) groups << g.label.section(QLatin1Char('\n'), 0, 0);
    groups.removeDuplicates();
    groups.sort();
    EXPECT_EQ(groups,
              (QStringList{QStringLiteral("py:threads 3.11"), QStringLiteral("py:threads 3.13t")}));
    QStringList rows;
    ResultsModel* model = w.resultsModel();
    for (int row = 0; row < model->rowCount(); ++row)
        rows << model->data(model->index(row, ResultsModel::ModelCol), Qt::DisplayRole).toString();
    EXPECT_TRUE(rows.join('|').contains(QLatin1String("py:threads (CPython 3.13t, no GIL)")))
        << rows.join(" | ").toStdString();
    EXPECT_TRUE(rows.join('|').contains(QLatin1String("py:threads (CPython 3.11)")))
        << rows.join(" | ").toStdString();
}
