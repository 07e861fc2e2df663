#include "ui/live/ipc_lab_runner.h"

namespace coreduel::ui {

IpcLabRunner::IpcLabRunner(QObject* parent) : QObject(parent), m_jobs(this) {}

IpcLabRunner::~IpcLabRunner() = default;  // m_jobs abandons the lab and sets its stop flag

void IpcLabRunner::start(const IpcLabOptions& options) {
    if (running()) return;
    m_done = 0;
    m_planned = static_cast<int>(plannedIpcRows(options));  // a row per placement
    m_stopped = false;
    m_id = m_jobs.start(
        [this, options](JobContext& context) {
            runIpcLab(
                options,
                [&](const IpcMeasurement& m) {
                    context.post([this, m] {
                        ++m_done;
                        emit measured(m);
                    });
                },
                context.stopFlag());
        },
        [this](const QString& error) { emit finished(error); });
}

void IpcLabRunner::stop() {
    if (!running()) return;
    m_stopped = true;
    m_jobs.cancel(m_id);
}

}  // namespace coreduel::ui
