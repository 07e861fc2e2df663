#include "core/session/session_replay.h"

#include <algorithm>
#include <limits>
#include <set>
#include <span>

namespace coreduel {

namespace {

bool sameRun(const RunConfig& a, const RunConfig& b) {
    return a.model == b.model && a.workers == b.workers && a.repetition == b.repetition &&
           a.chunksize == b.chunksize && a.schedule == b.schedule &&
           a.startMethod == b.startMethod && a.transport == b.transport &&
           a.payloadBytes == b.payloadBytes && a.warmup == b.warmup;
}

std::int64_t lastEndNs(const SessionRun& run) {
    std::int64_t last = std::numeric_limits<std::int64_t>::min();
    for (const TaskEvent& e : run.events) last = std::max(last, e.endNs);
    return last;
}

}  // namespace

std::int64_t partOriginNs(const SessionPart& part) {
    std::int64_t origin = std::numeric_limits<std::int64_t>::max();
    for (const UtilizationSample& s : part.samples)
        origin = std::min(origin, s.timeNs - s.windowNs);
    for (const auto& [index, run] : part.runs)
        for (const TaskEvent& e : run.events) origin = std::min(origin, e.startNs);
    return origin == std::numeric_limits<std::int64_t>::max() ? 0 : origin;
}

std::map<std::uint32_t, const RunResult*> resultsByRun(const SessionPart& part) {
    std::map<std::uint32_t, const RunResult*> out;
    std::set<std::uint32_t> taken;
    for (const RunResult& r : part.result.runs) {
        for (const auto& [index, run] : part.runs) {
            if (taken.contains(index) || run.startLost || !sameRun(run.config, r.config)) continue;
            taken.insert(index);
            out[index] = &r;
            break;
        }
    }
    return out;
}

void replayPart(const SessionPart& part, EventSink& sink, std::size_t batch) {
    batch = std::max<std::size_t>(batch, 1);
    sink.experimentStarted(part.result.experiment, part.plannedRuns);
    // Samples in time order, each one once, handed out as the runs reach their time.
    std::vector<const UtilizationSample*> samples;
    samples.reserve(part.samples.size());
    for (const UtilizationSample& s : part.samples) samples.push_back(&s);
    std::stable_sort(samples.begin(), samples.end(),
                     [](const auto* a, const auto* b) { return a->timeNs < b->timeNs; });
    std::size_t nextSample = 0;
    auto samplesUntil = [&](std::int64_t ns) {
        for (; nextSample < samples.size() && samples[nextSample]->timeNs <= ns; ++nextSample)
            sink.utilization(*samples[nextSample]);
    };
    const auto results = resultsByRun(part);
    for (const auto& [index, run] : part.runs) {
        sink.runStarted(index, run.config);
        const std::span<const TaskEvent> events(run.events);
        for (std::size_t from = 0; from < events.size(); from += batch)
            sink.taskEvents(index, events.subspan(from, std::min(batch, events.size() - from)));
        if (run.gil && run.gil->recorded()) sink.gilTimeline(index, *run.gil);
        if (!run.events.empty()) samplesUntil(lastEndNs(run));
        // The run's own record (warm-ups have one too), else the part's result for it.
        if (run.result)
            sink.runFinished(index, *run.result);
        else if (const auto it = results.find(index); it != results.end())
            sink.runFinished(index, *it->second);
    }
    samplesUntil(std::numeric_limits<std::int64_t>::max());
    sink.experimentFinished(part.result);
}

}  // namespace coreduel
