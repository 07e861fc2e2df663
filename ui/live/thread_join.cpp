#include "ui/live/thread_join.h"

#include <QCoreApplication>
#include <QThread>
#include <QtGlobal>

namespace coreduel::ui {
namespace {
std::atomic<int> g_blockingJoins{0};
#ifdef QT_NO_DEBUG
std::atomic<bool> g_fatal{false};
#else
std::atomic<bool> g_fatal{true};
#endif
}  // namespace

bool onGuiThread() {
    const QCoreApplication* app = QCoreApplication::instance();
    return app != nullptr && QThread::currentThread() == app->thread();
}

void joinThread(std::thread& thread, bool finished) {
    if (!thread.joinable()) return;
    if (!finished && onGuiThread()) {
        g_blockingJoins.fetch_add(1);
        qWarning(
            "coreduel: a thread that is still running is joined on the GUI thread; the "
            "window freezes until it ends");
        if (g_fatal.load()) qFatal("coreduel: blocking join on the GUI thread");
    }
    thread.join();
}

int blockingGuiJoins() {
    return g_blockingJoins.load();
}

void setBlockingGuiJoinFatal(bool fatal) {
    g_fatal.store(fatal);
}

bool blockingGuiJoinFatal() {
    return g_fatal.load();
}

}  // namespace coreduel::ui
