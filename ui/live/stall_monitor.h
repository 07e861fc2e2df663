#pragma once
// Measures how responsive the GUI thread is: a precise timer that records how late it fires.
// A late tick means the event loop was busy (a long replot, a blocking call) for that long.

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

namespace coreduel::ui {

class StallMonitor : public QObject {
    Q_OBJECT
public:
    explicit StallMonitor(QObject* parent = nullptr, int intervalMs = 10);

    /// The largest lateness since the last reset, in milliseconds.
    [[nodiscard]] double maxStallMs() const { return m_maxMs; }
    /// Ticks that were more than 50 ms late since the last reset.
    [[nodiscard]] int stallsOver50Ms() const { return m_over50; }
    [[nodiscard]] int ticks() const { return m_ticks; }
    [[nodiscard]] int intervalMs() const { return m_intervalMs; }
    void reset();

private:
    void tick();
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_lastNs = 0;
    int m_intervalMs;
    double m_maxMs = 0;
    int m_over50 = 0;
    int m_ticks = 0;
};

}  // namespace coreduel::ui
