#include "core/report/console_sink.h"

#include "core/report/table_report.h"

namespace coreduel {

void ConsoleSink::experimentStarted(const Experiment& e, std::size_t plannedRuns) {
    m_planned = plannedRuns;
    if (!m_quiet) m_out << "running " << e.workload << ": " << plannedRuns << " runs\n" << std::flush;
}

void ConsoleSink::runFinished(std::size_t runIndex, const RunResult& r) {
    if (m_quiet) return;
    m_out << "[" << runIndex + 1 << "/" << m_planned << "] " << formatRunLine(r) << '\n' << std::flush;
}

}  // namespace coreduel
