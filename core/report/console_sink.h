#pragma once
// An EventSink for terminals. On a terminal: a progress bar with the current run and an ETA,
// redrawn at most ten times a second, and a coloured line per finished run (unless NO_COLOR is
// set). Not on a terminal: one plain line per finished run. Nothing at all when quiet.

#include <chrono>
#include <mutex>
#include <ostream>

#include "core/run/event_sink.h"

namespace coreduel {

class ConsoleSink : public EventSink {
public:
    /// `terminal` and `colour` are decided by the caller (isatty, NO_COLOR).
    ConsoleSink(std::ostream& out, bool quiet, bool terminal = false, bool colour = false)
        : m_out(out), m_quiet(quiet), m_terminal(terminal), m_colour(colour) {}
    void experimentStarted(const Experiment& e, std::size_t plannedRuns) override;
    void runStarted(std::size_t runIndex, const RunConfig& c) override;
    void progress(std::size_t runIndex, std::size_t tasksDone, std::size_t tasksTotal) override;
    void runFinished(std::size_t runIndex, const RunResult& r) override;
    void experimentFinished(const ExperimentResult& r) override;

private:
    void drawBar(double runFraction);
    void clearBar();

    std::ostream& m_out;
    bool m_quiet;
    bool m_terminal;
    bool m_colour;
    std::size_t m_planned = 0;
    std::size_t m_current = 0;
    std::string m_label;
    std::chrono::steady_clock::time_point m_start;
    std::chrono::steady_clock::time_point m_lastDraw;
    bool m_barShown = false;
};

}  // namespace coreduel
