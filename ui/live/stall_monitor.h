#pragma once
// Measures how responsive the GUI thread is without waking it: the longest stretch the event
// loop spent handling events before it could wait again. A stretch starts at the first event
// delivered after the loop last waited (an application-wide event filter) and ends when the
// loop is about to wait again or has come back from a pass (the dispatcher's aboutToBlock and
// awake). A long replot or a blocking call reads at its whole length. A timer that fires late
// measures the same with 20 wake-ups a second, which cost a measured run more than the live
// charts they watch.

#include <QElapsedTimer>
#include <QObject>

namespace coreduel::ui {

class StallMonitor : public QObject {
    Q_OBJECT
public:
    /// Watches the application's event loop (QCoreApplication must exist).
    explicit StallMonitor(QObject* parent = nullptr);
    ~StallMonitor() override;

    /// The longest busy stretch since the last reset, in milliseconds.
    [[nodiscard]] double maxStallMs() const { return m_maxMs; }
    /// Stretches longer than 50 ms since the last reset.
    [[nodiscard]] int stallsOver50Ms() const { return m_over50; }
    /// Busy stretches measured since the last reset (the loop went round this often).
    [[nodiscard]] int stretches() const { return m_stretches; }
    void reset();

signals:
    /// The worst stall, or the count over 50 ms, grew (at most once per stretch).
    void worsened();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void endStretch();

    QElapsedTimer m_clock;
    qint64 m_busyFromNs = -1;  ///< the first event since the loop last waited, or -1
    double m_maxMs = 0;
    int m_over50 = 0;
    int m_stretches = 0;
};

}  // namespace coreduel::ui
