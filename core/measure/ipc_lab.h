#pragma once
// The IPC lab: round trips of messages from 8 B to 4 MiB over each transport, against an echo
// process, with two in-process baselines (a mutex/condition-variable queue between threads,
// and two threads spinning on shared memory, no kernel at all).
//
// Measured in interleaved rounds (ipc_rounds.h): every mechanism and size once per round, in a
// shuffled order, each with a slice of the time budget; a row's central value is the median of
// its round medians, with their spread, and a row whose round trips fall into two clusters
// says so with both modes instead of one median that could land in either.
//
// Where the two sides run decides a small message's cost more than the mechanism does: the
// peer on the engine's CPU costs a context switch per hop, on another CPU a cross-CPU wake-up.
// The scheduler makes that choice once per peer and keeps it, so unpinned rows landed in
// either at random per run. By default every row is therefore measured twice in each round,
// pinned on one CPU and across two (IpcPlacement::Both): a row per placement, each repeatable.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/ipc/channel.h"
#include "core/measure/ipc_rounds.h"

namespace coreduel {

/// Where the lab puts its two sides. On a small VM the scheduler's choice dominates: the peer on
/// the engine's CPU costs a context switch per hop, on the other CPU a cross-CPU wake-up, which is
/// fast while that CPU is awake and slow when it halted; and a peer keeps its CPU for a while.
enum class IpcPlacement {
    Any,    ///< wherever the scheduler puts them (as the execution models run)
    Same,   ///< both on one CPU: context switches only (no spin baseline: it needs two)
    Split,  ///< the engine on one CPU, every peer on another: always a cross-CPU wake-up
    /// The default: Same and Split in every round, the peer re-pinned before each slice; a row
    /// for each (the spin baseline only across CPUs). Where this process may use one CPU
    /// only, Same alone.
    Both,
};
const char* toString(IpcPlacement p);
/// "any", "same", "split", "both"; throws InvalidArgument otherwise.
IpcPlacement parseIpcPlacement(const std::string& text);
/// What a row's placement means, for every view to say the same words: "same CPU",
/// "across CPUs", "unpinned".
const char* placementLabel(IpcPlacement p);

struct IpcMeasurement {
    std::string mechanism;  ///< "pipe", "unix", "mqueue", "shm", "thread-queue", "spin", "mpi"
    /// Where the two sides ran for this row: Same, Split, or Any (unpinned; also mpi's, and
    /// every row of a file written before rows had a placement). Never Both.
    IpcPlacement placement = IpcPlacement::Any;
    std::size_t bytes = 0;       ///< message size, each way
    std::size_t roundTrips = 0;  ///< timed round trips, all rounds together
    /// The central value: the median of the round medians (microseconds, steady clock). For
    /// mpi, measured once outside the rounds, the median of its single run.
    double p50Us = 0;
    double p99Us = 0;           ///< over every round's trips pooled
    double meanUs = 0;          ///< likewise
    double throughputMiBs = 0;  ///< 2 x bytes / p50Us
    double engineCpuUs = 0;     ///< CPU per round trip on the sending side (thread CPU clock)
    double peerCpuUs = 0;       ///< CPU per round trip on the echoing side
    std::vector<double> roundMediansUs;  ///< one per round, in round order
    RoundSpread spread;                  ///< of roundMediansUs (rounds = 0: not measured so)
    LatencyModes modes;                  ///< of the pooled round trips
    unsigned spinUs = 0;  ///< receive-side spin used for this row (0: blocks at once)
};

/// The transports, the two baselines, and mpi (Open MPI's ping-pong) where it can run.
std::vector<std::string> defaultIpcMechanisms();

struct IpcLabOptions {
    std::vector<std::string> mechanisms = defaultIpcMechanisms();
    std::vector<std::size_t> sizes = {8, 64, 512, 4096, 32768, 262144, 1048576, 4194304};
    /// Time budget per mechanism and size, all rounds and placements together.
    double secondsPerPoint = 0.2;
    std::size_t maxRoundTrips = 20000;  ///< per round
    std::size_t minRoundTrips = 5;      ///< per round
    std::size_t rounds = 7;             ///< each visits every mechanism and size once
    std::uint64_t seed = 1;             ///< of the rounds' shuffled orders
    /// Transports only (pipe, unix, mqueue, shm): both sides poll this long before blocking on
    /// a receive (WorkerChannel::setSpinUs). 0: block at once, as the execution models do.
    unsigned spinUs = 0;
    IpcPlacement placement = IpcPlacement::Both;
};

/// How many rows runIpcLab will hand back for `o` when it is not stopped (mpi counted when
/// asked for; the spin baseline has no same-CPU row).
std::size_t plannedIpcRows(const IpcLabOptions& o);

/// Runs the lab; `progress` (may be empty) gets each row when its last round is done (with
/// several rounds, all in the last one; then mpi's as they come). When `stop` becomes true the
/// lab ends within one round trip, hands `progress` the rows with at least one whole round
/// (spread.rounds says how many) and returns them; an exception thrown by `progress` ends it
/// too (every peer thread and process is stopped and reaped on the way out).
std::vector<IpcMeasurement> runIpcLab(const IpcLabOptions& options,
                                      const std::function<void(const IpcMeasurement&)>& progress,
                                      const std::atomic<bool>* stop = nullptr);

/// The echo peer's loop (coreduel-worker --echo): returns the exit status.
int runEchoPeer(Transport transport, unsigned spinUs = 0);

/// Minimal ping-pong of 8-byte messages between this process and a forked child over the
/// bare kernel mechanism (two pipes, or two Unix socket pairs), blocking read/write and
/// nothing else: the floor the transports are held to. Median round trip in microseconds.
/// `where` Same or Split pins this thread and the child as the lab does (this thread's mask is
/// given back); Any and Both leave them unpinned. Call only from a single-threaded process (it
/// forks without exec).
double rawPingPongUs(Transport t, std::size_t roundTrips, IpcPlacement where = IpcPlacement::Any);

}  // namespace coreduel
