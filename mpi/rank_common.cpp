#include "mpi/rank_common.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstring>
#include <vector>

#include "core/measure/cpu_sampler.h"
#include "core/util/clock.h"
#include "mpi/mpi_util.h"

namespace coreduel::mpi {

namespace {

constexpr int kHostNameBytes = 256;
/// At most this many host samples are kept (an hour at 20 Hz); later ones are dropped.
constexpr std::size_t kMaxHostSamples = 72'000;

std::int64_t peakRssKib() {
    const int fd = ::open("/proc/self/status", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    char buf[4096];
    const ssize_t n = ::read(fd, buf, sizeof buf - 1);
    ::close(fd);
    if (n <= 0) return 0;
    buf[n] = '\0';
    const char* p = std::strstr(buf, "VmHWM:");
    return p != nullptr ? std::strtoll(p + 6, nullptr, 10) : 0;
}

}  // namespace

JobContext joinJob(int rank, int size, std::int64_t mainEnteredNs, double sampleHz) {
    JobContext job;
    job.rank = rank;
    job.size = size;
    job.host = hostLabel();
    job.mainEnteredNs = mainEnteredNs;
    char mine[kHostNameBytes] = {};
    std::strncpy(mine, job.host.c_str(), kHostNameBytes - 1);
    std::vector<char> all(static_cast<std::size_t>(size) * kHostNameBytes);
    MPI_Allgather(mine, kHostNameBytes, MPI_CHAR, all.data(), kHostNameBytes, MPI_CHAR,
                  MPI_COMM_WORLD);
    job.samplesHost = true;
    for (int r = 0; r < rank; ++r)
        if (std::strncmp(all.data() + static_cast<std::size_t>(r) * kHostNameBytes, mine,
                         kHostNameBytes) == 0)
            job.samplesHost = false;
    MPI_Bcast(&sampleHz, 1, MPI_DOUBLE, 0, MPI_COMM_WORLD);
    job.sampleHz = sampleHz;
    return job;
}

void serveClock() {
    for (;;) {
        waitForMessage(0, kTagClock);
        std::int64_t ping = 0;
        MPI_Recv(&ping, 1, MPI_INT64_T, 0, kTagClock, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        if (ping < 0) return;
        // Blocking send: rank 0 is waiting for exactly this answer.
        const std::int64_t now = monotonicNs();
        MPI_Send(&now, 1, MPI_INT64_T, 0, kTagClock, MPI_COMM_WORLD);
    }
}

mpiwire::ClockOffset measureClock(int rank, int rounds) {
    std::vector<mpiwire::ClockOffset> samples;
    for (int i = 0; i < rounds; ++i) {
        const std::int64_t t0 = monotonicNs();
        MPI_Send(&t0, 1, MPI_INT64_T, rank, kTagClock, MPI_COMM_WORLD);
        std::int64_t t1 = 0;
        // A blocking receive on purpose: spinning keeps the round trip short, and this is
        // a few microseconds per rank at the start and the end.
        MPI_Recv(&t1, 1, MPI_INT64_T, rank, kTagClock, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        samples.push_back(mpiwire::offsetFrom(t0, t1, monotonicNs()));
    }
    return mpiwire::bestOf(samples);
}

void endClock(int rank) {
    const std::int64_t stop = -1;
    MPI_Send(&stop, 1, MPI_INT64_T, rank, kTagClock, MPI_COMM_WORLD);
}

Usage usageNow() {
    rusage ru{};
    ::getrusage(RUSAGE_SELF, &ru);
    Usage u;
    u.userNs = toNs(ru.ru_utime);
    u.systemNs = toNs(ru.ru_stime);
    u.voluntary = ru.ru_nvcsw;
    u.involuntary = ru.ru_nivcsw;
    u.minorFaults = ru.ru_minflt;
    u.majorFaults = ru.ru_majflt;
    u.maxRssKib = peakRssKib();
    return u;
}

void fillUsage(mpiwire::RankFinal& f, const Usage& start, const Usage& end) {
    f.cpuUserNs = end.userNs - start.userNs;
    f.cpuSystemNs = end.systemNs - start.systemNs;
    f.maxRssKib = end.maxRssKib;
    f.voluntarySwitches = end.voluntary - start.voluntary;
    f.involuntarySwitches = end.involuntary - start.involuntary;
    f.minorFaults = end.minorFaults - start.minorFaults;
    f.majorFaults = end.majorFaults - start.majorFaults;
}

HostSampler::HostSampler(const JobContext& job) {
    m_samples.host = job.host;
    m_samples.rank = static_cast<std::uint32_t>(job.rank);
    if (job.sampleHz <= 0) return;
    m_sampler = std::make_unique<CpuSampler>(job.sampleHz, [this](UtilizationSample&& s) {
        std::lock_guard lk(m_mutex);
        if (m_samples.samples.size() >= kMaxHostSamples) return;
        mpiwire::HostSample h;
        h.timeNs = s.timeNs;
        h.windowNs = s.windowNs;
        for (const auto& c : s.cores) {
            h.user.push_back(c.user);
            h.system.push_back(c.system);
        }
        m_samples.cores =
            std::max<std::uint32_t>(m_samples.cores, static_cast<std::uint32_t>(s.cores.size()));
        m_samples.samples.push_back(std::move(h));
    });
    m_sampler->start();
}

HostSampler::~HostSampler() {
    if (m_sampler) m_sampler->stop();
}

mpiwire::HostSamples HostSampler::finish() {
    if (m_sampler) m_sampler->stop();
    std::lock_guard lk(m_mutex);
    return std::move(m_samples);
}

}  // namespace coreduel::mpi
