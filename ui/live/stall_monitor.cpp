#include "ui/live/stall_monitor.h"

#include <QAbstractEventDispatcher>
#include <QCoreApplication>
#include <algorithm>

namespace coreduel::ui {

StallMonitor::StallMonitor(QObject* parent) : QObject(parent) {
    m_clock.start();
    if (auto* app = QCoreApplication::instance()) app->installEventFilter(this);
    // The main thread's dispatcher: both signals, since dispatchers differ in which of them
    // comes right after the events were handled (glib: awake; the Unix one: aboutToBlock).
    if (auto* loop = QAbstractEventDispatcher::instance()) {
        connect(loop, &QAbstractEventDispatcher::aboutToBlock, this, &StallMonitor::endStretch);
        connect(loop, &QAbstractEventDispatcher::awake, this, &StallMonitor::endStretch);
    }
}

StallMonitor::~StallMonitor() {
    if (auto* app = QCoreApplication::instance()) app->removeEventFilter(this);
}

void StallMonitor::reset() {
    m_maxMs = 0;
    m_over50 = 0;
    m_stretches = 0;
    m_busyFromNs = -1;
}

bool StallMonitor::eventFilter(QObject* /*watched*/, QEvent* /*event*/) {
    if (m_busyFromNs < 0) m_busyFromNs = m_clock.nsecsElapsed();
    return false;
}

void StallMonitor::endStretch() {
    if (m_busyFromNs < 0) return;
    const double ms = static_cast<double>(m_clock.nsecsElapsed() - m_busyFromNs) / 1e6;
    m_busyFromNs = -1;
    ++m_stretches;
    const bool worse = ms > m_maxMs || ms > 50;
    m_maxMs = std::max(m_maxMs, ms);
    if (ms > 50) ++m_over50;
    if (worse) emit worsened();
}

}  // namespace coreduel::ui
