// Rank 0: the engine's end inside the MPI job. It reads the job from the engine, hands chunks
// of tasks to the worker ranks as MPI messages (protocol.h frames, a window of them in flight
// per rank, the next chunk to whichever rank answers), forwards every result to the engine as
// it comes, and at the end collects each rank's account. It does no task itself: like the
// engine in the processes model, it only distributes and collects.

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <deque>
#include <list>
#include <map>
#include <optional>
#include <stdexcept>

#include "core/exec/chunking.h"
#include "core/exec/protocol.h"
#include "core/util/clock.h"
#include "core/util/sys.h"
#include "core/workloads/workload.h"
#include "mpi/mpi_util.h"
#include "mpi/ranks.h"

namespace coreduel::mpi {

namespace {

constexpr int kClockRounds = 16;
constexpr std::size_t kWindow = 2;  // chunks in flight per rank: the next one is always there

struct Job {
    std::string workload;
    std::map<std::string, std::string> params;
    std::size_t chunksize = 1;
    Schedule schedule = Schedule::Dynamic;
    std::uint32_t payloadBytes = 0;
    double taskTimeoutSeconds = 0;
    double sampleHz = 0;
};

/// The TCP stream to the engine: blocking writes, non-blocking reads.
class EngineLink {
public:
    explicit EngineLink(const EngineAddress& a) {
        addrinfo hints{};
        hints.ai_socktype = SOCK_STREAM;
        addrinfo* list = nullptr;
        if (const int rc = ::getaddrinfo(a.host.c_str(), a.port.c_str(), &hints, &list); rc != 0)
            throw std::runtime_error("cannot resolve the engine's address " + a.host + ": " +
                                     ::gai_strerror(rc));
        for (auto* ai = list; ai != nullptr && !m_fd.valid(); ai = ai->ai_next) {
            UniqueFd fd(::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, 0));
            if (fd.valid() && ::connect(fd.get(), ai->ai_addr, ai->ai_addrlen) == 0)
                m_fd = std::move(fd);
        }
        ::freeaddrinfo(list);
        if (!m_fd.valid()) throwSystemError("connect to the engine at " + a.host + ":" + a.port);
        const int one = 1;
        ::setsockopt(m_fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }

    void send(ByteWriter& w) { coreduel::writeAll(m_fd.get(), w.buffer().data(), w.size()); }

    /// The next frame: waits up to timeoutMs (-1: for ever). Throws when the engine is gone.
    std::optional<mpiwire::Frame> next(int timeoutMs) {
        for (;;) {
            if (auto f = m_in.next()) return f;
            pollfd p{m_fd.get(), POLLIN, 0};
            const int rc = ::poll(&p, 1, timeoutMs);
            if (rc < 0 && errno != EINTR) throwSystemError("poll");
            if (rc <= 0) return std::nullopt;
            std::byte buf[64 * 1024];
            const ssize_t n = ::read(m_fd.get(), buf, sizeof buf);
            if (n < 0 && errno != EINTR) throwSystemError("read from the engine");
            if (n == 0) throw std::runtime_error("the engine closed the link");
            if (n > 0) m_in.append(buf, static_cast<std::size_t>(n));
            timeoutMs = 0;
        }
    }

private:
    UniqueFd m_fd;
    mpiwire::Assembler m_in;
};

struct PendingSend {
    std::vector<std::byte> bytes;
    MPI_Request request = MPI_REQUEST_NULL;
};

struct Rank {
    int rank = 0;
    protocol::FrameAssembler in;
    std::deque<Chunk> inFlight;
    std::int64_t frontSinceNs = 0;  // the first chunk in flight began no earlier than this
    std::list<PendingSend> sends;
    bool saidBye = false;
    mpiwire::RankFinal final;
};

class Coordinator {
public:
    Coordinator(const EngineAddress& address, int size, std::int64_t mainEnteredNs)
        : m_link(address), m_size(size), m_mainEnteredNs(mainEnteredNs) {
        m_start = usageNow();
        ByteWriter w;
        const auto f = mpiwire::begin(w, mpiwire::Msg::Hello);
        w.str(address.token);
        w.u32(static_cast<std::uint32_t>(size));
        w.str(hostLabel());
        w.str(mpiwire::bootId());
        w.i64(::getpid());
        mpiwire::finish(w, f);
        m_link.send(w);
    }

    int run() {
        readJob();
        m_ctx = joinJob(0, m_size, m_mainEnteredNs, m_job.sampleHz);
        if (m_ctx.samplesHost) m_sampler.emplace(m_ctx);
        meetRanks();
        m_workload = createWorkload(m_job.workload, m_job.params);
        m_workload->prepare();
        const auto chunks = planChunks(m_workload->taskCount(), m_job.chunksize);
        m_queue.emplace(chunks, m_job.schedule, static_cast<unsigned>(m_ranks.size()));
        sendSetup();
        sendToEngine(mpiwire::Msg::Started);
        for (auto& r : m_ranks) refill(r);
        distribute();
        sendToEngine(mpiwire::Msg::Finished);
        for (auto& r : m_ranks) queueSend(r, {});  // end of stream: the rank says Bye
        while (!allSaidBye()) pumpRanks();
        for (auto& r : m_ranks) waitSends(r);
        finish();
        return 0;
    }

    /// Something went wrong inside the job: tell the engine, then end every rank.
    [[noreturn]] void fail(std::uint32_t rank, std::uint64_t task, const std::string& message) {
        try {
            ByteWriter w;
            const auto f = mpiwire::begin(w, mpiwire::Msg::Failed);
            w.u32(rank);
            w.u64(task);
            w.str(message);
            mpiwire::finish(w, f);
            m_link.send(w);
        } catch (...) {
            // The engine is gone as well: it will see the job end.
        }
        MPI_Abort(MPI_COMM_WORLD, 3);
        std::_Exit(3);
    }

private:
    void readJob() {
        for (;;) {
            auto f = m_link.next(-1);
            ByteReader in(f->payload);
            if (f->type == mpiwire::Msg::Ping) {
                const auto t0 = in.i64();
                ByteWriter w;
                const auto o = mpiwire::begin(w, mpiwire::Msg::Pong);
                w.i64(t0);
                w.i64(monotonicNs());
                mpiwire::finish(w, o);
                m_link.send(w);
            } else if (f->type == mpiwire::Msg::Job) {
                m_job.workload = in.str();
                for (auto n = in.u32(); n > 0; --n) {
                    auto key = in.str();
                    m_job.params[key] = in.str();
                }
                m_job.chunksize = std::max<std::size_t>(1, in.u64());
                m_job.schedule = in.u8() == 1 ? Schedule::Static : Schedule::Dynamic;
                m_job.payloadBytes = in.u32();
                m_job.taskTimeoutSeconds = in.f64();
                m_job.sampleHz = in.f64();
                return;
            } else if (f->type == mpiwire::Msg::Cancel) {
                fail(0, mpiwire::kNoTask, "cancelled");
            }
        }
    }

    /// Every rank's introduction and a clock comparison with each, then the list to the engine.
    void meetRanks() {
        std::vector<mpiwire::RankInfo> infos;
        mpiwire::RankInfo self;
        self.host = m_ctx.host;
        self.bootId = mpiwire::bootId();
        self.pid = static_cast<std::int32_t>(::getpid());
        self.mainEnteredNs = m_mainEnteredNs;
        self.readyNs = monotonicNs();
        infos.push_back(self);
        for (int r = 1; r < m_size; ++r) {
            const int bytes = waitForMessage(r, kTagInfo);
            std::vector<std::byte> buf(static_cast<std::size_t>(bytes));
            MPI_Recv(buf.data(), bytes, MPI_BYTE, r, kTagInfo, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            ByteReader in(buf);
            auto info = mpiwire::readRankInfo(in);
            info.toRank0 = invert(measureClock(r, kClockRounds));
            endClock(r);
            infos.push_back(std::move(info));
            Rank rank;
            rank.rank = r;
            rank.final.rank = static_cast<std::uint32_t>(r);
            m_ranks.push_back(std::move(rank));
        }
        ByteWriter w;
        const auto f = mpiwire::begin(w, mpiwire::Msg::Ranks);
        w.u32(static_cast<std::uint32_t>(infos.size()));
        for (const auto& i : infos) mpiwire::writeRankInfo(w, i);
        mpiwire::finish(w, f);
        m_link.send(w);
    }

    /// measureClock gives the rank's clock minus ours; RankInfo keeps ours minus the rank's.
    static mpiwire::ClockOffset invert(mpiwire::ClockOffset o) {
        o.offsetNs = -o.offsetNs;
        return o;
    }

    void sendSetup() {
        for (auto& r : m_ranks) {
            std::vector<std::byte> bytes;
            ByteWriter w(bytes);
            const auto f = protocol::beginFrame(w, protocol::Type::Setup);
            w.str(m_job.workload);
            w.u32(static_cast<std::uint32_t>(m_job.params.size()));
            for (const auto& [k, v] : m_job.params) {
                w.str(k);
                w.str(v);
            }
            w.u32(static_cast<std::uint32_t>(r.rank - 1));
            protocol::finishFrame(w, f);
            queueSend(r, std::move(bytes));
        }
    }

    void queueSend(Rank& r, std::vector<std::byte> bytes) {
        r.final.bytesToRank += bytes.size();
        auto& s = r.sends.emplace_back();
        s.bytes = std::move(bytes);
        MPI_Isend(s.bytes.data(), static_cast<int>(s.bytes.size()), MPI_BYTE, r.rank, kTagData,
                  MPI_COMM_WORLD, &s.request);
    }

    void reapSends(Rank& r) {
        for (auto it = r.sends.begin(); it != r.sends.end();) {
            int done = 0;
            MPI_Test(&it->request, &done, MPI_STATUS_IGNORE);
            it = done ? r.sends.erase(it) : std::next(it);
        }
    }

    void waitSends(Rank& r) {
        for (auto& s : r.sends) MPI_Wait(&s.request, MPI_STATUS_IGNORE);
        r.sends.clear();
    }

    void refill(Rank& r) {
        while (r.inFlight.size() < kWindow) {
            auto chunk = m_queue->next(static_cast<unsigned>(r.rank - 1));
            if (!chunk) return;
            std::vector<std::byte> bytes;
            ByteWriter body(bytes);
            const auto f = protocol::beginFrame(body, protocol::Type::Chunk);
            body.u64(chunk->id);
            body.u32(static_cast<std::uint32_t>(chunk->count));
            ByteWriter task;
            for (std::size_t t = chunk->first; t < chunk->first + chunk->count; ++t) {
                body.u64(t);
                task.buffer().clear();
                m_workload->encodeTask(t, task);
                body.bytes(task.buffer());
                // The payload stands for pickled arguments, as in the processes model.
                body.u32(m_job.payloadBytes);
                const auto at = bytes.size();
                bytes.resize(at + m_job.payloadBytes);
                if (m_job.payloadBytes > 0)
                    std::memset(bytes.data() + at, static_cast<int>(t & 0xff), m_job.payloadBytes);
            }
            protocol::finishFrame(body, f);
            if (r.inFlight.empty()) r.frontSinceNs = monotonicNs();
            r.inFlight.push_back(*chunk);
            ByteWriter d;
            const auto o = mpiwire::begin(d, mpiwire::Msg::Dispatched);
            d.u32(static_cast<std::uint32_t>(r.rank));
            d.u64(chunk->id);
            d.u64(chunk->first);
            d.u32(static_cast<std::uint32_t>(chunk->count));
            d.u64(bytes.size());
            mpiwire::finish(d, o);
            m_link.send(d);
            queueSend(r, std::move(bytes));
        }
    }

    void distribute() {
        Backoff backoff;
        while (m_done < m_workload->taskCount()) {
            const bool moved = pumpRanks();
            if (auto f = m_link.next(0); f && f->type == mpiwire::Msg::Cancel)
                fail(0, mpiwire::kNoTask, "cancelled");
            checkTimeouts();
            if (moved)
                backoff.reset();
            else
                backoff.pause();
        }
    }

    /// Takes every message the ranks sent; true if there was one.
    bool pumpRanks() {
        bool moved = false;
        for (;;) {
            int flag = 0;
            MPI_Status st;
            MPI_Iprobe(MPI_ANY_SOURCE, kTagData, MPI_COMM_WORLD, &flag, &st);
            if (!flag) break;
            int count = 0;
            MPI_Get_count(&st, MPI_BYTE, &count);
            std::vector<std::byte> buf(static_cast<std::size_t>(count));
            MPI_Recv(buf.data(), count, MPI_BYTE, st.MPI_SOURCE, kTagData, MPI_COMM_WORLD,
                     MPI_STATUS_IGNORE);
            auto& r = m_ranks.at(static_cast<std::size_t>(st.MPI_SOURCE - 1));
            r.final.bytesFromRank += static_cast<std::uint64_t>(count);
            r.in.append(buf.data(), buf.size());
            handleFrames(r);
            moved = true;
        }
        for (auto& r : m_ranks) reapSends(r);
        return moved;
    }

    void handleFrames(Rank& r) {
        const auto rank = static_cast<std::uint32_t>(r.rank);
        while (auto frame = r.in.next()) {
            ByteReader in(frame->payload);
            switch (frame->type) {
                case protocol::Type::Ready:
                    break;
                case protocol::Type::Results: {
                    const auto chunkId = in.u64();
                    const auto n = in.u32();
                    if (r.inFlight.empty() || r.inFlight.front().id != chunkId)
                        fail(rank, mpiwire::kNoTask, "answered a chunk out of order");
                    r.inFlight.pop_front();
                    r.frontSinceNs = monotonicNs();
                    m_done += n;
                    ByteWriter w;
                    const auto f = mpiwire::begin(w, mpiwire::Msg::Results);
                    w.u32(rank);
                    w.raw(frame->payload.data(), frame->payload.size());
                    mpiwire::finish(w, f);
                    m_link.send(w);
                    refill(r);
                    break;
                }
                case protocol::Type::Error: {
                    in.u64();
                    const auto task = in.u64();
                    fail(rank, task, in.str());
                }
                case protocol::Type::Fatal:
                    fail(rank, mpiwire::kNoTask, in.str());
                case protocol::Type::Bye:
                    in.i64();  // its peak RSS: the rank's own account has it
                    in.i64();  // waiting for work: the idle remainder
                    r.final.recvNs = in.i64();
                    r.final.decodeNs = in.i64();
                    r.final.insideTasksNs = in.i64();
                    r.final.encodeNs = in.i64();
                    r.final.sendNs = in.i64();
                    r.final.taskCpuNs = in.i64();
                    r.saidBye = true;
                    break;
                default:
                    fail(rank, mpiwire::kNoTask, "sent an unexpected message");
            }
        }
    }

    void checkTimeouts() {
        if (m_job.taskTimeoutSeconds <= 0) return;
        const auto now = monotonicNs();
        for (const auto& r : m_ranks) {
            if (r.inFlight.empty()) continue;
            // Results come per chunk, so the limit applies to the chunk: its tasks each had
            // the limit.
            const auto& c = r.inFlight.front();
            const double limit = m_job.taskTimeoutSeconds * static_cast<double>(c.count);
            if (static_cast<double>(now - r.frontSinceNs) / 1e9 <= limit) continue;
            char limitText[32];
            std::snprintf(limitText, sizeof limitText, "%g", m_job.taskTimeoutSeconds);
            fail(static_cast<std::uint32_t>(r.rank), c.first,
                 std::string("exceeded the task timeout of ") + limitText + " s " +
                     (c.count == 1 ? "on task " + std::to_string(c.first)
                                   : "on its chunk of tasks " + std::to_string(c.first) + "-" +
                                         std::to_string(c.first + c.count - 1)));
        }
    }

    [[nodiscard]] bool allSaidBye() const {
        for (const auto& r : m_ranks)
            if (!r.saidBye) return false;
        return true;
    }

    /// The clocks again, every rank's account, and the host samples: the engine's Done.
    void finish() {
        for (auto& r : m_ranks) {
            r.final.toRank0End = invert(measureClock(r.rank, kClockRounds));
            endClock(r.rank);
        }
        std::vector<mpiwire::RankFinal> finals;
        std::vector<mpiwire::HostSamples> hosts;
        mpiwire::RankFinal self;
        fillUsage(self, m_start, usageNow());
        finals.push_back(self);
        if (m_sampler) hosts.push_back(m_sampler->finish());
        for (auto& r : m_ranks) {
            const int bytes = waitForMessage(r.rank, kTagFinal);
            std::vector<std::byte> buf(static_cast<std::size_t>(bytes));
            MPI_Recv(buf.data(), bytes, MPI_BYTE, r.rank, kTagFinal, MPI_COMM_WORLD,
                     MPI_STATUS_IGNORE);
            ByteReader in(buf);
            auto own = mpiwire::readRankFinal(in);
            // Rank 0's view of the traffic and of the worker loop's Bye, the rank's own
            // view of its resources.
            auto& f = r.final;
            f.cpuUserNs = own.cpuUserNs;
            f.cpuSystemNs = own.cpuSystemNs;
            f.maxRssKib = own.maxRssKib;
            f.voluntarySwitches = own.voluntarySwitches;
            f.involuntarySwitches = own.involuntarySwitches;
            f.minorFaults = own.minorFaults;
            f.majorFaults = own.majorFaults;
            finals.push_back(f);
            if (in.u8() == 1) hosts.push_back(mpiwire::readHostSamples(in));
        }
        ByteWriter w;
        const auto f = mpiwire::begin(w, mpiwire::Msg::Done);
        w.u32(static_cast<std::uint32_t>(finals.size()));
        for (const auto& x : finals) mpiwire::writeRankFinal(w, x);
        w.u32(static_cast<std::uint32_t>(hosts.size()));
        for (const auto& h : hosts) mpiwire::writeHostSamples(w, h);
        mpiwire::finish(w, f);
        m_link.send(w);
    }

    void sendToEngine(mpiwire::Msg type) {
        ByteWriter w;
        const auto f = mpiwire::begin(w, type);
        mpiwire::finish(w, f);
        m_link.send(w);
    }

    EngineLink m_link;
    int m_size;
    std::int64_t m_mainEnteredNs;
    Usage m_start;
    Job m_job;
    JobContext m_ctx;
    std::optional<HostSampler> m_sampler;
    std::unique_ptr<Workload> m_workload;
    std::optional<ChunkQueue> m_queue;
    std::vector<Rank> m_ranks;
    std::size_t m_done = 0;
};

}  // namespace

int runCoordinator(const EngineAddress& engine, int size, std::int64_t mainEnteredNs) {
    std::optional<Coordinator> c;
    try {
        c.emplace(engine, size, mainEnteredNs);
    } catch (const std::exception& e) {
        // Without the engine there is nobody to work for: end the job at once.
        std::fprintf(stderr, "coreduel-mpi-worker: rank 0: %s\n", e.what());
        MPI_Abort(MPI_COMM_WORLD, 2);
        return 2;
    }
    try {
        return c->run();
    } catch (const std::exception& e) {
        c->fail(0, mpiwire::kNoTask, std::string("rank 0: ") + e.what());
    }
}

EngineAddress parseEngineAddress(const std::string& text) {
    const auto last = text.rfind(':');
    const auto mid = last == std::string::npos ? std::string::npos : text.rfind(':', last - 1);
    if (mid == std::string::npos || mid == 0)
        throw std::invalid_argument("--connect wants HOST:PORT:TOKEN, not " + text);
    return {text.substr(0, mid), text.substr(mid + 1, last - mid - 1), text.substr(last + 1)};
}

}  // namespace coreduel::mpi
