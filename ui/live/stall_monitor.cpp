#include "ui/live/stall_monitor.h"

#include <algorithm>

namespace coreduel::ui {

StallMonitor::StallMonitor(QObject* parent, int intervalMs)
    : QObject(parent), m_intervalMs(intervalMs) {
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setInterval(intervalMs);
    connect(&m_timer, &QTimer::timeout, this, &StallMonitor::tick);
    m_clock.start();
    m_lastNs = m_clock.nsecsElapsed();
    m_timer.start();
}

void StallMonitor::reset() {
    m_maxMs = 0;
    m_over50 = 0;
    m_ticks = 0;
    m_lastNs = m_clock.nsecsElapsed();
}

void StallMonitor::tick() {
    const qint64 now = m_clock.nsecsElapsed();
    const double lateMs = static_cast<double>(now - m_lastNs) / 1e6 - m_intervalMs;
    m_lastNs = now;
    ++m_ticks;
    m_maxMs = std::max(m_maxMs, lateMs);
    if (lateMs > 50) ++m_over50;
}

}  // namespace coreduel::ui
