// coreduel-mpi-worker: the program every rank of an `mpi` run is, started by mpirun.
//   coreduel-mpi-worker --connect HOST:PORT:TOKEN   rank 0 coordinates and talks to the
//                                                    engine there; ranks 1..N compute
//   coreduel-mpi-worker --pingpong SIZES SECONDS MIN MAX   the IPC lab's ping-pong (two
//                                                    ranks; SECONDS per size, MIN..MAX trips)
//   coreduel-mpi-worker --version

#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "core/util/clock.h"
#include "core/util/version.h"
#include "mpi/mpi_util.h"
#include "mpi/ranks.h"

namespace {

int usage() {
    std::fprintf(stderr,
                 "coreduel-mpi-worker is started by CoreDuel through mpirun, not by hand.\n"
                 "usage: coreduel-mpi-worker --connect HOST:PORT:TOKEN\n"
                 "       coreduel-mpi-worker --pingpong SIZE[,SIZE...] SECONDS MIN MAX\n"
                 "       coreduel-mpi-worker --version\n");
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    const auto entered = coreduel::monotonicNs();
    // Rank 0 writes to a TCP socket: a vanished engine is an error to report, not a signal.
    ::signal(SIGPIPE, SIG_IGN);
    if (argc == 2 && std::strcmp(argv[1], "--version") == 0) {
        std::printf("coreduel-mpi-worker %s\n", coreduel::versionString());
        return 0;
    }
    const bool connect = argc == 3 && std::strcmp(argv[1], "--connect") == 0;
    const bool pingpong = argc == 6 && std::strcmp(argv[1], "--pingpong") == 0;
    if (!connect && !pingpong) return usage();

    // Funneled: only the main thread calls MPI; the host sampler's thread reads /proc.
    int provided = 0;
    MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
    int rank = 0, size = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    int status = 0;
    if (pingpong) {
        status = coreduel::mpi::runPingPong(
            rank, coreduel::mpi::parsePingPong(argv[2], argv[3], argv[4], argv[5]));
    } else if (rank == 0) {
        coreduel::mpi::EngineAddress engine;
        try {
            engine = coreduel::mpi::parseEngineAddress(argv[2]);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "coreduel-mpi-worker: %s\n", e.what());
            MPI_Abort(MPI_COMM_WORLD, 2);
        }
        status = coreduel::mpi::runCoordinator(engine, size, entered);
    } else {
        const auto job = coreduel::mpi::joinJob(rank, size, entered, 0);
        status = coreduel::mpi::runWorkerRank(job);
    }
    if (status != 0) MPI_Abort(MPI_COMM_WORLD, status);
    MPI_Finalize();
    return status;
}
