#include "tests/ui/layout_fixtures.h"

#include <gtest/gtest.h>

#include <QDir>

#include "core/run/analysis.h"
#include "tests/ui/ui_support.h"
#include "ui/window/main_window.h"
#include "ui/plots/core_heat_chart.h"
#include "ui/plots/timeline_chart.h"

namespace coreduel::test {

using namespace coreduel::ui;

QString artifactDir() {
    const QString dir = QStringLiteral(COREDUEL_ARTIFACT_DIR);
    QDir().mkpath(dir);
    return dir;
}

/// Wall seconds a model plausibly takes with `w` workers on 8 cores (sequential: 2 s).
double wallFor(Model m, unsigned w, unsigned rep) {
    const double jitter = 1.0 + 0.02 * rep;
    switch (m) {
        case Model::Sequential:
            return 2.0 * jitter;
        case Model::Threads:
            return (0.1 + 1.9 / w) * jitter;
        case Model::GilThreads:
            return (2.05 + 0.02 * w) * jitter;
        case Model::Processes:
            return (0.25 + 1.9 / w) * jitter;
        case Model::Mpi:
            return (0.2 + 1.9 / w) * jitter;
        // The interpreter: thirty times slower, its threads serialised by its GIL.
        case Model::PySequential:
            return 60.0 * jitter;
        case Model::PyThreads:
            return (60.5 + 0.3 * w) * jitter;
        case Model::PyProcesses:
            return (0.8 + 60.0 / w) * jitter;
    }
    return 2.0;
}

constexpr const char* kInterpreter = "CPython 3.11.2 (/usr/bin/python3), GIL enabled";

ExperimentResult syntheticResult(bool python) {
    ExperimentResult r;
    r.experiment.workload = "primes";
    r.experiment.models = allModels();
    if (python) {
        r.experiment.models.insert(r.experiment.models.end(), pythonModels().begin(),
                                   pythonModels().end());
        r.environment.python = kInterpreter;
    }
    r.experiment.workerCounts = {1, 2, 4, 8};
    r.experiment.repetitions = 3;
    r.environment.logicalCpus = kCores;
    r.environment.physicalCores = kCores / 2;
    r.environment.allowedCpus = kCores;
    r.environment.cpuModel = "Synthetic CPU";
    r.environment.loadAverage1m = 3.5;
    r.baselineWallSeconds = 2.0;
    for (unsigned rep = 0; rep < 3; ++rep) {
        for (Model m : r.experiment.models) {
            for (unsigned w : {1u, 2u, 4u, 8u}) {
                RunResult run;
                run.config.model = m;
                run.config.workers = isSequential(m) ? 1 : w;
                run.config.repetition = rep;
                run.workload = "primes";
                run.ok = true;
                run.tasks = kTasks;
                run.chunks = 64;
                run.wallSeconds = wallFor(m, run.config.workers, rep);
                run.cpuUserSeconds = m == Model::GilThreads ? 2.1 : 1.95 + 0.02 * w;
                run.cpuSystemSeconds = m == Model::Processes ? 0.05 * w : 0.01;
                run.enginePeakRssKib = 60 * 1024;
                run.workersPeakRssKib = m == Model::Processes ? 12 * 1024 * w : 0;
                run.speedup = (isPython(m) ? 60.0 : 2.0) / run.wallSeconds;
                if (isPython(m)) run.interpreter = kInterpreter;
                run.gilWaitInferred = m == Model::PyThreads;
                run.efficiency = *run.speedup / run.config.workers;
                const double perWorker = run.wallSeconds * 1e9;
                run.time.computeNs = static_cast<std::int64_t>(1.9e9);
                run.time.startupNs = m == Model::Processes ? 30'000'000 * w : 100'000;
                run.time.transferNs = m == Model::Processes ? 20'000'000 : 0;
                run.time.lockWaitNs = m == Model::GilThreads || m == Model::PyThreads
                                          ? static_cast<std::int64_t>(perWorker * (w - 1))
                                          : 0;
                run.time.idleNs = static_cast<std::int64_t>(perWorker * 0.05 * w);
                r.runs.push_back(run);
                if (isSequential(m)) break;
            }
        }
    }
    r.analysis = analyze(r);
    return r;
}

void feedLiveCharts(MainWindow& w, bool python, unsigned cores, unsigned workers) {
    auto* timeline = dynamic_cast<TimelineChart*>(w.chart(QStringLiteral("timeline")));
    ASSERT_NE(timeline, nullptr);
    RunConfig config;
    config.model = python ? Model::PyThreads : Model::Processes;
    config.workers = workers;
    timeline->beginRun(0, config);
    std::vector<TaskEvent> events;
    const std::int64_t origin = 1'000'000'000;
    for (std::uint64_t t = 0; t < kTasks; ++t) {
        TaskEvent e;
        e.task = t;
        e.worker = static_cast<std::uint32_t>(t % workers);
        e.pid = 1000 + static_cast<int>(e.worker);
        e.startNs = origin + static_cast<std::int64_t>(t / workers) * 8'000'000;
        e.endNs = e.startNs + 7'000'000;
        if (python) {
            e.cpuNs = 2'000'000;
            e.gilWaitNs = 5'000'000;
        }
        events.push_back(e);
    }
    timeline->addEvents(0, events);
    if (python) timeline->setInterpreter(0, kInterpreter, true);

    auto* heat = dynamic_cast<CoreHeatChart*>(w.chart(QStringLiteral("cores")));
    if (heat == nullptr) heat = dynamic_cast<CoreHeatChart*>(w.charts().front());
    ASSERT_NE(heat, nullptr);
    heat->setOrigin(origin);
    std::vector<UtilizationSample> samples;
    for (int i = 1; i <= 100; ++i) {
        UtilizationSample s;
        s.windowNs = 50'000'000;
        s.timeNs = origin + i * s.windowNs;
        for (unsigned c = 0; c < cores; ++c) {
            CoreUsage u;
            u.user = c < cores / 2 ? 0.9F : 0.1F;
            u.system = 0.05F;
            u.idle = 1 - u.user - u.system;
            s.cores.push_back(u);
        }
        samples.push_back(s);
    }
    heat->addSamples(samples);
    heat->addRunSpan(0, config, origin, origin + 5'000'000'000);
    if (python) {
        RunConfig baseline;
        baseline.model = Model::PySequential;
        heat->addRunSpan(1, baseline, origin - 3'000'000'000, origin);
    }
}

void replotAll(MainWindow& w) {
    spinUntil([] { return false; }, 150);
    for (Chart* c : w.charts()) c->replot(QCustomPlot::rpImmediateRefresh);
}

}  // namespace coreduel::test
