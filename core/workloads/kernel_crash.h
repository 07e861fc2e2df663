#pragma once
// A native kernel that crashes in the engine's own process (sequential, threads and
// gil-threads run a user's kernel there): the crash fails that run, named by task, thread and
// signal, instead of taking the program — a window with a session open — down with it.

#include <cstdint>

namespace coreduel::workloads {

/// Calls `call(arg)` on this thread. A SIGSEGV, SIGBUS, SIGFPE, SIGILL or SIGABRT raised on
/// this thread while it runs unwinds back here (the handler jumps out of the kernel's own C
/// frames; `call` must be a C function or a lambda with nothing to destroy) and its number is
/// returned; 0 when `call` returned. `library` and `task` name the crash on stderr where it
/// cannot be caught (a stack overflow: no alternate stack). Not for worker processes: they
/// die by the signal, and the engine names task, worker and signal.
[[nodiscard]] int callCatchingCrash(const char* library, std::uint64_t task, void (*call)(void*),
                                    void* arg) noexcept;

}  // namespace coreduel::workloads
