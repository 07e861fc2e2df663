#pragma once
// A recorded part played back through an EventSink, in the order a live run reported it, so
// that whatever consumes a live run (the window's views, a console sink, a test's recorder)
// takes a reopened session the same road. Nothing is measured or computed again: every event,
// sample and result is the one recorded.

#include <cstddef>
#include <cstdint>
#include <map>

#include "core/run/event_sink.h"
#include "core/session/session.h"

namespace coreduel {

/// The clock a part's times are on: the earliest thing it recorded (a sample's window start or
/// a task's start), in the engine's CLOCK_MONOTONIC nanoseconds; 0 for a part with neither.
std::int64_t partOriginNs(const SessionPart& part);

/// Which of the part's result runs each recorded run produced, by run index: a result's run is
/// matched with the first recorded run of the same configuration (model, workers, repetition
/// and the rest) not matched yet. Warm-ups and runs whose result was lost have none.
std::map<std::uint32_t, const RunResult*> resultsByRun(const SessionPart& part);

/// Replays `part` into `sink`: experimentStarted; then, run by run in index order, runStarted,
/// its task events in batches of at most `batch`, its GIL timeline when one was recorded, and
/// runFinished with the result its RunFinished record holds (else the part's result for it,
/// see resultsByRun; none when it has neither); the per-core samples in time order
/// between the runs (those up to each run's last event before its runFinished); and
/// experimentFinished with the part's result. A part that holds only a result (a script's,
/// a skipped part) replays as experimentStarted and experimentFinished.
void replayPart(const SessionPart& part, EventSink& sink, std::size_t batch = 4096);

}  // namespace coreduel
