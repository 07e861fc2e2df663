#pragma once
// The window's cost to what it measures, as a paired goal of `coreduel-cli bench`: the same
// experiment run by the window (on the display when there is one, else offscreen) and by
// coreduel-cli, alternated; the metric is the window's speedup over the CLI's.

#include <optional>
#include <string>
#include <vector>

#include "app/bench_paired.h"

namespace coreduel::app {

class WindowBench {
public:
    /// `repetitions` of sequential, threads and processes at 2 workers, primes.
    explicit WindowBench(unsigned repetitions);
    ~WindowBench();
    WindowBench(const WindowBench&) = delete;
    WindowBench& operator=(const WindowBench&) = delete;

    [[nodiscard]] PairedGoal goal() const;
    [[nodiscard]] PairedSpec spec(unsigned rounds);
    /// The window's own account of each of its runs: its GUI thread's CPU, % of one core.
    [[nodiscard]] const std::vector<double>& guiCpuPercent() const { return m_guiCpu; }
    /// "on the display :99" or "offscreen (no display)".
    [[nodiscard]] std::string where() const;

private:
    /// Geometric mean of the threads and processes ×2 speedups in a result file.
    static double speedupOf(const std::string& resultPath);
    double inWindow();
    double inCli();

    std::string m_dir;  ///< a private temporary folder: the experiment and both results
    std::string m_experiment;
    std::string m_window, m_cli;
    bool m_display = false;
    std::vector<double> m_guiCpu;
};

}  // namespace coreduel::app
