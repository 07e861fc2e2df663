#pragma once
// The live view's budget: while a run is measured the window may take about 1 % of one core,
// its X server's drawing included, from the machine it measures. The GUI thread's own CPU
// time (CLOCK_THREAD_CPUTIME_ID) is read every few seconds; where the view cost more than its
// share, over the last few seconds or since the measurement began, the charts redraw less
// often, and more often again (down to the chosen refresh) where both cost less. A slow machine, a
// 4K screen or a 128-core strip get a slower live view instead of slower runs. The refresh it
// settled on is reported with the run's cost.

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>
#include <cstdint>

namespace coreduel::ui {

class LiveBudget : public QObject {
    Q_OBJECT
public:
    /// The GUI thread's share of one core, in percent, that the live view aims at: the X
    /// server's drawing costs about a third of the window's again (measured on Xvfb), so
    /// 0.7 % leaves the whole view near 1 %.
    static constexpr double kGuiPercent = 0.7;
    static constexpr int kMaxRefreshMs = 8000;  // slower than this is no longer live

    explicit LiveBudget(QObject* parent = nullptr);

    /// Measuring from now at `refreshMs` (the fastest it will go); emits refreshChanged.
    void start(int refreshMs);
    void stop();
    [[nodiscard]] int refreshMs() const { return m_refreshMs; }
    /// The slowest refresh this measurement needed (its report says so); 0 before a start.
    [[nodiscard]] int slowestRefreshMs() const { return m_slowestMs; }

    /// The next refresh for a view that used `usedPercent` of one core at `refreshMs`: its
    /// cost scales with the redraws, so the refresh scales with the overrun (half-way, so
    /// one noisy window does not swing it), within [fastestMs, kMaxRefreshMs].
    [[nodiscard]] static int adjusted(int refreshMs, double usedPercent, int fastestMs);

signals:
    void refreshChanged(int refreshMs);

private:
    void check();

    QTimer m_timer;
    QElapsedTimer m_wall;
    std::int64_t m_cpuNs = 0;       // the thread's CPU clock at the last check
    std::int64_t m_startCpuNs = 0;  // and at the start
    qint64 m_sinceStart = 0;        // wall time since the start, in ns
    int m_fastestMs = 1000;
    int m_refreshMs = 1000;
    int m_slowestMs = 0;
};

}  // namespace coreduel::ui
