#pragma once
// mpi: the workload's tasks on N ranks of an MPI job that share nothing and talk by messages,
// launched by Open MPI's mpirun on this machine or on the hosts of a hostfile.
//
// The job is N + 1 ranks of coreduel-mpi-worker. Rank 0 coordinates: it hands chunks to
// ranks 1..N and collects their results, as MPI messages carrying protocol.h's frames (the
// processes model's bytes). The engine talks only to rank 0, over a TCP connection rank 0
// opens back to an address and one-time token passed on mpirun's command line.
// Why a socket and not mpirun's stdin/stdout: stdout of every rank is merged, buffered and
// line-oriented on its way through mpirun, and rank 0 may run on another host; a socket is a
// private, binary, flow-controlled stream to wherever rank 0 runs, and its end tells the
// engine at once that the job died.
//
// Clocks: on this machine every rank shares the engine's CLOCK_MONOTONIC. Across hosts each
// rank's offset is estimated NTP style (ping-pong, best round trip) at the start and the end,
// and the timeline moves its tasks by it; the uncertainty is on the result.
//
// Faults: a rank that dies, is killed or hangs (past the task timeout) ends the run as failed,
// naming the rank, its host and pid and, from mpirun's report, the signal. mpirun runs in a
// process group of its own: SIGTERM to the group (mpirun ends the job on every host), then
// SIGKILL.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/exec/executor.h"

namespace coreduel {

/// The mpirun to use: `asked` (a path, or a name looked up on PATH), "" meaning mpirun.
/// Throws InvalidArgument with one line saying what to install when there is none, or when
/// coreduel-mpi-worker was not built.
std::string resolveMpirun(const std::string& asked);

/// "" when the mpi model can run here, else the line resolveMpirun would throw.
std::string mpiUnavailableReason(const std::string& asked = "");

/// Runs request.config (model mpi) with request.mpirun. A failure is on the outcome.
ExecOutcome runMpi(const ExecRequest& request);

namespace detail {
/// 32 hex digits from getrandom: rank 0 proves with it that it is ours.
std::string randomToken();
/// What mpirun and the ranks printed (a memfd), the last `keep` bytes.
std::string readAll(int fd, std::size_t keep = 64 * 1024);
/// The last few non-empty lines, joined with " | ": for a message.
std::string lastLines(const std::string& text, std::size_t lines = 4);
/// mpirun's command line for `ranks` ranks of `program` (the rank program and its arguments).
std::vector<std::string> mpirunCommand(const std::string& mpirun, const std::string& hostfile,
                                       unsigned ranks, const std::vector<std::string>& program);
/// What mpirun said about a rank that ended abnormally.
struct RankDeath {
    std::uint32_t rank = 0;
    std::int32_t pid = 0;  ///< as mpirun printed it (Open MPI 4.1 may print 0)
    std::string node;      ///< mpirun's name for the host
    int signal = 0;        ///< 0: it exited (a status, or without MPI_Finalize)
};
/// From "process rank 2 with PID 4711 on node beta exited on signal 9"; nullopt when mpirun
/// said nothing of the kind.
std::optional<RankDeath> rankDeathFromMpirun(const std::string& output);
/// From "Process name: [[19173,1],2] ... Exit code: 3": rank and exit status.
std::optional<std::pair<std::uint32_t, int>> rankExitFromMpirun(const std::string& output);
}  // namespace detail

}  // namespace coreduel
