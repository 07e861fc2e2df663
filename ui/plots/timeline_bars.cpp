// The worker timeline's lanes: what each task event (and each exact GIL interval) of a run is
// drawn as. Built into the plottable as events arrive, or into lanes of their own on a job's
// thread (prepareRun: no Qt object is touched here) for a reopened session.
#include <algorithm>
#include <limits>

#include "ui/plots/timeline_chart.h"
#include "ui/plots/timeline_states.h"

namespace coreduel::ui {

using namespace timeline_states;  // Seg

void TimelineChart::BarOut::add(int lane, const LaneSegment& s) {
    if (bars != nullptr)
        bars->add(lane, s);
    else
        LaneRects::addTo(*lanes, lane, s);
}

void TimelineChart::BarOut::reserve(int lane, std::size_t more) {
    if (bars != nullptr)
        bars->reserve(lane, more);
    else
        LaneRects::reserveIn(*lanes, lane, more);
}

void TimelineChart::addSegment(BarOut& out, int lane, std::int64_t a, std::int64_t b, int state,
                               std::uint32_t event, std::int64_t originNs) {
    if (b <= a) return;
    auto ms = [originNs](std::int64_t ns) { return static_cast<double>(ns - originNs) / 1e6; };
    // The segment itself carries what its tooltip needs: the state as its value (also its
    // colour) and the event as its tag. No side table: a million tasks' bars are 32 MB already.
    out.add(lane, LaneSegment{ms(a), ms(b), static_cast<float>(state), event});
}

void TimelineChart::appendBars(const Run& run, std::size_t from, BarOut& out) {
    const unsigned workers = std::max(1u, run.config.workers);
    if (out.laneLastEnd.size() < workers) out.laneLastEnd.resize(workers, 0);
    if (from == 0 && run.events.size() >= 65536) {
        // A whole run at once (reopened, or picked): room for about two bars per task up
        // front, instead of doubling each lane's vector a dozen times and faulting in every
        // buffer on the way.
        std::vector<std::size_t> perLane(workers, 0);
        for (const TaskEvent& e : run.events)
            if (e.worker < workers) ++perLane[e.worker];
        for (unsigned w = 0; w < workers; ++w) out.reserve(static_cast<int>(w), 2 * perLane[w]);
    }
    for (std::size_t i = from; i < run.events.size(); ++i) {
        const TaskEvent& e = run.events[i];
        const int lane = static_cast<int>(e.worker);
        if (e.worker >= out.laneLastEnd.size()) out.laneLastEnd.resize(e.worker + 1, 0);
        std::int64_t& lastEnd = out.laneLastEnd[e.worker];
        const auto ev = static_cast<std::uint32_t>(i);
        // Exact GIL intervals cover this lane up to where its recording stopped.
        if (run.gil && e.worker < out.gilCoveredUntil.size() &&
            e.endNs <= out.gilCoveredUntil[e.worker]) {
            lastEnd = std::max(lastEnd, e.endNs);
            continue;
        }
        if (e.sentNs > 0)
            addSegment(out, lane, std::max(lastEnd, e.sentNs), e.startNs, Transfer, ev,
                       run.originNs);
        // The wait before the task ended when it started: exact.
        const std::int64_t before = std::clamp<std::int64_t>(e.gilWaitBeforeNs, 0, e.gilWaitNs);
        addSegment(out, lane, std::max(lastEnd, e.startNs - before), e.startNs, GilWait, ev,
                   run.originNs);
        // Inside the task only the totals are known: drawn as shares, on CPU first.
        const std::int64_t onCpu = taskOnCpuNs(e);
        const std::int64_t wait = std::min(taskGilWaitInsideNs(e), e.endNs - e.startNs - onCpu);
        addSegment(out, lane, e.startNs, e.startNs + onCpu, OnCpu, ev, run.originNs);
        addSegment(out, lane, e.startNs + onCpu, e.startNs + onCpu + wait, GilWait, ev,
                   run.originNs);
        addSegment(out, lane, e.startNs + onCpu + wait, e.endNs, Blocked, ev, run.originNs);
        lastEnd = std::max(lastEnd, e.endNs);
    }
}

void TimelineChart::appendExactGilBars(const Run& run, BarOut& out) {
    // Per lane, sweep the cut points of its (non-overlapping) GIL intervals and tasks: each
    // elementary span is in at most one interval and one task.
    const GilTimeline& g = *run.gil;
    const unsigned lanes = std::max(1u, run.config.workers);
    std::vector<std::vector<const GilInterval*>> ivs(lanes);
    for (const auto& iv : g.intervals)
        if (iv.worker < lanes) ivs[iv.worker].push_back(&iv);
    std::vector<std::vector<std::uint32_t>> tasks(lanes);
    for (std::size_t i = 0; i < run.events.size(); ++i)
        if (run.events[i].worker < lanes) tasks[run.events[i].worker].push_back(i);
    out.gilCoveredUntil.assign(lanes, 0);
    out.dropKeys.clear();
    out.dropValues.clear();
    for (unsigned w = 0; w < lanes; ++w) {
        auto& ti = tasks[w];
        std::sort(ti.begin(), ti.end(), [&](std::uint32_t a, std::uint32_t b) {
            return run.events[a].startNs < run.events[b].startNs;
        });
        const bool truncated = w < g.droppedPerWorker.size() && g.droppedPerWorker[w] > 0;
        const std::int64_t coveredUntil = truncated ? (ivs[w].empty() ? 0 : ivs[w].back()->endNs)
                                                    : std::numeric_limits<std::int64_t>::max();
        out.gilCoveredUntil[w] = coveredUntil;
        std::vector<std::int64_t> cuts;
        for (const auto* iv : ivs[w]) {
            cuts.push_back(iv->startNs);
            cuts.push_back(iv->endNs);
            if (iv->kind == GilInterval::Hold && iv->forced) {
                out.dropKeys.push_back(static_cast<double>(iv->endNs - run.originNs) / 1e6);
                out.dropValues.push_back(w - 0.42);
            }
        }
        for (auto t : ti) {
            if (run.events[t].endNs > coveredUntil) continue;
            cuts.push_back(run.events[t].startNs);
            cuts.push_back(run.events[t].endNs);
        }
        std::sort(cuts.begin(), cuts.end());
        cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
        std::size_t iv = 0, tk = 0;
        int openState = -1;
        std::uint32_t openEvent = kNoEvent;
        std::int64_t openStart = 0, openEnd = 0;
        for (std::size_t c = 0; c + 1 < cuts.size(); ++c) {
            const std::int64_t a = cuts[c], b = cuts[c + 1];
            while (iv < ivs[w].size() && ivs[w][iv]->endNs <= a) ++iv;
            while (tk < ti.size() && run.events[ti[tk]].endNs <= a) ++tk;
            const GilInterval* in =
                iv < ivs[w].size() && ivs[w][iv]->startNs <= a ? ivs[w][iv] : nullptr;
            const TaskEvent* task = tk < ti.size() && run.events[ti[tk]].startNs <= a &&
                                            run.events[ti[tk]].endNs <= coveredUntil
                                        ? &run.events[ti[tk]]
                                        : nullptr;
            int state = -1;
            if (in != nullptr && in->kind == GilInterval::Wait) {
                state = GilWait;
            } else if (in != nullptr) {
                state = task != nullptr ? OnCpuGil : HeldBetween;
            } else if (task == nullptr && !ivs[w].empty() && a >= ivs[w].front()->startNs &&
                       b <= ivs[w].back()->endNs) {
                // Between two of its intervals, outside any task: the worker let go at a chunk's
                // end and has not asked again yet (on a busy machine: it was not running).
                state = BetweenNoGil;
            } else if (task != nullptr) {
                // Not holding, not waiting: the task released the GIL. Its CPU time says whether
                // it ran (native code) or sat blocked.
                state = taskBlockedNs(*task) * 2 >=
                                (task->endNs - task->startNs) - taskGilWaitInsideNs(*task)
                            ? BlockedNoGil
                            : NativeNoGil;
                if (!run.config.gilReleasedByTasks) state = BlockedNoGil;
            }
            const std::uint32_t event = task != nullptr ? ti[tk] : kNoEvent;
            if (state == openState && event == openEvent && a == openEnd) {
                openEnd = b;
                continue;
            }
            if (openState >= 0)
                addSegment(out, int(w), openStart, openEnd, openState, openEvent, run.originNs);
            openState = state;
            openEvent = event;
            openStart = a;
            openEnd = b;
        }
        if (openState >= 0)
            addSegment(out, int(w), openStart, openEnd, openState, openEvent, run.originNs);
    }
}

std::int64_t TimelineChart::originOf(const TaskEvent& first) {
    return first.sentNs > 0 ? std::min(first.sentNs, first.startNs) : first.startNs;
}

std::shared_ptr<TimelineChart::PreparedRun> TimelineChart::prepareRun(
    const RunConfig& config, std::vector<TaskEvent>& events,
    std::shared_ptr<const GilTimeline> gil) {
    auto p = std::make_shared<PreparedRun>();
    // The events are borrowed into a run of its own and given back: no copy.
    Run run;
    run.config = config;
    if (gil && gil->recorded()) run.gil = std::move(gil);
    if (!events.empty()) run.originNs = originOf(events.front());
    run.events = std::move(events);
    BarOut out;
    out.lanes = &p->lanes.lanes;
    p->lanes.lanes.resize(std::max(1u, config.workers));
    if (run.gil) appendExactGilBars(run, out);
    appendBars(run, 0, out);
    LaneRects::prepare(p->lanes);
    p->dropKeys = std::move(out.dropKeys);
    p->dropValues = std::move(out.dropValues);
    p->laneLastEnd = std::move(out.laneLastEnd);
    p->gilCoveredUntil = std::move(out.gilCoveredUntil);
    p->events = run.events.size();
    events = std::move(run.events);
    return p;
}

}  // namespace coreduel::ui
