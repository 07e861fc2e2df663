#pragma once
// Runs the IPC lab (core/ipc) on a thread of its own and hands each measurement to the GUI
// thread through a queued call. Stopping takes effect after the measurement in progress.

#include <QObject>
#include <atomic>
#include <memory>
#include <thread>

#include "core/measure/ipc_lab.h"

namespace coreduel::ui {

class IpcLabRunner : public QObject {
    Q_OBJECT
public:
    explicit IpcLabRunner(QObject* parent = nullptr);
    ~IpcLabRunner() override;  // asks the lab to stop and waits for it (at most one point)

    void start(const IpcLabOptions& options);
    void stop();
    [[nodiscard]] bool running() const { return m_running; }

signals:
    void measured(const coreduel::IpcMeasurement& m);
    void finished(const QString& error);  ///< empty error: completed or stopped

private:
    std::shared_ptr<std::atomic<bool>> m_stop;
    std::jthread m_thread;
    bool m_running = false;
};

}  // namespace coreduel::ui
