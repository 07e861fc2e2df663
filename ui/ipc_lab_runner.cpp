#include "ui/ipc_lab_runner.h"

#include <QMetaObject>
#include <QPointer>

namespace coreduel::ui {
namespace {
struct Stopped {};
}  // namespace

IpcLabRunner::IpcLabRunner(QObject* parent) : QObject(parent) {}

IpcLabRunner::~IpcLabRunner() {
    if (m_stop) m_stop->store(true);
    if (m_thread.joinable()) m_thread.join();
}

void IpcLabRunner::start(const IpcLabOptions& options) {
    if (m_running) return;
    if (m_thread.joinable()) m_thread.join();  // a finished previous lab
    m_running = true;
    m_stop = std::make_shared<std::atomic<bool>>(false);
    QPointer<IpcLabRunner> self(this);
    m_thread = std::jthread([self, options, stop = m_stop] {
        QString error;
        try {
            runIpcLab(
                options,
                [&](const IpcMeasurement& m) {
                    QMetaObject::invokeMethod(
                        self,
                        [self, m] {
                            if (self) emit self->measured(m);
                        },
                        Qt::QueuedConnection);
                    if (stop->load()) throw Stopped{};
                },
                stop.get());
        } catch (const Stopped&) {
        } catch (const std::exception& e) {
            error = QString::fromUtf8(e.what());
        }
        QMetaObject::invokeMethod(
            self,
            [self, error] {
                if (!self) return;
                self->m_running = false;
                emit self->finished(error);
            },
            Qt::QueuedConnection);
    });
}

void IpcLabRunner::stop() {
    if (m_stop) m_stop->store(true);
}

}  // namespace coreduel::ui
