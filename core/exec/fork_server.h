#pragma once
// The forkserver start method, as in Python: a single-threaded coreduel-worker started once
// per experiment forks workers on request. Forking there is safe (no other threads can hold a
// lock), it is cheaper than spawning a program, and the multithreaded engine never forks.
//
// Engine and server talk over a SOCK_SEQPACKET socket pair:
//   engine -> server  'F' u32 worker index, u32 transport, with the worker's channel
//                     descriptors (SCM_RIGHTS)
//   server -> engine  'P' i64 pid           the worker was forked
//                     'E' str message       fork failed
//                     'X' i64 pid, i32 wait status, i64 user ns, i64 system ns,
//                         i64 max RSS KiB, i64 voluntary, i64 involuntary switches,
//                         i64 minor faults, i64 major faults
// The workers are the server's children, so the server reaps them (wait4) and reports how each
// ended. When the engine closes its end, the server kills and reaps what is left and exits.

#include <sys/types.h>

#include <map>
#include <optional>

#include "core/ipc/channel.h"
#include "core/proc/child_process.h"
#include "core/util/sys.h"

namespace coreduel {

/// The server reaps its workers and reports their ends, so it is their ChildReaper: a worker's
/// ChildProcess watches it through a pidfd and learns how it ended from here. It must outlive
/// every worker it started.
class ForkServer final : public ChildReaper {
public:
    ForkServer();  ///< spawns the server; throws std::system_error
    ~ForkServer();
    ForkServer(const ForkServer&) = delete;
    ForkServer& operator=(const ForkServer&) = delete;

    /// Asks for a worker that serves on the given channel descriptors.
    [[nodiscard]] ChildProcess startWorker(unsigned workerIndex, Transport transport,
                                           const std::vector<int>& fds);
    /// The server's report of how `pid` ended; nullopt if none came within timeoutMs.
    std::optional<ChildExit> waitExit(pid_t pid, int timeoutMs) override;
    [[nodiscard]] pid_t pid() const { return m_process.pid(); }

private:
    /// Reads one message (waiting at most timeoutMs); exit reports are filed in m_exited.
    bool receive(int timeoutMs, char& type, std::vector<std::byte>& payload);

    UniqueFd m_sock;
    ChildProcess m_process;  ///< the server itself, our own child
    std::map<pid_t, ChildExit> m_exited;
};

/// The server's side (coreduel-worker --forkserver): serves requests on `sock` until EOF.
int runForkServer(int sock);

}  // namespace coreduel
