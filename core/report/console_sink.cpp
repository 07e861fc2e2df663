#include "core/report/console_sink.h"

#include <cstdio>

#include "core/report/table_report.h"

namespace coreduel {

void ConsoleSink::experimentStarted(const Experiment& e, std::size_t plannedRuns) {
    m_planned = plannedRuns;
    m_start = std::chrono::steady_clock::now();
    if (!m_quiet)
        m_out << "running " << e.workload << ": " << plannedRuns << " runs\n" << std::flush;
}

void ConsoleSink::runStarted(std::size_t runIndex, const RunConfig& c) {
    m_current = runIndex;
    m_label = toString(c.model);
    if (c.model == Model::Processes) m_label += std::string("/") + toString(c.startMethod);
    m_label += " x" + std::to_string(c.workers) + (c.warmup ? " (warm-up)" : "");
    if (!m_quiet && m_terminal) drawBar(0);
}

void ConsoleSink::progress(std::size_t, std::size_t done, std::size_t total) {
    if (m_quiet || !m_terminal || total == 0) return;
    const auto now = std::chrono::steady_clock::now();
    if (now - m_lastDraw < std::chrono::milliseconds(100)) return;
    drawBar(static_cast<double>(done) / static_cast<double>(total));
}

void ConsoleSink::drawBar(double runFraction) {
    m_lastDraw = std::chrono::steady_clock::now();
    const double overall = (static_cast<double>(m_current) + runFraction) /
                           static_cast<double>(std::max<std::size_t>(1, m_planned));
    const double elapsed = std::chrono::duration<double>(m_lastDraw - m_start).count();
    char eta[32] = "ETA --";
    if (overall > 0.02) std::snprintf(eta, sizeof eta, "ETA %.1f s", elapsed / overall - elapsed);
    constexpr int kWidth = 24;
    const int filled = static_cast<int>(overall * kWidth);
    char line[160];
    std::snprintf(
        line, sizeof line, "\r[%zu/%zu] %-28.28s [%s%s] %3.0f%%  %s\033[K", m_current + 1,
        m_planned, m_label.c_str(), std::string(static_cast<std::size_t>(filled), '#').c_str(),
        std::string(static_cast<std::size_t>(kWidth - filled), '.').c_str(), overall * 100, eta);
    m_out << line << std::flush;
    m_barShown = true;
}

void ConsoleSink::clearBar() {
    if (m_barShown) m_out << "\r\033[K";
    m_barShown = false;
}

void ConsoleSink::runFinished(std::size_t runIndex, const RunResult& r) {
    if (m_quiet) return;
    clearBar();
    std::string line = formatRunLine(r);
    if (m_colour) {
        // Green for a verified run, red for a failed one: the status is the last column.
        const char* code = r.ok ? "\033[32m" : "\033[31m";
        line = code + line + "\033[0m";
    }
    m_out << "[" << runIndex + 1 << "/" << m_planned << "] " << line << '\n' << std::flush;
}

void ConsoleSink::experimentFinished(const ExperimentResult&) {
    if (!m_quiet) clearBar();
    m_out << std::flush;
}

}  // namespace coreduel
