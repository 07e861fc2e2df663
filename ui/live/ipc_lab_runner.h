#pragma once
// Runs the IPC lab (core/measure) as a BackgroundJobs job: each measurement reaches the GUI
// thread through the job queue. Stopping sets the lab's stop flag: it ends within one round
// trip and reports how many of its points it completed. Nothing here waits for the lab.

#include <QObject>

#include "core/measure/ipc_lab.h"
#include "ui/live/background_jobs.h"

namespace coreduel::ui {

class IpcLabRunner : public QObject {
    Q_OBJECT
public:
    explicit IpcLabRunner(QObject* parent = nullptr);
    ~IpcLabRunner() override;  // stops the lab; returns at once

    void start(const IpcLabOptions& options);
    void stop();
    [[nodiscard]] bool running() const { return m_id != 0 && m_jobs.running(m_id); }
    /// Of the current (or last) lab: points measured and planned, and whether Stop ended it.
    [[nodiscard]] int pointsDone() const { return m_done; }
    [[nodiscard]] int pointsPlanned() const { return m_planned; }
    [[nodiscard]] bool stopped() const { return m_stopped; }

signals:
    void measured(const coreduel::IpcMeasurement& m);
    void finished(const QString& error);  ///< empty error: completed or stopped (see stopped())

private:
    BackgroundJobs m_jobs;
    quint64 m_id = 0;
    int m_done = 0;
    int m_planned = 0;
    bool m_stopped = false;
};

}  // namespace coreduel::ui
