#include "core/measure/ipc_lab.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <optional>

#include "core/exec/mpi_executor.h"
#include "core/measure/ipc_lab_parts.h"
#include "core/proc/child_process.h"
#include "core/stats/summary.h"
#include "core/util/clock.h"
#include "core/util/errors.h"
#include "core/util/sigpipe.h"

namespace coreduel {

namespace {

/// Thrown inside the lab when its stop flag is seen; runIpcLab returns the rows done so far.
struct Stopped {};

void checkStop(const std::atomic<bool>* stop) {
    if (stop != nullptr && stop->load(std::memory_order_relaxed)) throw Stopped{};
}

/// What one (mechanism, size) cell gathered over the rounds.
struct CellRecord {
    std::vector<double> samplesUs;  ///< every timed round trip, pooled
    std::vector<double> roundMediansUs;
    double engineCpuNs = 0;
    double peerCpuNs = 0;
};

/// One round's slice of a cell: an untimed trip to warm up, then timed ones until the slice's
/// share of the budget is spent (at least minRoundTrips, at most maxRoundTrips); their median
/// is the round's. Bounded by the clock rather than by a count sized from the first trip: on a
/// busy machine a trip that took 0.5 µs once may take 100 ms the next time.
void measureSlice(detail::IpcBench& bench, std::size_t size, const IpcLabOptions& o,
                  std::size_t placements, const std::atomic<bool>* stop, CellRecord& cell) {
    const auto budgetNs = static_cast<std::int64_t>(
        o.secondsPerPoint * 1e9 / static_cast<double>(std::max<std::size_t>(1, o.rounds)) /
        static_cast<double>(std::max<std::size_t>(1, placements)));
    const auto maxTrips = std::max(o.minRoundTrips, o.maxRoundTrips);
    bench.begin();
    bench.trip(size);
    std::vector<double> us;
    const double peer0 = bench.peerCpuNs();
    const auto cpu0 = threadCpuNs();
    const auto start = monotonicNs();
    auto now = start;
    while (us.size() < maxTrips && (us.size() < o.minRoundTrips || now - start < budgetNs)) {
        checkStop(stop);
        const auto t0 = monotonicNs();
        bench.trip(size);
        now = monotonicNs();
        us.push_back(static_cast<double>(now - t0) / 1e3);
    }
    cell.engineCpuNs += static_cast<double>(threadCpuNs() - cpu0);
    cell.peerCpuNs += bench.peerCpuNs() - peer0;
    bench.end();
    bench.verify(size);
    cell.samplesUs.insert(cell.samplesUs.end(), us.begin(), us.end());
    std::sort(us.begin(), us.end());
    cell.roundMediansUs.push_back(quantileSorted(us, 0.5));
}

IpcMeasurement summarizeCell(const std::string& name, IpcPlacement where, std::size_t bytes,
                             unsigned spinUs, CellRecord& cell) {
    IpcMeasurement m;
    m.mechanism = name;
    m.placement = where;
    m.bytes = bytes;
    m.spinUs = spinUs;
    m.roundTrips = cell.samplesUs.size();
    m.roundMediansUs = cell.roundMediansUs;
    m.spread = aggregateRounds(cell.roundMediansUs);
    m.p50Us = m.spread.medianUs;
    m.modes = detectModes(cell.samplesUs);
    auto& us = cell.samplesUs;
    std::sort(us.begin(), us.end());
    m.p99Us = quantileSorted(us, 0.99);
    double sum = 0;
    for (double x : us) sum += x;
    const auto n = static_cast<double>(std::max<std::size_t>(1, us.size()));
    m.meanUs = sum / n;
    m.throughputMiBs =
        m.p50Us > 0 ? 2.0 * static_cast<double>(bytes) / (m.p50Us * 1e-6) / (1024.0 * 1024.0) : 0;
    m.engineCpuUs = cell.engineCpuNs / 1e3 / n;
    m.peerCpuUs = cell.peerCpuNs / 1e3 / n;
    return m;
}

/// The CPUs of IpcLabOptions::placement. Pins the calling (engine) thread for the lab's length
/// and gives its previous mask back on the way out.
class Placement {
public:
    explicit Placement(IpcPlacement p) {
        if (p == IpcPlacement::Any) {
            kinds = {IpcPlacement::Any};
            return;
        }
        if (::sched_getaffinity(0, sizeof m_old, &m_old) != 0)
            throwSystemError("sched_getaffinity");
        std::vector<int> cpus;
        for (int c = 0; c < CPU_SETSIZE && cpus.size() < 2; ++c)
            if (CPU_ISSET(c, &m_old)) cpus.push_back(c);
        if (p == IpcPlacement::Both && cpus.size() == 1) p = IpcPlacement::Same;  // all it can
        if (cpus.empty() || (p == IpcPlacement::Split && cpus.size() < 2))
            throw InvalidArgument(std::string("IPC lab placement '") + toString(p) +
                                  "' needs two CPUs this process may use");
        engineCpu = cpus[0];
        otherCpu = p == IpcPlacement::Same ? cpus[0] : cpus[1];
        if (p != IpcPlacement::Split) kinds.insert(kinds.begin(), IpcPlacement::Same);
        if (p == IpcPlacement::Same) kinds.pop_back();
        if (!detail::pinToCpu(0, engineCpu)) throwSystemError("sched_setaffinity");
        m_pinned = true;
    }
    ~Placement() {
        if (m_pinned) ::sched_setaffinity(0, sizeof m_old, &m_old);
    }
    Placement(const Placement&) = delete;
    Placement& operator=(const Placement&) = delete;

    /// The CPU a peer gets for a row of placement `p` (-1: not pinned).
    [[nodiscard]] int peerCpu(IpcPlacement p) const {
        return p == IpcPlacement::Same ? engineCpu : otherCpu;
    }

    int engineCpu = -1;  ///< -1: not pinned
    int otherCpu = -1;   ///< the peers' CPU across (the engine's with Same)
    /// The placements each row is measured in: {Any}, {Same}, {Split} or {Same, Split}.
    std::vector<IpcPlacement> kinds{IpcPlacement::Split};

private:
    cpu_set_t m_old{};
    bool m_pinned = false;
};

std::unique_ptr<detail::IpcBench> makeBench(const std::string& name, std::size_t largest,
                                            unsigned spinUs, const Placement& where) {
    // Made with the peer across when any row is (the spin baseline only exists so).
    const int peer = where.otherCpu;
    if (name == "thread-queue") return detail::makeThreadQueueBench(largest, peer);
    if (name == "spin") return detail::makeSpinBench(largest, peer, where.engineCpu);
    return detail::makeTransportBench(parseTransport(name), largest, spinUs, peer);
}

/// The interleaved rounds over every mechanism but mpi, each in every placement of `o` (a lane
/// is a mechanism in one placement). A row is handed to `progress` when its last round is done
/// (with one round: as it goes, in the round's order); when stopped, every row with at least
/// one round follows. Rows come back in mechanism, placement and size order.
std::vector<IpcMeasurement> runRounds(const IpcLabOptions& o, const std::vector<std::string>& names,
                                      const std::function<void(const IpcMeasurement&)>& progress,
                                      const std::atomic<bool>* stop) {
    if (names.empty() || o.sizes.empty()) return {};
    const auto largest = *std::max_element(o.sizes.begin(), o.sizes.end());
    const std::size_t sizes = o.sizes.size();
    const Placement where(o.placement);  // before the benches: it outlives their peers
    const std::size_t kinds = where.kinds.size();
    const std::size_t lanes = names.size() * kinds;
    std::vector<CellRecord> cells(lanes * sizes);
    std::vector<std::optional<IpcMeasurement>> rows(cells.size());
    std::vector<std::unique_ptr<detail::IpcBench>> benches;  // their peers end with them
    auto kindOf = [&](std::size_t lane) { return where.kinds[lane % kinds]; };
    // No bench (the spin baseline on one CPU) or the spin baseline's same-CPU lane: not measured.
    auto benchOf = [&](std::size_t lane) -> detail::IpcBench* {
        const auto& bench = benches[lane / kinds];
        if (!bench || (names[lane / kinds] == "spin" && kindOf(lane) == IpcPlacement::Same))
            return nullptr;
        return bench.get();
    };
    auto finish = [&](const IpcCell& c) {
        const auto i = c.mechanism * sizes + c.size;
        const auto* bench = benchOf(c.mechanism);
        rows[i] = summarizeCell(names[c.mechanism / kinds], kindOf(c.mechanism), o.sizes[c.size],
                                bench ? bench->spinUs() : 0, cells[i]);
        if (progress) progress(*rows[i]);
    };
    try {
        for (const auto& name : names) {
            checkStop(stop);
            benches.push_back(makeBench(name, largest, o.spinUs, where));
        }
        for (const auto& round : interleavedSchedule(lanes, sizes, o.rounds, o.seed))
            for (const IpcCell& c : round) {
                checkStop(stop);
                auto* bench = benchOf(c.mechanism);
                if (bench == nullptr) continue;
                const IpcPlacement kind = kindOf(c.mechanism);
                if (kind != IpcPlacement::Any && !bench->place(where.peerCpu(kind)))
                    throwSystemError("sched_setaffinity (IPC lab peer)");
                auto& cell = cells[c.mechanism * sizes + c.size];
                measureSlice(*bench, o.sizes[c.size], o, kinds, stop, cell);
                if (cell.roundMediansUs.size() == o.rounds) finish(c);
            }
    } catch (const Stopped&) {
        // Asked to stop: the rounds completed so far are the answer.
        for (std::size_t i = 0; i < cells.size(); ++i)
            if (!rows[i] && !cells[i].roundMediansUs.empty()) finish({i / sizes, i % sizes});
    }
    std::vector<IpcMeasurement> out;
    for (auto& row : rows)
        if (row) out.push_back(std::move(*row));
    return out;
}

}  // namespace

std::vector<IpcMeasurement> runIpcLab(const IpcLabOptions& options,
                                      const std::function<void(const IpcMeasurement&)>& progress,
                                      const std::atomic<bool>* stop) {
    SigpipeBlock sigpipe;  // an echo peer that dies must be an error here, not our death
    std::vector<std::string> names;
    bool mpi = false;
    for (const auto& name : options.mechanisms) {
        if (name == "mpi") {
            mpi = true;
        } else if (std::find(names.begin(), names.end(), name) == names.end()) {
            names.push_back(name);
        }
    }
    std::vector<IpcMeasurement> out = runRounds(options, names, progress, stop);
    if (mpi && (stop == nullptr || !stop->load())) {
        // A program of its own (mpirun, two ranks) that times itself: measured once, after the
        // rounds, not interleaved with them.
        detail::measureMpi(options, out, progress, stop);
    }
    return out;
}

const char* toString(IpcPlacement p) {
    switch (p) {
        case IpcPlacement::Any:
            return "any";
        case IpcPlacement::Same:
            return "same";
        case IpcPlacement::Split:
            return "split";
        case IpcPlacement::Both:
            return "both";
    }
    return "any";
}

IpcPlacement parseIpcPlacement(const std::string& text) {
    for (auto p : {IpcPlacement::Any, IpcPlacement::Same, IpcPlacement::Split, IpcPlacement::Both})
        if (text == toString(p)) return p;
    throw InvalidArgument("unknown IPC lab placement '" + text + "' (both, same, split, any)");
}

const char* placementLabel(IpcPlacement p) {
    switch (p) {
        case IpcPlacement::Same:
            return "same CPU";
        case IpcPlacement::Split:
            return "across CPUs";
        case IpcPlacement::Both:
            return "same CPU and across CPUs";
        case IpcPlacement::Any:
            break;
    }
    return "unpinned";
}

std::size_t plannedIpcRows(const IpcLabOptions& o) {
    cpu_set_t allowed;
    const bool one =
        ::sched_getaffinity(0, sizeof allowed, &allowed) == 0 && CPU_COUNT(&allowed) < 2;
    // With one CPU, Both measures Same only (and no spin baseline).
    const IpcPlacement where =
        o.placement == IpcPlacement::Both && one ? IpcPlacement::Same : o.placement;
    const std::size_t kinds = where == IpcPlacement::Both ? 2 : 1;
    std::vector<std::string> seen;
    std::size_t lanes = 0;
    for (const auto& name : o.mechanisms) {
        if (std::find(seen.begin(), seen.end(), name) != seen.end()) continue;
        seen.push_back(name);
        if (name == "spin" && where == IpcPlacement::Same) continue;
        lanes += name == "mpi" ? 1 : name == "spin" ? 1 : kinds;
    }
    return lanes * o.sizes.size();
}

std::vector<std::string> defaultIpcMechanisms() {
    std::vector<std::string> m = {"pipe", "unix", "mqueue", "shm", "thread-queue", "spin"};
    if (mpiUnavailableReason().empty()) m.push_back("mpi");
    return m;
}

int runEchoPeer(Transport transport, unsigned spinUs) {
    std::unique_ptr<WorkerChannel> ch;
    try {
        ch = openWorkerChannel(transport, 0);
        ch->setSpinUs(spinUs);
        std::vector<std::byte> buf;
        for (;;) {
            std::uint32_t len = 0;
            if (!ch->readExact(&len, 4)) return 0;
            if (len == detail::kEchoReportCpu) {
                const std::int64_t ns = threadCpuNs();
                ch->writeAll(&ns, sizeof ns);
                continue;
            }
            buf.resize(len + 4);
            std::memcpy(buf.data(), &len, 4);
            if (len > 0 && !ch->readExact(buf.data() + 4, len)) return 3;
            ch->writeAll(buf.data(), buf.size());
        }
    } catch (const std::exception&) {
        return 4;
    }
}

double rawPingPongUs(Transport t, std::size_t roundTrips, IpcPlacement where) {
    const Placement cpus(where == IpcPlacement::Both ? IpcPlacement::Any : where);
    // [0] is the end the reader holds, [1] the writer's; owned, so a failure leaks none.
    UniqueFd there[2], back[2];
    auto open = [t](UniqueFd(&ends)[2]) {
        int fds[2];
        if (t == Transport::UnixSocket) {
            if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
                throwSystemError("socketpair");
        } else if (::pipe2(fds, O_CLOEXEC) != 0) {
            throwSystemError("pipe2");
        }
        ends[0].reset(fds[0]);
        ends[1].reset(fds[1]);
    };
    open(there);
    open(back);
    const int in = there[0].get(), out = back[1].get();
    const int ourOut = there[1].get(), ourIn = back[0].get();
    const pid_t pid = ::fork();
    if (pid < 0) throwSystemError("fork");
    if (pid == 0) {
        runChildAndExit([=] {
            // Only close, read and write until _exit: async-signal-safe.
            char b[8];
            ::close(ourOut);  // or our own copy would keep the stream from ever ending
            ::close(ourIn);
            while (::read(in, b, 8) == 8) {
                if (::write(out, b, 8) != 8) break;
            }
            return 0;
        });
    }
    auto child = ChildProcess::adopt(pid);  // from here it is killed and reaped, whatever happens
    if (where == IpcPlacement::Same || where == IpcPlacement::Split) {
        // Before the warm-up trips; the child inherited this thread's pin to the engine's CPU.
        if (!detail::pinToCpu(pid, cpus.peerCpu(where))) throwSystemError("sched_setaffinity");
    }
    there[0].reset();
    back[1].reset();
    char b[8] = {};
    for (int i = 0; i < 10; ++i) {
        [[maybe_unused]] auto w = ::write(ourOut, b, 8);
        [[maybe_unused]] auto r = ::read(ourIn, b, 8);
    }
    std::vector<double> us;
    for (std::size_t i = 0; i < roundTrips; ++i) {
        const auto t0 = monotonicNs();
        if (::write(ourOut, b, 8) != 8 || ::read(ourIn, b, 8) != 8) break;
        us.push_back(static_cast<double>(monotonicNs() - t0) / 1e3);
    }
    there[1].reset();  // end of stream: the child leaves its loop and exits
    back[0].reset();
    child.wait(1000);
    std::sort(us.begin(), us.end());
    return quantileSorted(us, 0.5);
}

}  // namespace coreduel
