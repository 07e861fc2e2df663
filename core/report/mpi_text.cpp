#include "core/report/mpi_text.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <ostream>
#include <set>

namespace coreduel {

namespace {

std::string us(std::int64_t ns) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.1f us", static_cast<double>(ns) / 1e3);
    return buf;
}

}  // namespace

void writeMpiNotes(std::ostream& os, const ExperimentResult& result) {
    const RunResult* widest = nullptr;
    for (const auto& r : result.runs)
        if (r.config.model == Model::Mpi && r.mpi &&
            (widest == nullptr || r.config.workers > widest->config.workers ||
             (r.ok && !widest->ok && r.config.workers == widest->config.workers)))
            widest = &r;
    if (widest == nullptr) return;
    const auto& m = *widest->mpi;
    os << "mpi rows: N workers are N + 1 ranks of one Open MPI job (" << m.mpirun
       << (m.hostfile.empty() ? ", this machine" : ", hostfile " + m.hostfile)
       << "); rank 0 hands out chunks and collects results as MPI messages and does no task. "
          "wall = the job's own window from the first chunk to the last result (mpirun's "
          "launch to every rank ready is outside it, shown as start-up); cpu = each rank's "
          "getrusage from ready to its end, rank 0's included.\n";
    std::map<std::string, std::vector<const MpiRank*>> byHost;
    for (const auto& r : m.ranks) byHost[r.host].push_back(&r);
    os << "mpi hosts (" << widest->config.workers << " workers):";
    for (const auto& [host, ranks] : byHost) {
        os << ' ' << host << " (ranks";
        for (const auto* r : ranks) os << ' ' << r->rank;
        const auto cores = std::find_if(m.hosts.begin(), m.hosts.end(),
                                        [&](const HostUtilization& h) { return h.host == host; });
        if (cores != m.hosts.end() && cores->cores > 0) os << "; " << cores->cores << " cores";
        os << ')';
    }
    os << "\nmpi clocks: ";
    bool first = true;
    for (const auto& r : m.ranks) {
        if (r.rank == 0) continue;
        os << (first ? "" : "; ") << "rank " << r.rank << ' ';
        first = false;
        // The estimate is shown even where the kernel says the clock is shared: it is the
        // check that the estimator is right (the true offset there is 0).
        os << (r.sharedClock ? "shares the engine's clock (estimate " : "offset ") << us(r.offsetNs)
           << " +- " << us(r.uncertaintyNs) << " at the start";
        // A failed run never compared the clocks at the end.
        if (r.endUncertaintyNs > 0)
            os << ", " << us(r.endOffsetNs) << " +- " << us(r.endUncertaintyNs) << " at the end";
        os << (r.sharedClock ? ")" : ": its tasks are placed by the start offset");
    }
    os << '\n';
}

}  // namespace coreduel
