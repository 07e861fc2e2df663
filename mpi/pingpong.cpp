// The IPC lab's mpi row: ranks 0 and 1 bounce a message of each size back and forth with
// MPI_Send/MPI_Recv, timed like the lab's other transports (round trips within a time budget,
// percentiles, CPU of both sides). Rank 0 prints one line per size to stdout:
//   size trips p50_us p99_us mean_us cpu0_ns cpu1_ns

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <vector>

#include "core/util/clock.h"
#include "mpi/mpi_util.h"
#include "mpi/ranks.h"

namespace coreduel::mpi {

namespace {

double quantile(const std::vector<double>& sorted, double q) {
    if (sorted.empty()) return 0;
    return sorted[std::min(sorted.size() - 1, static_cast<std::size_t>(q * sorted.size()))];
}

}  // namespace

int runPingPong(int rank, const PingPongOptions& o) {
    if (rank > 1) return 0;  // only two ranks take part
    const int peer = 1 - rank;
    for (const auto size : o.sizes) {
        std::vector<std::byte> buf(std::max<std::size_t>(size, 1));
        const int n = static_cast<int>(size);
        auto trip = [&] {
            if (rank == 0) {
                MPI_Send(buf.data(), n, MPI_BYTE, peer, kTagPing, MPI_COMM_WORLD);
                MPI_Recv(buf.data(), n, MPI_BYTE, peer, kTagPing, MPI_COMM_WORLD,
                         MPI_STATUS_IGNORE);
            } else {
                // MPI's own blocking wait on purpose: this row measures what MPI costs.
                MPI_Recv(buf.data(), n, MPI_BYTE, peer, kTagPing, MPI_COMM_WORLD,
                         MPI_STATUS_IGNORE);
                MPI_Send(buf.data(), n, MPI_BYTE, peer, kTagPing, MPI_COMM_WORLD);
            }
        };
        // Untimed round trips first (connections are made on the first message), the last
        // one timed to size the run to the budget.
        long trips = 0;
        for (int i = 0; i < 3; ++i) {
            const auto t0 = monotonicNs();
            trip();
            if (rank == 0) {
                const double us = static_cast<double>(monotonicNs() - t0) / 1e3;
                trips =
                    std::clamp<long>(static_cast<long>(o.secondsPerSize * 1e6 / std::max(us, 0.05)),
                                     o.minTrips, o.maxTrips);
            }
        }
        MPI_Bcast(&trips, 1, MPI_LONG, 0, MPI_COMM_WORLD);
        std::vector<double> us;
        us.reserve(static_cast<std::size_t>(trips));
        const auto cpu0 = threadCpuNs();
        for (long i = 0; i < trips; ++i) {
            const auto t0 = monotonicNs();
            trip();
            us.push_back(static_cast<double>(monotonicNs() - t0) / 1e3);
        }
        std::int64_t cpu = threadCpuNs() - cpu0, peerCpu = 0;
        if (rank == 1) {
            MPI_Send(&cpu, 1, MPI_INT64_T, 0, kTagPing, MPI_COMM_WORLD);
            continue;
        }
        MPI_Recv(&peerCpu, 1, MPI_INT64_T, 1, kTagPing, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        double sum = 0;
        for (double x : us) sum += x;
        std::sort(us.begin(), us.end());
        std::printf("%zu %ld %.3f %.3f %.3f %lld %lld\n", size, trips, quantile(us, 0.5),
                    quantile(us, 0.99), sum / static_cast<double>(us.size()),
                    static_cast<long long>(cpu), static_cast<long long>(peerCpu));
        std::fflush(stdout);
    }
    return 0;
}

PingPongOptions parsePingPong(const std::string& sizes, const std::string& seconds,
                              const std::string& minTrips, const std::string& maxTrips) {
    PingPongOptions o;
    std::stringstream in(sizes);
    for (std::string item; std::getline(in, item, ',');)
        if (!item.empty()) o.sizes.push_back(std::strtoull(item.c_str(), nullptr, 10));
    o.secondsPerSize = std::strtod(seconds.c_str(), nullptr);
    o.minTrips = std::max(1L, std::strtol(minTrips.c_str(), nullptr, 10));
    o.maxTrips = std::max(o.minTrips, std::strtol(maxTrips.c_str(), nullptr, 10));
    return o;
}

}  // namespace coreduel::mpi
