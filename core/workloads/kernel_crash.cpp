#include "core/workloads/kernel_crash.h"

#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <iterator>
#include <mutex>

namespace coreduel::workloads {

namespace {

// Only a fault on the thread that runs the kernel is caught: the handler jumps back to the
// sigsetjmp of callCatchingCrash, skipping nothing but the kernel's frames (which own no C++
// objects), and sigsetjmp's saved mask unblocks the signal again. A signal anywhere else is
// passed on to the disposition that was there before (the default, or a sanitizer's), so a
// crash outside a kernel still ends the program as it would have, and a worker forked from the
// engine still dies by it.
constexpr int kSignals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
struct sigaction g_previous[std::size(kSignals)];
thread_local sigjmp_buf* t_jump = nullptr;
thread_local volatile sig_atomic_t t_signal = 0;
thread_local const char* t_library = nullptr;
thread_local std::uint64_t t_task = 0;

void append(char* line, std::size_t& n, std::size_t cap, const char* text) {
    while (*text != '\0' && n + 1 < cap) line[n++] = *text++;
}

/// The last line of a crash that could not be caught: async-signal-safe, no allocation.
void sayCrash(int sig) {
    char line[1024];
    std::size_t n = 0;
    char digits[24];
    std::size_t d = sizeof digits;
    digits[--d] = '\0';
    auto task = t_task;
    do {
        digits[--d] = static_cast<char>('0' + task % 10);
        task /= 10;
    } while (task != 0 && d > 0);
    append(line, n, sizeof line, "coreduel: native kernel '");
    append(line, n, sizeof line, t_library);
    append(line, n, sizeof line, "' crashed (SIG");
    append(line, n, sizeof line, ::sigabbrev_np(sig) != nullptr ? ::sigabbrev_np(sig) : "?");
    append(line, n, sizeof line, ") in task ");
    append(line, n, sizeof line, digits + d);
    append(line, n, sizeof line, " in the engine's own process\n");
    [[maybe_unused]] auto written = ::write(STDERR_FILENO, line, n);
}

extern "C" void onFatalSignal(int sig) {
    if (t_jump != nullptr) {
        sigjmp_buf* jump = t_jump;
        t_jump = nullptr;
        t_signal = sig;
        ::siglongjmp(*jump, 1);
    }
    if (t_library != nullptr) sayCrash(sig);
    std::size_t which = 0;
    while (which + 1 < std::size(kSignals) && kSignals[which] != sig) ++which;
    ::sigaction(sig, &g_previous[which], nullptr);
    ::raise(sig);  // blocked until this handler returns, then handled as before
}

void installOnce() {
    static std::once_flag once;
    std::call_once(once, [] {
        for (std::size_t i = 0; i < std::size(kSignals); ++i) {
            struct sigaction sa {};
            sa.sa_handler = onFatalSignal;
            ::sigemptyset(&sa.sa_mask);
            ::sigaction(kSignals[i], &sa, &g_previous[i]);
        }
    });
}

}  // namespace

int callCatchingCrash(const char* library, std::uint64_t task, void (*call)(void*),
                      void* arg) noexcept {
    installOnce();
    t_library = library;
    t_task = task;
    t_signal = 0;
    sigjmp_buf jump;
    if (sigsetjmp(jump, 1) == 0) {
        t_jump = &jump;
        call(arg);
    }
    t_jump = nullptr;
    t_library = nullptr;
    return t_signal;
}

}  // namespace coreduel::workloads
