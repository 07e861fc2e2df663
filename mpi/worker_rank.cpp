// A worker rank (1..N): tell rank 0 who it is, compare clocks, serve tasks with the same
// worker loop a worker process runs (over MPI instead of a pipe), compare clocks again, and
// give its account.

#include <unistd.h>

#include <optional>

#include "core/exec/worker_loop.h"
#include "core/util/clock.h"
#include "mpi/mpi_channel.h"
#include "mpi/mpi_util.h"
#include "mpi/rank_common.h"
#include "mpi/ranks.h"

namespace coreduel::mpi {

namespace {

void sendBytes(ByteWriter& w, int tag) {
    MPI_Send(w.buffer().data(), static_cast<int>(w.size()), MPI_BYTE, 0, tag, MPI_COMM_WORLD);
}

}  // namespace

int runWorkerRank(const JobContext& job) {
    std::optional<HostSampler> sampler;
    if (job.samplesHost) sampler.emplace(job);
    const Usage start = usageNow();
    {
        mpiwire::RankInfo info;
        info.rank = static_cast<std::uint32_t>(job.rank);
        info.host = job.host;
        info.bootId = mpiwire::bootId();
        info.pid = static_cast<std::int32_t>(::getpid());
        info.mainEnteredNs = job.mainEnteredNs;
        info.readyNs = monotonicNs();
        ByteWriter w;
        mpiwire::writeRankInfo(w, info);
        sendBytes(w, kTagInfo);
    }
    serveClock();

    MpiChannel channel;
    const int status = runWorkerLoop(channel, nullptr, job.mainEnteredNs);
    if (status != 0) {
        // The loop could not go on (rank 0 vanished mid-frame, or a protocol error): nothing
        // sensible is left to say, and rank 0 tears the job down.
        return status;
    }

    serveClock();
    mpiwire::RankFinal final;
    final.rank = static_cast<std::uint32_t>(job.rank);
    fillUsage(final, start, usageNow());
    ByteWriter w;
    mpiwire::writeRankFinal(w, final);
    w.u8(sampler ? 1 : 0);
    if (sampler) mpiwire::writeHostSamples(w, sampler->finish());
    sendBytes(w, kTagFinal);
    return 0;
}

}  // namespace coreduel::mpi
