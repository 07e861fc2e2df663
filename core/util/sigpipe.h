#pragma once
// Writes to a pipe whose reader died must fail with EPIPE, not kill the engine. SIGPIPE for a
// pipe write goes to the writing thread, so blocking it on that thread for a scope (and
// swallowing what is pending on the way out) leaves the rest of the process's signal handling
// untouched: a CLI piped into `head` still ends quietly.

#include <signal.h>
#include <time.h>

namespace coreduel {

class SigpipeBlock {
public:
    SigpipeBlock() {
        sigemptyset(&m_set);
        sigaddset(&m_set, SIGPIPE);
        pthread_sigmask(SIG_BLOCK, &m_set, &m_old);
    }
    ~SigpipeBlock() {
        timespec zero{0, 0};
        while (sigtimedwait(&m_set, nullptr, &zero) > 0) {
        }
        pthread_sigmask(SIG_SETMASK, &m_old, nullptr);
    }
    SigpipeBlock(const SigpipeBlock&) = delete;
    SigpipeBlock& operator=(const SigpipeBlock&) = delete;

private:
    sigset_t m_set{}, m_old{};
};

}  // namespace coreduel
