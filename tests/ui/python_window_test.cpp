// The py: models in the window: the panel's "Real Python (CPython)" group round-trips them and
// the interpreter, and refuses a workload without a Python port; the timeline names a py: run
// and labels its GIL waits as inferred; a real py:threads run through the window ends up in
// the table marked as the interpreter's, compared with the GIL model, and on the timeline.
// The run is skipped where there is no python3.

#include <gtest/gtest.h>

#include <QAbstractProxyModel>
#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>
#include <QTemporaryDir>
#include <QToolButton>

#include "core/exec/python_executor.h"
#include "core/util/install_paths.h"
#include "core/workloads/workload.h"
#include "tests/test_support.h"
#include "tests/ui/ui_support.h"
#include "ui/model_names.h"
#include "ui/panels/experiment_panel.h"
#include "ui/panels/param_field.h"
#include "ui/panels/results_model.h"
#include "ui/plots/speedup_chart.h"
#include "ui/plots/timeline_chart.h"
#include "ui/window/main_window.h"

using namespace coreduel;
using namespace coreduel::ui;

namespace {

MainWindow::Options testOptions() {
    MainWindow::Options o;
    o.persistSettings = false;
    return o;
}

QLineEdit* interpreterField(ExperimentPanel& panel) {
    return panel.findChild<QLineEdit*>(QStringLiteral("python-interpreter"));
}

/// A user's function from tests/fixtures/python_function/ over [1, 2], py:sequential and
/// py:threads.
Experiment userFunction(const std::string& fixture, const std::string& function) {
    Experiment e = ExperimentPanel::defaultExperiment();
    e.workload = "python";
    e.params = {{"file", std::string(COREDUEL_FIXTURE_DIR) + "/python_function/" + fixture},
                {"function", function},
                {"inputs", "[1, 2]"}};
    e.models = {Model::PySequential, Model::PyThreads};
    return e;
}

}  // namespace

TEST(PythonModels, InterpreterTagsAreShortAndNeverEmpty) {
    EXPECT_EQ(interpreterTag("CPython 3.11.2 (/usr/bin/python3), GIL enabled"), "CPython 3.11");
    EXPECT_EQ(interpreterTag("CPython 3.13.0 (/opt/py/bin/python3), free-threaded build, GIL "
                             "disabled"),
              "CPython 3.13t, no GIL");
    // The engine's short labels read the same way (a result file's runs carry them).
    EXPECT_EQ(interpreterTag("CPython 3.13t (no GIL)"), "CPython 3.13t, no GIL");
    EXPECT_EQ(interpreterTag("CPython 3.13t (PYTHON_GIL=1)"), "CPython 3.13t, GIL on");
    EXPECT_EQ(interpreterTag("CPython 3.13t (GIL came back on)"), "CPython 3.13t, GIL on");
    EXPECT_EQ(interpreterTag(""), "CPython");
    EXPECT_EQ(modelName(Model::PyThreads, "CPython 3.11.2 (/usr/bin/python3)"),
              "py:threads (CPython 3.11)");
    EXPECT_EQ(modelName(Model::GilThreads, "CPython 3.11.2 (/usr/bin/python3)"), "gil-threads");
}

TEST(PythonPanel, RoundTripsThePyModelsAndTheInterpreter) {
    ExperimentPanel panel;
    // Off by default: they need an interpreter and a ported workload.
    for (Model m : pythonModels()) EXPECT_FALSE(panel.modelBox(m)->isChecked()) << toString(m);
    ASSERT_NE(interpreterField(panel), nullptr);
    EXPECT_EQ(interpreterField(panel)->placeholderText(), "python3");

    Experiment e = ExperimentPanel::defaultExperiment();
    e.workload = "primes";
    e.models = {Model::Sequential, Model::GilThreads, Model::PySequential, Model::PyThreads};
    e.python = "python3";
    panel.setExperiment(e);
    const Experiment back = panel.experiment();
    EXPECT_EQ(back.models, e.models);
    EXPECT_EQ(back.python, "python3");
    // The interpreter's own baseline rides along with another py: model, locked.
    EXPECT_TRUE(panel.modelBox(Model::PySequential)->isChecked());
    EXPECT_FALSE(panel.modelBox(Model::PySequential)->isEnabled());

    // Without it, py:sequential is free again, and unchecked: it was not asked for.
    panel.modelBox(Model::PyThreads)->setChecked(false);
    EXPECT_TRUE(panel.modelBox(Model::PySequential)->isEnabled());
    EXPECT_FALSE(panel.modelBox(Model::PySequential)->isChecked());
    EXPECT_EQ(panel.experiment().models,
              (std::vector<Model>{Model::Sequential, Model::GilThreads}));

    // Asked for on its own, it stays after another py: model comes and goes.
    panel.modelBox(Model::PySequential)->setChecked(true);
    panel.modelBox(Model::PyProcesses)->setChecked(true);
    panel.modelBox(Model::PyProcesses)->setChecked(false);
    EXPECT_TRUE(panel.modelBox(Model::PySequential)->isChecked());

    // py:processes alone comes back with its baseline; an empty interpreter means python3.
    e.models = {Model::Sequential, Model::PyProcesses};
    e.python.clear();
    panel.setExperiment(e);
    EXPECT_EQ(panel.experiment().models,
              (std::vector<Model>{Model::Sequential, Model::PySequential, Model::PyProcesses}));
    EXPECT_EQ(panel.experiment().python, "");
}

TEST(PythonPanel, AWorkloadWithoutAPythonPortIsRefusedUnderTheGroup) {
    std::string unported;
    for (const WorkloadInfo& w : workloadCatalog())
        if (!hasPythonPort(w.name) && !w.userCode) unported = w.name;  // builds with defaults
    if (unported.empty()) GTEST_SKIP() << "every workload has a Python port";
    ExperimentPanel panel;
    Experiment e = ExperimentPanel::defaultExperiment();
    e.workload = unported;
    panel.setExperiment(e);
    EXPECT_TRUE(panel.validationError().isEmpty()) << panel.validationError().toStdString();
    QLabel* line = panel.fieldError(panel.pythonBox());
    ASSERT_NE(line, nullptr);
    EXPECT_TRUE(line->isHidden());

    panel.modelBox(Model::PyThreads)->setChecked(true);
    EXPECT_FALSE(panel.validationError().isEmpty());
    EXPECT_FALSE(panel.runButton()->isEnabled());
    EXPECT_FALSE(line->isHidden());
    EXPECT_TRUE(line->text().contains(QString::fromStdString(unported)))
        << line->text().toStdString();
    EXPECT_TRUE(line->text().contains(QStringLiteral("no Python version")));

    panel.modelBox(Model::PyThreads)->setChecked(false);
    EXPECT_TRUE(panel.validationError().isEmpty());
    EXPECT_TRUE(line->isHidden());
}

TEST(PythonPanel, AMissingInterpreterIsAnErrorOnlyWhenAPyModelIsAskedFor) {
    ExperimentPanel panel;
    Experiment e = ExperimentPanel::defaultExperiment();
    e.workload = "primes";
    e.python = "/nonexistent/python3";
    panel.setExperiment(e);
    EXPECT_TRUE(panel.validationError().isEmpty()) << panel.validationError().toStdString();
    panel.modelBox(Model::PyThreads)->setChecked(true);
    EXPECT_TRUE(panel.validationError().contains(QStringLiteral("no such executable")))
        << panel.validationError().toStdString();
    QLabel* line = panel.fieldError(interpreterField(panel));
    ASSERT_NE(line, nullptr);
    EXPECT_FALSE(line->isHidden());
    EXPECT_FALSE(panel.runButton()->isEnabled());
}

TEST(PythonTimeline, APyThreadsRunIsNamedAndItsGilWaitsAreInferred) {
    TimelineChart chart;
    chart.resize(900, 400);
    RunConfig c;
    c.model = Model::PyThreads;
    c.workers = 2;
    chart.beginRun(0, c);
    std::vector<TaskEvent> events;
    for (std::uint32_t i = 0; i < 4; ++i) {
        TaskEvent e;
        e.task = i;
        e.worker = i % 2;
        e.startNs = 1'000'000 + i * 10'000'000;
        e.endNs = e.startNs + 10'000'000;
        e.cpuNs = 5'000'000;
        e.gilWaitNs = 5'000'000;  // what the interpreter's executor infers: off CPU
        events.push_back(e);
    }
    chart.addEvents(0, events);
    auto inferred = [&chart] {
        for (const QString& n : chart.legendNames())
            if (n.contains(QStringLiteral("waiting for the GIL (inferred"))) return true;
        return false;
    };
    EXPECT_TRUE(inferred());
    chart.setInterpreter(0, "CPython 3.11.2 (/usr/bin/python3), GIL enabled", true);
    ASSERT_EQ(chart.runLabels().size(), 1u);
    const QString label = chart.runLabels().front().second;
    EXPECT_TRUE(label.contains(QStringLiteral("py:threads (CPython 3.11)"))) << label.toStdString();
    EXPECT_TRUE(label.contains(QStringLiteral("GIL waits inferred"))) << label.toStdString();
    EXPECT_TRUE(inferred());
    EXPECT_GT(chart.shownSegments(), 0u);

    // Native threads have no GIL at all: no wait in their legend.
    RunConfig native;
    native.model = Model::Threads;
    native.workers = 2;
    chart.beginRun(1, native);
    for (TaskEvent& e : events) e.gilWaitNs = 0;
    chart.addEvents(1, events);
    EXPECT_FALSE(inferred());
}

TEST(PythonWindow, APyThreadsRunIsTheInterpretersInTheTableAndOnTheTimeline) {
    if (findOnPath("python3").empty()) GTEST_SKIP() << "no python3 on PATH";
    MainWindow w(testOptions());
    w.resize(1400, 900);
    w.show();
    std::vector<bool> done;
    QObject::connect(&w, &MainWindow::experimentDone, [&done](bool ok) { done.push_back(ok); });
    Experiment e;
    e.workload = "primes";
    e.params = {{"end", "60000"}, {"tasks", "16"}};
    e.models = {Model::GilThreads, Model::PyThreads};
    e.workerCounts = {2};
    ASSERT_TRUE(w.runExperiment(e)) << w.statusText().toStdString();
    ASSERT_TRUE(test::spinUntil([&] { return !done.empty(); }, 110000));
    EXPECT_TRUE(done.front()) << w.statusText().toStdString();

    const ResultsModel* model = w.resultsModel();
    int row = -1;
    for (int r = 0; r < model->rowCount(); ++r)
        if (model->runs()[static_cast<std::size_t>(r)].config.model == Model::PyThreads) row = r;
    ASSERT_GE(row, 0);
    const QModelIndex name = model->index(row, ResultsModel::ModelCol);
    const QString interpreter = model->data(name, ResultsModel::InterpreterRole).toString();
    EXPECT_TRUE(interpreter.startsWith(QStringLiteral("CPython"))) << interpreter.toStdString();
    EXPECT_TRUE(
        model->data(name, Qt::DisplayRole).toString().startsWith(QStringLiteral("py:threads (")));
    EXPECT_TRUE(
        model->data(name, Qt::ToolTipRole).toString().contains(QStringLiteral("real interpreter")));
    // The engine's rows are not the interpreter's.
    for (int r = 0; r < model->rowCount(); ++r) {
        const Model m = model->runs()[static_cast<std::size_t>(r)].config.model;
        EXPECT_EQ(
            model->data(model->index(r, ResultsModel::ModelCol), ResultsModel::InterpreterRole)
                .isValid(),
            isPython(m))
            << toString(m);
    }
    // The GIL model against the real interpreter, on the py:threads row.
    const QString ratio =
        model->data(model->index(row, ResultsModel::GilModelVsReal), Qt::DisplayRole).toString();
    EXPECT_NE(ratio, QStringLiteral("—"));
    EXPECT_GT(model->data(model->index(row, ResultsModel::GilModelVsReal), Qt::UserRole).toDouble(),
              0.0);
    // ...in a column the window shows only when there is something to compare.
    bool shown = false;
    for (QTableView* t : w.findChildren<QTableView*>()) {
        auto* proxy = qobject_cast<QAbstractProxyModel*>(t->model());
        if (proxy != nullptr && proxy->sourceModel() == model)
            shown = !t->isColumnHidden(ResultsModel::GilModelVsReal);
    }
    EXPECT_TRUE(shown);
    EXPECT_TRUE(w.statusText().contains(QStringLiteral("model vs real")))
        << w.statusText().toStdString();

    auto* timeline = static_cast<TimelineChart*>(w.chart("timeline"));
    int pyRun = -1;
    for (const auto& [index, label] : timeline->runLabels())
        if (label.contains(QStringLiteral("py:threads (CPython"))) pyRun = index;
    ASSERT_GE(pyRun, 0);
    w.showTimelineRun(pyRun);
    EXPECT_GT(timeline->shownSegments(), 0u);
    const RunResult& run = model->runs()[static_cast<std::size_t>(row)];
    if (run.gilWaitInferred) {
        bool named = false;
        for (const QString& n : timeline->legendNames())
            named = named || n.contains(QStringLiteral("inferred"));
        EXPECT_TRUE(named);
    }
    EXPECT_EQ(static_cast<SpeedupChart*>(w.chart("speedup"))->measuredCurves(), 2);
    EXPECT_TRUE(test::spinUntil([] { return test::childPids().empty(); }, 5000));
}

TEST(PythonPanel, AUsersPythonFunctionOffersOnlyThePyModels) {
    ExperimentPanel panel;
    Experiment e = ExperimentPanel::defaultExperiment();
    e.workload = "python";
    const std::string file =
        std::string(COREDUEL_FIXTURE_DIR) + "/python_function/guide_factorial.py";
    e.params = {{"file", file}, {"function", "calculate_factorial"}, {"inputs", "[1, 2]"}};
    e.models = {Model::PySequential, Model::PyThreads};
    panel.setExperiment(e);
    // The engine's models cannot run a Python function: off, and not offered.
    EXPECT_FALSE(panel.modelBox(Model::Sequential)->isChecked());
    EXPECT_FALSE(panel.modelBox(Model::Threads)->isEnabled());
    EXPECT_FALSE(panel.modelBox(Model::Processes)->isChecked());
    EXPECT_TRUE(panel.modelBox(Model::PySequential)->isChecked()) << "its baseline";
    const auto models = panel.experiment().models;
    EXPECT_EQ(std::count(models.begin(), models.end(), Model::Sequential), 0);
    EXPECT_FALSE(panel.validationError().contains(QStringLiteral("runs only under")))
        << panel.validationError().toStdString();
    // Back to a built-in workload: the engine's models are offered again.
    e = ExperimentPanel::defaultExperiment();
    panel.setExperiment(e);
    EXPECT_TRUE(panel.modelBox(Model::Sequential)->isChecked());
    EXPECT_TRUE(panel.modelBox(Model::Threads)->isEnabled());
}

TEST(PythonPanel, YourCodesFieldsOfferTheFilesFunctionsAndABrowseButton) {
    ExperimentPanel panel;
    Experiment e = userFunction("guide_factorial.py", "calculate_factorial");
    panel.setExperiment(e);
    auto* chooser = panel.findChild<QComboBox*>(QStringLiteral("function-chooser"));
    ASSERT_NE(chooser, nullptr);
    ASSERT_EQ(chooser->count(), 1) << "the one function the guide's file defines";
    EXPECT_EQ(chooser->itemText(0), QStringLiteral("calculate_factorial"));
    EXPECT_EQ(chooser->currentText(), QStringLiteral("calculate_factorial"));
    EXPECT_NE(panel.findChild<QToolButton*>(QStringLiteral("browse-file")), nullptr);
    // Another file: the list follows it, the name typed stays until one is chosen.
    const std::string other =
        std::string(COREDUEL_FIXTURE_DIR) + "/python_function/guide_square.py";
    e.params["file"] = other;
    panel.setExperiment(e);
    chooser = panel.findChild<QComboBox*>(QStringLiteral("function-chooser"));
    ASSERT_NE(chooser, nullptr);
    EXPECT_TRUE(chooser->findText(QStringLiteral("worker_function")) >= 0);
    // The file is not imported to check the name (a run does, after asking): no error yet.
    EXPECT_FALSE(panel.validationError().contains(QStringLiteral("has no function")))
        << panel.validationError().toStdString();
    chooser->setCurrentIndex(chooser->findText(QStringLiteral("worker_function")));
    EXPECT_EQ(panel.experiment().params.at("function"), "worker_function");
    EXPECT_TRUE(panel.validationError().isEmpty()) << panel.validationError().toStdString();
    // A native kernel's library has its Browse… button too.
    e = ExperimentPanel::defaultExperiment();
    e.workload = "native";
    panel.setExperiment(e);
    EXPECT_NE(panel.findChild<QToolButton*>(QStringLiteral("browse-library")), nullptr);
}

TEST(PythonPanel, TopLevelFunctionsAreReadAsTextNotImported) {
    const QString source = QStringLiteral(
        "import os\n"
        "def first(x):\n    def inner(y):\n        return y\n    return x\n"
        "async def second(x): return x\n"
        "class C:\n    def method(self): pass\n"
        "def first(x): return 2\n"  // redefined: listed once
        "if __name__ == \"__main__\":\n    def hidden(x): return x\n"
        "defined = 1\n");
    EXPECT_EQ(topLevelFunctions(source), (QStringList{"first", "second"}));
}

TEST(PythonPanel, ShowingOrEditingYourCodeNeverImportsIt) {
    // import_marker.py leaves a line in $COREDUEL_IMPORT_MARKER each time it is imported. The
    // panel checks the experiment on every keystroke and when a session or result is shown:
    // none of that may run the file (a walkthrough found the interpreter run per keystroke).
    QTemporaryDir dir;
    const QString marker = dir.filePath(QStringLiteral("imported"));
    qputenv("COREDUEL_IMPORT_MARKER", marker.toUtf8());
    ExperimentPanel panel;
    panel.setExperiment(userFunction("import_marker.py", "double"));
    auto* inputs = panel.findChild<QComboBox*>(QStringLiteral("function-chooser"));
    ASSERT_NE(inputs, nullptr);
    EXPECT_EQ(inputs->findText(QStringLiteral("double")), 0) << "read as text";
    inputs->setEditText(QStringLiteral("doubl"));
    inputs->setEditText(QStringLiteral("double"));
    (void)panel.experiment();
    qunsetenv("COREDUEL_IMPORT_MARKER");
    EXPECT_FALSE(QFile::exists(marker)) << "the panel imported the user's file";
}

TEST(PythonPanel, WhatARunRecordedIsShownNotTypedAndGoesWithAnotherFile) {
    // A reopened run's file_sha256, file_bytes and interpreter were editable fields: a typo
    // there made a rerun refuse its own file, and nothing said how to run the file as it is.
    ExperimentPanel panel;
    Experiment e = userFunction("guide_factorial.py", "calculate_factorial");
    e.params["file_sha256"] = std::string(64, 'a');
    e.params["file_bytes"] = "123";
    panel.setExperiment(e);
    for (const char* name : {"param-file_sha256", "param-file_bytes", "param-python"}) {
        auto* field = panel.findChild<QLineEdit*>(QString::fromLatin1(name));
        ASSERT_NE(field, nullptr) << name;
        EXPECT_TRUE(field->isReadOnly()) << name;
    }
    EXPECT_EQ(panel.experiment().params.at("file_sha256"), std::string(64, 'a')) << "kept";
    // Another file (or the same chosen again): the recorded hash and size described the old.
    auto* file = panel.findChild<QLineEdit*>(QStringLiteral("param-file"));
    ASSERT_NE(file, nullptr);
    file->setText(QString::fromStdString(std::string(COREDUEL_FIXTURE_DIR) +
                                         "/python_function/guide_square.py"));
    const auto params = panel.experiment().params;
    EXPECT_EQ(params.count("file_sha256"), 0U);
    EXPECT_EQ(params.count("file_bytes"), 0U);
}

TEST(PythonPanel, ANativeKernelsOwnParametersHaveAFieldAndSurviveAReopenedExperiment) {
    // The walkthrough could not give the kernel tasks= or steps= in the window, and a reopened
    // experiment lost fail_task= and fail_mode= silently when run or saved again.
    ExperimentPanel panel;
    Experiment e = ExperimentPanel::defaultExperiment();
    e.workload = "native";
    e.params = {{"library", "/bin/sh"}, {"tasks", "6"}, {"fail_task", "3"}, {"fail_mode", "segv"}};
    e.models = {Model::Sequential, Model::Threads};
    panel.setExperiment(e);
    auto* own = panel.findChild<QLineEdit*>(QStringLiteral("kernel-params"));
    ASSERT_NE(own, nullptr);
    EXPECT_EQ(own->text(), QStringLiteral("fail_mode=segv fail_task=3 tasks=6"));
    const auto params = panel.experiment().params;
    EXPECT_EQ(params.at("tasks"), "6");
    EXPECT_EQ(params.at("fail_task"), "3");
    EXPECT_EQ(params.at("fail_mode"), "segv");
    EXPECT_EQ(params.at("library"), "/bin/sh");
    own->setText(QStringLiteral("tasks=8 steps"));
    EXPECT_TRUE(panel.validationError().contains(QStringLiteral("'steps' is not key=value")))
        << panel.validationError().toStdString();
    // A library that is not there shows as it is typed (looked at, never loaded), not after Run.
    own->setText(QStringLiteral("tasks=8"));
    auto* library = panel.findChild<QLineEdit*>(QStringLiteral("param-library"));
    ASSERT_NE(library, nullptr);
    library->setText(QStringLiteral("/nonexistent/libmine.so"));
    EXPECT_TRUE(panel.validationError().contains(QStringLiteral("is not a file")))
        << panel.validationError().toStdString();
}

TEST(PythonPanel, WhatWasTypedForAWorkloadComesBackWhenTheUserReturnsToIt) {
    // python -> native -> python kept no file, function or inputs (the walkthrough).
    ExperimentPanel panel;
    panel.setExperiment(userFunction("guide_factorial.py", "calculate_factorial"));
    QComboBox* workloads = nullptr;
    for (QComboBox* c : panel.findChildren<QComboBox*>())
        if (c->findData(QStringLiteral("native")) >= 0) workloads = c;
    ASSERT_NE(workloads, nullptr);
    const std::string file = panel.experiment().params.at("file");
    workloads->setCurrentIndex(workloads->findData(QStringLiteral("native")));
    EXPECT_EQ(panel.findChild<QLineEdit*>(QStringLiteral("param-file")), nullptr);
    workloads->setCurrentIndex(workloads->findData(QStringLiteral("python")));
    const auto params = panel.experiment().params;
    ASSERT_EQ(params.count("file"), 1U);
    EXPECT_EQ(params.at("file"), file);
    EXPECT_EQ(params.at("function"), "calculate_factorial");
    EXPECT_EQ(params.at("inputs"), "[1, 2]");
    // Showing an experiment shows exactly its parameters, not what was typed before.
    Experiment other = userFunction("guide_square.py", "worker_function");
    other.params.erase("inputs");
    panel.setExperiment(other);
    EXPECT_EQ(panel.experiment().params.count("inputs"), 0U);
}
