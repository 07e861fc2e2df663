// runMpi: the engine's side of an `mpi` run (mpi_executor.h says how the job is built).

#include "core/exec/mpi_executor.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <deque>
#include <map>

#include "core/exec/mpi_wire.h"
#include "core/proc/child_process.h"
#include "core/util/clock.h"
#include "core/util/install_paths.h"
#include "core/util/sigpipe.h"
#include "core/util/sys.h"

namespace coreduel {

namespace {

constexpr int kPollMs = 20;
constexpr int kClockRounds = 16;
constexpr int kExitGraceMs = 10'000;  // a finished job's mpirun finalizes and exits
constexpr int kAbortGraceMs = 5'000;  // a failed job: mpirun aborts it by itself
constexpr int kTermGraceMs = 3'000;   // SIGTERM: mpirun ends the job on every host

class MpiRun {
public:
    explicit MpiRun(const ExecRequest& req)
        : m_req(req), m_results(req.workload.taskCount()), m_have(req.workload.taskCount()) {
        m_out.mpi.emplace();
        m_out.mpi->mpirun = req.mpirun;
        m_out.mpi->hostfile = req.hostfile;
    }

    ExecOutcome run() {
        SigpipeBlock sigpipe;
        try {
            start();
            if (connect()) {
                syncClock();
                sendJob();
                pump();
            }
        } catch (const std::exception& e) {
            if (m_out.error.empty() && !m_out.cancelled) m_out.error = e.what();
        }
        finish();
        return std::move(m_out);
    }

private:
    void start() {
        const std::string worker = mpiWorkerExecutable();
        if (worker.empty()) throw std::runtime_error(mpiUnavailableReason(m_req.mpirun));
        const bool remote = !m_req.hostfile.empty();
        m_listen = UniqueFd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
        if (!m_listen.valid()) throwSystemError("socket");
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        // This machine only: loopback. With a hostfile rank 0 may run elsewhere; the one-time
        // token keeps anyone else from talking to us as rank 0.
        addr.sin_addr.s_addr = htonl(remote ? INADDR_ANY : INADDR_LOOPBACK);
        if (::bind(m_listen.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
            throwSystemError("bind");
        if (::listen(m_listen.get(), 4) != 0) throwSystemError("listen");
        socklen_t len = sizeof addr;
        ::getsockname(m_listen.get(), reinterpret_cast<sockaddr*>(&addr), &len);
        std::string host = "127.0.0.1";
        if (remote) {
            if (const char* h = std::getenv("COREDUEL_MPI_ENGINE_HOST"); h != nullptr && *h) {
                host = h;
            } else {
                char name[256] = {};
                ::gethostname(name, sizeof name - 1);
                host = name;
            }
        }
        m_token = detail::randomToken();
        const auto address = host + ":" + std::to_string(ntohs(addr.sin_port)) + ":" + m_token;
        m_output = UniqueFd(::memfd_create("coreduel-mpirun-output", MFD_CLOEXEC));
        if (!m_output.valid()) throwSystemError("memfd_create");
        UniqueFd devnull(::open("/dev/null", O_RDONLY | O_CLOEXEC));
        m_spawnedNs = monotonicNs();
        m_proc = spawnProgram(
            detail::mpirunCommand(m_req.mpirun, m_req.hostfile, m_req.config.workers + 1,
                                  {worker, "--connect", address}),
            {{devnull.get(), 0}, {m_output.get(), 1}, {m_output.get(), 2}},
            SpawnOptions{.newProcessGroup = true});
        m_group = m_proc.pid();
    }

    /// Waits for rank 0 to connect and say hello with our token.
    bool connect() {
        const auto deadline =
            m_spawnedNs + static_cast<std::int64_t>(m_req.mpiStartupTimeoutSeconds * 1e9);
        while (!m_link.valid()) {
            if (m_req.cancel.load()) return cancelled();
            pollfd fds[2] = {{m_listen.get(), POLLIN, 0}, {m_proc.pidfd(), POLLIN, 0}};
            if (::poll(fds, 2, kPollMs) < 0 && errno != EINTR) throwSystemError("poll");
            if (fds[1].revents & POLLIN) {
                m_jobEnded = true;
                return false;
            }
            if (fds[0].revents & POLLIN) {
                m_link = UniqueFd(::accept4(m_listen.get(), nullptr, nullptr, SOCK_CLOEXEC));
                if (!m_link.valid()) throwSystemError("accept4");
                const int one = 1;
                ::setsockopt(m_link.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            }
            if (monotonicNs() > deadline)
                throw std::runtime_error("the MPI job did not start within " +
                                         std::to_string(m_req.mpiStartupTimeoutSeconds) + " s");
        }
        auto hello = nextFrame(deadline);
        if (!hello) return false;
        ByteReader in(hello->payload);
        if (hello->type != mpiwire::Msg::Hello || in.str() != m_token)
            throw std::runtime_error("something other than rank 0 connected to the engine");
        m_worldSize = in.u32();
        m_rank0Host = in.str();
        m_rank0Boot = in.str();
        m_rank0Pid = static_cast<std::int32_t>(in.i64());
        m_listen.reset();
        return true;
    }

    bool cancelled() {
        m_out.cancelled = true;
        return false;
    }

    /// The next frame from rank 0, reading as needed; nullopt once the job ended.
    std::optional<mpiwire::Frame> nextFrame(std::int64_t deadlineNs = 0) {
        for (;;) {
            if (auto f = m_in.next()) return f;
            if (!readSome(kPollMs)) return std::nullopt;
            if (deadlineNs != 0 && monotonicNs() > deadlineNs)
                throw std::runtime_error("rank 0 did not answer in time");
            if (m_req.cancel.load() && !m_out.cancelled) {
                cancelled();
                return std::nullopt;
            }
        }
    }

    /// Reads what is there (waiting up to timeoutMs); false when the link or mpirun ended
    /// and nothing is left to read.
    bool readSome(int timeoutMs) {
        if (m_jobEnded) return false;
        pollfd fds[2] = {{m_link.get(), POLLIN, 0}, {m_proc.pidfd(), POLLIN, 0}};
        if (::poll(fds, 2, timeoutMs) < 0 && errno != EINTR) throwSystemError("poll");
        if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            std::byte buf[64 * 1024];
            const ssize_t n = ::read(m_link.get(), buf, sizeof buf);
            if (n > 0) {
                m_in.append(buf, static_cast<std::size_t>(n));
                return true;
            }
            if (n == 0 || errno != EINTR) {
                m_jobEnded = true;
                return false;
            }
        }
        if (fds[1].revents & POLLIN) {
            // mpirun ended: whatever rank 0 wrote before is still in the socket.
            bool got = false;
            for (;;) {
                std::byte buf[64 * 1024];
                const ssize_t n = ::recv(m_link.get(), buf, sizeof buf, MSG_DONTWAIT);
                if (n <= 0) break;
                m_in.append(buf, static_cast<std::size_t>(n));
                got = true;
            }
            m_jobEnded = true;
            return got;
        }
        return true;
    }

    void send(ByteWriter& w) { writeAll(m_link.get(), w.buffer().data(), w.size()); }

    /// Rank 0's clock against ours, NTP style.
    void syncClock() {
        std::vector<mpiwire::ClockOffset> samples;
        for (int i = 0; i < kClockRounds; ++i) {
            ByteWriter w;
            const auto f = mpiwire::begin(w, mpiwire::Msg::Ping);
            const auto t0 = monotonicNs();
            w.i64(t0);
            mpiwire::finish(w, f);
            send(w);
            auto pong = nextFrame(t0 + 10'000'000'000);
            if (!pong || pong->type != mpiwire::Msg::Pong)
                throw std::runtime_error("rank 0 did not answer the clock ping");
            ByteReader in(pong->payload);
            const auto echoed = in.i64();
            const auto theirs = in.i64();
            samples.push_back(mpiwire::offsetFrom(echoed, theirs, monotonicNs()));
        }
        m_rank0Offset = mpiwire::bestOf(samples);
    }

    void sendJob() {
        ByteWriter w;
        const auto f = mpiwire::begin(w, mpiwire::Msg::Job);
        w.str(m_req.workload.name());
        const auto& params = m_req.workload.params().all();
        w.u32(static_cast<std::uint32_t>(params.size()));
        for (const auto& [k, v] : params) {
            w.str(k);
            w.str(v);
        }
        const auto& c = m_req.config;
        m_chunksize = c.chunksize > 0 ? c.chunksize : defaultChunksize(m_results.size(), c.workers);
        w.u64(m_chunksize);
        w.u8(c.schedule == Schedule::Static ? 1 : 0);
        w.u32(static_cast<std::uint32_t>(c.payloadBytes));
        w.f64(c.taskTimeoutSeconds);
        w.f64(m_req.hostSampleHz);
        mpiwire::finish(w, f);
        send(w);
    }

    void pump() {
        while (!m_done) {
            if (m_req.cancel.load() && !m_out.cancelled) {
                cancelled();
                ByteWriter w;
                mpiwire::finish(w, mpiwire::begin(w, mpiwire::Msg::Cancel));
                try {
                    send(w);
                } catch (const std::exception&) {
                }
                return;
            }
            auto f = nextFrame();
            if (!f) return;
            handle(*f);
            if (!m_out.error.empty()) return;
            flushEvents(false);
        }
    }

    void handle(const mpiwire::Frame& f) {
        ByteReader in(f.payload);
        switch (f.type) {
            case mpiwire::Msg::Ranks:
                return handleRanks(in);
            case mpiwire::Msg::Started:
                m_windowStartNs = monotonicNs();
                return;
            case mpiwire::Msg::Dispatched: {
                const auto rank = in.u32();
                in.u64();  // chunk id
                const auto first = in.u64();
                const auto count = in.u32();
                auto& w = workerOf(rank);
                w.bytesSent += in.u64();
                m_inFlight[rank].push_back({first, count, monotonicNs()});
                return;
            }
            case mpiwire::Msg::Results:
                return handleResults(in);
            case mpiwire::Msg::Failed:
                return handleFailed(in);
            case mpiwire::Msg::Finished:
                m_windowEndNs = monotonicNs();
                return;
            case mpiwire::Msg::Done:
                return handleDone(in);
            default:
                throw std::runtime_error("rank 0 sent an unexpected message");
        }
    }

    /// Rank's clock minus ours: the rank against rank 0, rank 0 against us.
    mpiwire::ClockOffset toEngine(const mpiwire::ClockOffset& rankToRank0) const {
        // RankInfo keeps rank 0's clock minus the rank's; m_rank0Offset is rank 0's minus ours.
        return {m_rank0Offset.offsetNs - rankToRank0.offsetNs,
                m_rank0Offset.uncertaintyNs + rankToRank0.uncertaintyNs};
    }

    void handleRanks(ByteReader& in) {
        const auto self = mpiwire::bootId();
        m_out.workers.resize(m_req.config.workers);
        std::int64_t lastReady = 0;
        for (auto n = in.u32(); n > 0; --n) {
            const auto info = mpiwire::readRankInfo(in);
            MpiRank r;
            r.rank = info.rank;
            r.host = info.host;
            r.pid = info.pid;
            r.sharedClock = !self.empty() && info.bootId == self;
            const auto off = toEngine(info.toRank0);
            r.offsetNs = off.offsetNs;
            r.uncertaintyNs = off.uncertaintyNs;
            const auto shift = r.sharedClock ? 0 : r.offsetNs;
            lastReady = std::max(lastReady, info.readyNs - shift);
            if (info.rank >= 1 && info.rank <= m_out.workers.size()) {
                auto& w = m_out.workers[info.rank - 1];
                w.worker = info.rank - 1;
                w.pid = info.pid;
                w.tid = info.pid;
                w.startupNs = std::max<std::int64_t>(0, info.readyNs - shift - m_spawnedNs);
                // The sampler reads /proc: only ranks on this machine can be followed.
                if (r.sharedClock && m_req.onWorkerStarted)
                    m_req.onWorkerStarted(w.worker, w.pid, w.tid);
            }
            m_out.mpi->ranks.push_back(std::move(r));
        }
        m_out.mpi->launchNs = std::max<std::int64_t>(0, lastReady - m_spawnedNs);
    }

    MpiRank* rankInfo(std::uint32_t rank) {
        for (auto& r : m_out.mpi->ranks)
            if (r.rank == rank) return &r;
        return nullptr;
    }

    WorkerStats& workerOf(std::uint32_t rank) {
        if (rank < 1 || rank > m_out.workers.size())
            throw DecodeError("rank 0 named rank " + std::to_string(rank) + ", not a worker");
        return m_out.workers[rank - 1];
    }

    std::string rankName(std::uint32_t rank) {
        const auto* r = rankInfo(rank);
        if (r == nullptr) return "rank " + std::to_string(rank);
        return "rank " + std::to_string(rank) + " (host " + r->host + ", pid " +
               std::to_string(r->pid) + ")";
    }

    void handleResults(ByteReader& in) {
        const auto rank = in.u32();
        auto& w = workerOf(rank);
        const auto* info = rankInfo(rank);
        const auto shift = info == nullptr || info->sharedClock ? 0 : info->offsetNs;
        const auto frameStart = in.remaining();
        in.u64();  // chunk id
        auto& flights = m_inFlight[rank];
        const auto sent = flights.empty() ? 0 : flights.front().sentNs;
        if (!flights.empty()) flights.pop_front();
        const auto now = monotonicNs();
        for (auto n = in.u32(); n > 0; --n) {
            TaskEvent ev;
            ev.task = in.u64();
            ev.worker = w.worker;
            ev.pid = w.pid;
            ev.tid = w.pid;
            ev.startNs = in.i64() - shift;
            ev.endNs = in.i64() - shift;
            const auto cpus = in.u32();
            ev.cpuStart = static_cast<std::int16_t>(cpus & 0xffff);
            ev.cpuEnd = static_cast<std::int16_t>(cpus >> 16);
            ev.cpuNs = in.i64();
            const auto result = in.bytes();
            in.bytes();  // the returned payload: it only had to travel
            if (ev.task >= m_results.size()) throw DecodeError("result for unknown task");
            if (m_have[ev.task]) throw DecodeError("task " + std::to_string(ev.task) + " twice");
            m_results[ev.task].assign(result.begin(), result.end());
            m_have[ev.task] = true;
            ++m_finished;
            ++w.tasks;
            ev.sentNs = sent;
            ev.receivedNs = now;
            m_events.push_back(ev);
        }
        w.bytesReceived += frameStart + mpiwire::kHeaderSize;
    }

    void handleFailed(ByteReader& in) {
        const auto rank = in.u32();
        const auto task = in.u64();
        const auto message = in.str();
        if (message == "cancelled" && m_out.cancelled) return;
        if (task == mpiwire::kNoTask)
            m_out.error = "mpi: " + rankName(rank) + ": " + message;
        else if (message.rfind("exceeded the task timeout", 0) == 0)
            m_out.error = "mpi: " + rankName(rank) + " " + message;
        else
            m_out.error =
                "task " + std::to_string(task) + " on " + rankName(rank) + " threw: " + message;
    }

    void handleDone(ByteReader& in) {
        const auto wall = m_windowEndNs - m_windowStartNs;
        for (auto n = in.u32(); n > 0; --n) {
            const auto f = mpiwire::readRankFinal(in);
            if (f.rank == 0) {
                // The coordinator's work, like the engine's own in the processes model.
                m_out.otherCpuUserNs = f.cpuUserNs;
                m_out.otherCpuSystemNs = f.cpuSystemNs;
                continue;
            }
            if (auto* r = rankInfo(f.rank)) {
                const auto end = toEngine(f.toRank0End);
                r->endOffsetNs = end.offsetNs;
                r->endUncertaintyNs = end.uncertaintyNs;
            }
            auto& w = workerOf(f.rank);
            w.cpuUserNs = f.cpuUserNs;
            w.cpuSystemNs = f.cpuSystemNs;
            w.maxRssKib = f.maxRssKib;
            w.voluntarySwitches = static_cast<std::uint64_t>(f.voluntarySwitches);
            w.involuntarySwitches = static_cast<std::uint64_t>(f.involuntarySwitches);
            w.minorFaults = static_cast<std::uint64_t>(f.minorFaults);
            w.majorFaults = static_cast<std::uint64_t>(f.majorFaults);
            auto& t = w.time;
            // The launch is outside the job's window (the wall time): the breakdown, a
            // partition of that window, leaves it out; the rank's start-up stays on w.
            t.startupNs = 0;
            t.computeNs = std::min(f.insideTasksNs, f.taskCpuNs);
            t.blockedNs = f.insideTasksNs - t.computeNs;
            t.decodeNs = f.decodeNs;
            t.encodeNs = f.encodeNs;
            t.transferNs = f.recvNs + f.sendNs;
            const auto used = t.computeNs + t.blockedNs + t.decodeNs + t.encodeNs + t.transferNs;
            t.idleNs = std::max<std::int64_t>(0, wall - used);
            w.exit = "rank " + std::to_string(f.rank) + " finished";
        }
        for (auto n = in.u32(); n > 0; --n) {
            const auto h = mpiwire::readHostSamples(in);
            const auto* r = rankInfo(h.rank);
            const auto shift = r == nullptr || r->sharedClock ? 0 : r->offsetNs;
            HostUtilization u;
            u.host = h.host;
            u.rank = h.rank;
            u.cores = h.cores;
            for (const auto& s : h.samples) {
                u.timeNs.push_back(s.timeNs - shift);
                u.windowNs.push_back(s.windowNs);
                std::vector<float> busy(h.cores);
                for (std::uint32_t c = 0; c < h.cores; ++c) busy[c] = s.user[c] + s.system[c];
                u.busy.push_back(std::move(busy));
            }
            m_out.mpi->hosts.push_back(std::move(u));
        }
        m_out.wallNs = wall;
        m_done = true;
    }

    void flushEvents(bool force) {
        const auto now = monotonicNs();
        if (!force && now - m_lastFlushNs < 50'000'000 && m_events.size() < 4096) return;
        m_lastFlushNs = now;
        if (!m_events.empty() && m_req.onEvents) m_req.onEvents(std::move(m_events));
        m_events.clear();
        if (m_req.onProgress) m_req.onProgress(m_finished, m_results.size());
    }

    /// Ends mpirun and everything it started, whatever happened (mpi_executor.h).
    void finish() {
        flushEvents(true);
        m_link.reset();
        if (!m_proc.valid()) return;
        // mpirun first gets the chance to end the job itself: after Done it finalizes, after
        // a failure rank 0 called MPI_Abort, after a rank died mpirun is already aborting
        // (a SIGTERM in the middle of that can crash Open MPI 4.1's mpirun). Only then
        // SIGTERM (mpirun ends the job on every host), then SIGKILL.
        const bool clean = m_done && m_out.error.empty() && !m_out.cancelled;
        auto exit = m_proc.wait(clean ? kExitGraceMs : kAbortGraceMs);
        if (!exit) {
            ::killpg(m_group, SIGTERM);
            exit = m_proc.wait(kTermGraceMs);
        }
        if (!exit) {
            ::killpg(m_group, SIGKILL);
            exit = m_proc.killAndWait();
        }
        ::killpg(m_group, SIGKILL);  // a launcher agent's child left behind, say
        const std::string said = detail::readAll(m_output.get());
        if (m_out.cancelled) return;
        if (!m_done && m_out.error.empty()) {
            std::string why;
            if (const auto death = detail::rankDeathFromMpirun(said)) {
                // Before the ranks said who they are, mpirun's own words name the host.
                why = "mpi: " +
                      (rankInfo(death->rank) != nullptr
                           ? rankName(death->rank)
                           : "rank " + std::to_string(death->rank) + " (host " + death->node + ")");
                why += death->signal != 0
                           ? " was killed by signal " + std::to_string(death->signal) + " (" +
                                 signalName(death->signal) + ")"
                           : " exited before the run was over";
                why += unanswered(death->rank);
            } else if (const auto status = detail::rankExitFromMpirun(said)) {
                why = "mpi: " + rankName(status->first) + " exited with status " +
                      std::to_string(status->second) + " before the run was over" +
                      unanswered(status->first);
            } else {
                why = "the MPI job (" + m_req.mpirun + ", pid " + std::to_string(m_group) + ") " +
                      (exit ? describeWaitStatus(exit->status) : std::string("vanished"));
                why += m_worldSize > 0 ? " with " + std::to_string(m_finished) + " of " +
                                             std::to_string(m_results.size()) + " tasks done"
                                       : " before rank 0 connected";
                const auto tail = detail::lastLines(said);
                if (!tail.empty()) why += "; mpirun said: " + tail;
            }
            m_out.error = why;
        }
        if (m_out.error.empty()) {
            m_out.chunksize = m_chunksize;
            m_out.chunks = (m_results.size() + m_chunksize - 1) / m_chunksize;
            m_out.results = std::move(m_results);
        }
    }

    /// " while running tasks 8-15": the oldest chunk the rank had not answered (it answers
    /// each chunk as soon as it is done, so that is the one it was on).
    std::string unanswered(std::uint32_t rank) {
        const auto it = m_inFlight.find(rank);
        if (it == m_inFlight.end() || it->second.empty()) return "";
        const auto& c = it->second.front();
        return c.count == 1 ? " while running task " + std::to_string(c.first)
                            : " while running its chunk of tasks " + std::to_string(c.first) + "-" +
                                  std::to_string(c.first + c.count - 1);
    }

    struct Flight {
        std::uint64_t first = 0;
        std::uint32_t count = 0;
        std::int64_t sentNs = 0;
    };

    const ExecRequest& m_req;
    ExecOutcome m_out;
    std::vector<std::vector<std::byte>> m_results;
    std::vector<bool> m_have;
    ChildProcess m_proc;
    pid_t m_group = -1;
    UniqueFd m_listen, m_link, m_output;
    mpiwire::Assembler m_in;
    std::string m_token;
    std::int64_t m_spawnedNs = 0;
    std::uint32_t m_worldSize = 0;
    std::string m_rank0Host, m_rank0Boot;
    std::int32_t m_rank0Pid = 0;
    mpiwire::ClockOffset m_rank0Offset;
    std::size_t m_chunksize = 1;
    std::map<std::uint32_t, std::deque<Flight>> m_inFlight;
    std::vector<TaskEvent> m_events;
    std::int64_t m_lastFlushNs = 0;
    std::int64_t m_windowStartNs = 0, m_windowEndNs = 0;
    std::size_t m_finished = 0;
    bool m_done = false;
    bool m_jobEnded = false;
};

}  // namespace

ExecOutcome runMpi(const ExecRequest& request) {
    MpiRun run(request);
    return run.run();
}

}  // namespace coreduel
