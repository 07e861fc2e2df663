#pragma once
// Inside the IPC lab (ipc_lab.cpp): the mechanisms as benches that stay alive for the whole
// lab (ipc_lab_benches.cpp), so that rounds can visit them in any order, and the mpi row,
// measured by a program of its own (ipc_lab_mpi.cpp).

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>

#include <sys/types.h>
#include <vector>

#include "core/measure/ipc_lab.h"

namespace coreduel::detail {

/// A frame length the echo peer answers with its CPU clock (8 bytes) instead of an echo.
inline constexpr std::uint32_t kEchoReportCpu = 0xffffffffu;

/// One mechanism with its peer (echo process or thread) running, ready for round trips of any
/// size up to the largest it was made for. Destroying it stops and reaps the peer.
class IpcBench {
public:
    virtual ~IpcBench() = default;
    /// Around each slice of this bench's trips: the spin baseline's peer spins only in between,
    /// so that it does not eat a core while the other mechanisms are measured.
    virtual void begin() {}
    virtual void end() {}
    /// One round trip of `size` bytes there and back.
    virtual void trip(std::size_t size) = 0;
    /// The peer's CPU clock in nanoseconds (read between timed trips, never inside one).
    virtual double peerCpuNs() = 0;
    /// After a slice: throws when the last echo did not come back as it was sent.
    virtual void verify(std::size_t /*size*/) {}
    /// Pins the peer (process or thread) to `cpu` before a slice; false (errno set) when the
    /// kernel refused. Placement::Both moves it between the engine's CPU and another.
    virtual bool place(int cpu) = 0;
    /// The receive-side spin this bench uses (IpcLabOptions::spinUs where it applies, else 0).
    [[nodiscard]] virtual unsigned spinUs() const { return 0; }
};

/// Pins a thread (0: the caller) or process to `cpu`; -1 leaves it where it is. False (errno
/// set) when the kernel refused.
bool pinToCpu(pid_t who, int cpu);

/// An echo process (coreduel-worker --echo) over transport `t`; `spinUs` > 0 makes both sides
/// poll that long before blocking on a receive. `peerCpu` >= 0 pins the peer there.
std::unique_ptr<IpcBench> makeTransportBench(Transport t, std::size_t largest, unsigned spinUs,
                                             int peerCpu);
/// Baseline: a mutex + condition-variable queue between two threads, copying the message.
std::unique_ptr<IpcBench> makeThreadQueueBench(std::size_t largest, int peerCpu);
/// Baseline: two threads spinning on shared memory. Null with fewer than two CPUs, or when the
/// peer is pinned to the engine's CPU (spinning on one core measures the scheduler).
std::unique_ptr<IpcBench> makeSpinBench(std::size_t largest, int peerCpu, int engineCpu);

/// Open MPI's ping-pong between two ranks (ipc_lab_mpi.cpp). Throws InvalidArgument saying
/// what to install when the mpi model cannot run here.
void measureMpi(const IpcLabOptions& o, std::vector<IpcMeasurement>& out,
                const std::function<void(const IpcMeasurement&)>& progress,
                const std::atomic<bool>* stop);

}  // namespace coreduel::detail
