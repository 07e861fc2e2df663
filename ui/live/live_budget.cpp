#include "ui/live/live_budget.h"

#include <algorithm>
#include <cmath>

#include "core/util/clock.h"

namespace coreduel::ui {

namespace {
// Long enough to hold a few redraws at the slowest refresh's quarter (the drains), short
// enough that a run of ten seconds is corrected within it.
constexpr int kCheckEveryMs = 2000;
}  // namespace

LiveBudget::LiveBudget(QObject* parent) : QObject(parent) {
    m_timer.setInterval(kCheckEveryMs);
    connect(&m_timer, &QTimer::timeout, this, &LiveBudget::check);
}

void LiveBudget::start(int refreshMs) {
    m_fastestMs = m_refreshMs = m_slowestMs = refreshMs;
    m_wall.start();
    m_sinceStart = 0;
    m_cpuNs = m_startCpuNs = threadCpuNs();
    m_timer.start();
    emit refreshChanged(m_refreshMs);
}

void LiveBudget::stop() {
    m_timer.stop();
}

int LiveBudget::adjusted(int refreshMs, double usedPercent, int fastestMs) {
    const double ratio = std::clamp(usedPercent / kGuiPercent, 0.25, 4.0);
    const double next = refreshMs * std::sqrt(ratio);
    // Within 10 % of the budget: unchanged, so the view does not flicker between rates.
    if (std::abs(ratio - 1.0) < 0.1) return refreshMs;
    return std::clamp(static_cast<int>(std::lround(next / 250.0)) * 250, fastestMs,
                      std::max(fastestMs, kMaxRefreshMs));
}

void LiveBudget::check() {
    const std::int64_t cpu = threadCpuNs();
    const qint64 wallNs = m_wall.nsecsElapsed();
    m_wall.restart();
    m_sinceStart += wallNs;
    if (wallNs <= 0 || m_sinceStart <= 0) return;
    const double lately = 100.0 * static_cast<double>(cpu - m_cpuNs) / static_cast<double>(wallNs);
    const double overall =
        100.0 * static_cast<double>(cpu - m_startCpuNs) / static_cast<double>(m_sinceStart);
    m_cpuNs = cpu;
    // The promise is about the whole measurement: what the start cost (clearing every chart,
    // the first drawing) is paid back by a slower view until the average is within budget,
    // and the view is faster again only when both the last stretch and the average allow.
    const int next = adjusted(m_refreshMs, std::max(lately, overall), m_fastestMs);
    if (next == m_refreshMs) return;
    m_refreshMs = next;
    m_slowestMs = std::max(m_slowestMs, next);
    emit refreshChanged(next);
}

}  // namespace coreduel::ui
