#pragma once
// An EventSink for terminals: one line per finished run on a stream (stderr by default).

#include <ostream>

#include "core/run/event_sink.h"

namespace coreduel {

class ConsoleSink : public EventSink {
public:
    explicit ConsoleSink(std::ostream& out, bool quiet) : m_out(out), m_quiet(quiet) {}
    void experimentStarted(const Experiment& e, std::size_t plannedRuns) override;
    void runFinished(std::size_t runIndex, const RunResult& r) override;

private:
    std::ostream& m_out;
    bool m_quiet;
    std::size_t m_planned = 0;
};

}  // namespace coreduel
