#pragma once
// A session in the Chrome Trace Event format (the JSON that Perfetto, chrome://tracing and
// speedscope open):
//   - one process per run ("run 3: processes ×2"; in a lesson's session, per run of each part:
//     "part 2 (with a lock) · run 3: threads ×2"), one thread per worker, named by metadata;
//   - every task a complete ("X") slice with its numbers as arguments;
//   - gil-threads: the worker's GIL holds and waits as slices nested inside the task they fall
//     in (clipped to it), and as top-level slices between tasks, so every slice nests properly;
//   - per-core utilization as counter ("C") tracks under a "machine" process.
// Times are microseconds from the session's first event, in steps of 1/1024 µs (0.98 ns): exact
// in the viewers' floating point, so slices that share an edge nest (see chrome_trace.cpp).

#include <ostream>

#include "core/session/session.h"

namespace coreduel {

struct ChromeTraceStats {
    std::size_t slices = 0;
    std::size_t counters = 0;
    std::size_t metadata = 0;
};

/// Writes the trace; throws std::ios_base::failure-free: check the stream afterwards.
ChromeTraceStats writeChromeTrace(const Session& session, std::ostream& out);

}  // namespace coreduel
