// coreduel-ui-bench: what the live charts cost to redraw, as ratios of the 33 ms frame budget
// (a 30 Hz replot), and what a session of that many task events costs to save and reopen.
// Offscreen, so it runs anywhere:
//   build/bench/coreduel-ui-bench [TASKS] [WORKERS]
// Prints one line per case and "PASS"/"FAIL" against the budget; exit status 1 on FAIL.

#include <QApplication>
#include <QElapsedTimer>
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include <unistd.h>

#include <span>
#include <string>

#include "core/session/session.h"
#include "ui/plots/core_heat_chart.h"
#include "ui/plots/lane_rects.h"
#include "ui/plots/timeline_chart.h"

using namespace coreduel;
using namespace coreduel::ui;

namespace {

constexpr double kBudgetMs = 33.0;

/// Median wall time of `reps` full redraws of `chart` at 1600x500, in ms.
double medianRedrawMs(Chart& chart, int reps = 15) {
    std::vector<double> ms;
    for (int i = 0; i < reps; ++i) {
        QElapsedTimer t;
        t.start();
        (void)chart.toPixmap(1600, 500);
        ms.push_back(static_cast<double>(t.nsecsElapsed()) / 1e6);
    }
    std::sort(ms.begin(), ms.end());
    return ms[ms.size() / 2];
}

bool report(const char* what, double ms, std::size_t rects) {
    const double ratio = ms / kBudgetMs;
    std::printf("%-58s %7.2f ms  %6zu rects  %.2f of the %.0f ms frame  %s\n", what, ms, rects,
                ratio, kBudgetMs, ratio <= 1.0 ? "PASS" : "FAIL");
    return ratio <= 1.0;
}

}  // namespace

int main(int argc, char** argv) {
    ::setenv("QT_QPA_PLATFORM", "offscreen", 0);
    QApplication app(argc, argv);
    const long tasks = argc > 1 ? std::atol(argv[1]) : 100000;
    const int workers = argc > 2 ? std::atoi(argv[2]) : 16;
    if (tasks < 1 || workers < 1) {
        std::fprintf(stderr, "usage: coreduel-ui-bench [TASKS >= 1] [WORKERS >= 1]\n");
        return 2;
    }
    bool ok = true;

    TimelineChart timeline;
    RunConfig config;
    config.model = Model::GilThreads;
    config.workers = static_cast<unsigned>(workers);
    timeline.beginRun(0, config);
    std::vector<TaskEvent> events;
    for (long i = 0; i < tasks; ++i) {
        TaskEvent e;
        e.task = static_cast<std::uint64_t>(i);
        e.worker = static_cast<std::uint32_t>(i % workers);
        e.startNs = 1'000'000'000 + (i / workers) * 20'000;
        e.endNs = e.startNs + 15'000;
        e.gilWaitNs = e.gilWaitBeforeNs = (i % 3 == 0) ? 4'000 : 0;
        events.push_back(e);
    }
    // The same events through a session file: saved, reopened, drawn from what was read.
    {
        const std::string path =
            "/tmp/coreduel-ui-bench-" + std::to_string(::getpid()) + ".coreduel";
        QElapsedTimer t;
        t.start();
        {
            SessionRecorder recorder(path);
            Experiment e;
            recorder.experimentStarted(e, 1);
            recorder.runStarted(0, config);
            for (std::size_t i = 0; i < events.size(); i += 4096)
                recorder.taskEvents(0, std::span<const TaskEvent>(events).subspan(
                                           i, std::min<std::size_t>(4096, events.size() - i)));
            recorder.close();
        }
        const double saveMs = static_cast<double>(t.nsecsElapsed()) / 1e6;
        t.restart();
        Session reopened = loadSession(path);
        const double loadMs = static_cast<double>(t.nsecsElapsed()) / 1e6;
        std::printf(
            "%-58s %7.2f ms save, %.2f ms reopen, %.2f bytes per task event (regular\n"
            "%-58s synthetic events compress far better than a real run's ~5)\n",
            (std::to_string(tasks) + "-task session").c_str(), saveMs, loadMs,
            double(reopened.fileBytes) / double(std::max<std::size_t>(1, reopened.taskEvents)), "");
        events = std::move(
            reopened.parts.at(0).runs.at(0).events);  // the timeline draws what was read back
        std::remove(path.c_str());
    }
    // What reopening costs the window after loadSession: the events into the timeline, then
    // its first redraw, which also sums up the level-of-detail groups (later redraws reuse
    // them). Reported, not held to the frame: it happens once per reopen.
    (void)timeline.toPixmap(1600, 500);  // Qt's own first-paint set-up, as in a running window
    QElapsedTimer t;
    // The window builds the shown run's lanes on the job's thread that read the file.
    t.start();
    auto prepared = TimelineChart::prepareRun(config, events, nullptr);
    const double prepareMs = static_cast<double>(t.nsecsElapsed()) / 1e6;
    std::printf("%-58s %7.2f ms  (on the job's thread, not the GUI's)\n",
                "timeline, reopened: lanes built and summed up", prepareMs);
    t.restart();
    // As RunViews::replay: the replayed events copied in (the session keeps its own), the
    // lanes built once at the end of the batch, from the prepared ones.
    timeline.beginBatch();
    timeline.addEvents(0, std::vector<TaskEvent>(events));
    timeline.endBatch(prepared);
    const double addMs = static_cast<double>(t.nsecsElapsed()) / 1e6;
    t.restart();
    (void)timeline.toPixmap(1600, 500);
    const double firstMs = static_cast<double>(t.nsecsElapsed()) / 1e6;
    std::printf("%-58s %7.2f ms  (replayed: a copy, lanes prepared)\n",
                "timeline, reopened: events and lanes into the chart", addMs);
    std::printf("%-58s %7.2f ms  (once; includes building the level of detail)\n",
                "timeline, first redraw after reopen", firstMs);
    std::printf("%-58s %7.2f ms  %.2f of the %.0f ms frame\n",
                "  GUI thread in all, once the file is read", addMs + firstMs,
                (addMs + firstMs) / kBudgetMs, kBudgetMs);
    auto* bars = timeline.findChild<LaneRects*>();
    char label[128];
    std::snprintf(label, sizeof label, "timeline, %ld tasks on %d lanes, whole run", tasks,
                  workers);
    double ms = medianRedrawMs(timeline);
    ok &= report(label, ms, bars->lastDrawnRects());
    // The same without the level of detail (every visible segment visited), for comparison.
    bars->setLevelOfDetail(false);
    ms = medianRedrawMs(timeline, 5);
    std::printf("%-58s %7.2f ms  %6zu rects  (for comparison, not checked)\n",
                "  the same, level of detail off", ms, bars->lastDrawnRects());
    bars->setLevelOfDetail(true);
    timeline.xAxis->setRange(10, 12);  // zoomed in: 2 ms of the run
    std::snprintf(label, sizeof label, "timeline, %ld tasks, zoomed to 2 ms", tasks);
    ms = medianRedrawMs(timeline);
    ok &= report(label, ms, bars->lastDrawnRects());

    // Ten minutes of 20 Hz samples on as many cores as workers: the heat strip's worst case.
    CoreHeatChart heat;
    heat.setHistorySeconds(600);
    heat.setVisibleSeconds(600);
    heat.setOrigin(0);
    std::vector<UtilizationSample> samples;
    for (int i = 1; i <= 600 * 20; ++i) {
        UtilizationSample s;
        s.windowNs = 50'000'000;
        s.timeNs = static_cast<std::int64_t>(i) * s.windowNs;
        s.cores.resize(static_cast<std::size_t>(workers));
        for (int c = 0; c < workers; ++c)
            s.cores[static_cast<std::size_t>(c)].user = float((i + c) % 10) / 10;
        samples.push_back(std::move(s));
    }
    heat.addSamples(samples);
    std::snprintf(label, sizeof label, "heat strip, 10 min of 20 Hz samples x %d cores", workers);
    ms = medianRedrawMs(heat);
    ok &= report(label, ms, 0);
    return ok ? 0 : 1;
}
