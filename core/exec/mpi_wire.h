#pragma once
// The link between the engine and rank 0 of an `mpi` run (mpi_executor.h says why there is
// one): a TCP stream rank 0 opens back to the engine. Frames are protocol.h's: u32 payload
// length, u8 type, payload. Inside the MPI job, tasks and results travel between rank 0 and
// the worker ranks as MPI messages carrying protocol.h's frames unchanged (Setup, Chunk,
// Ready, Results, Error, Fatal, Bye): the same bytes the processes model moves.
//
//   engine -> rank 0   Ping     i64 engine clock                 (NTP-style ping-pong)
//                      Job      str workload, u32 n, n x (str key, str value), u64 chunksize,
//                               u8 schedule, u32 payload bytes, f64 task timeout s, f64 sample Hz
//                      Cancel
//   rank 0 -> engine   Hello    str token, u32 ranks, str host, str boot id, i32 pid
//                      Pong     i64 the engine's clock echoed, i64 rank 0's clock
//                      Ranks    u32 n, n x RankInfo                (every rank ready)
//                      Started                                     (the first chunk goes out)
//                      Dispatched u32 rank, u64 chunk, u64 first task, u32 tasks, u64 bytes
//                      Results  u32 rank, the protocol Results payload as the rank sent it
//                      Failed   u32 rank, u64 task (kNoTask: none), str message
//                      Finished                                    (every result is in)
//                      Done     u32 n, n x RankFinal, u32 hosts, hosts x HostSamples

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/util/bytes.h"

namespace coreduel::mpiwire {

enum class Msg : std::uint8_t {
    Ping = 1,
    Job = 2,
    Cancel = 3,
    Hello = 10,
    Pong = 11,
    Ranks = 12,
    Started = 13,
    Dispatched = 14,
    Results = 15,
    Failed = 16,
    Finished = 17,
    Done = 18
};

inline constexpr std::uint64_t kNoTask = ~std::uint64_t{0};
inline constexpr std::size_t kHeaderSize = 5;
inline constexpr std::uint32_t kMaxFrame = 1u << 30;

/// One clock comparison, NTP style: `offsetNs` is the other clock minus ours at the same
/// instant, known to within +- `uncertaintyNs` (half the round trip of the best exchange).
struct ClockOffset {
    std::int64_t offsetNs = 0;
    std::int64_t uncertaintyNs = 0;
};
/// From one exchange: we sent at t0 (our clock), they answered t1 (theirs), back at t2 (ours).
ClockOffset offsetFrom(std::int64_t t0, std::int64_t t1, std::int64_t t2);
/// The exchange with the shortest round trip is the least disturbed one.
ClockOffset bestOf(const std::vector<ClockOffset>& samples);

/// A rank as it reported itself once it was ready for work; clocks are rank 0's.
struct RankInfo {
    std::uint32_t rank = 0;
    std::string host;    ///< COREDUEL_HOST_LABEL if set (several "hosts" on one machine), else
                         ///< the host name
    std::string bootId;  ///< /proc/sys/kernel/random/boot_id: same id, same monotonic clock
    std::int32_t pid = 0;
    std::int64_t mainEnteredNs = 0;  ///< the rank's clock
    std::int64_t readyNs = 0;        ///< the rank's clock
    ClockOffset toRank0;             ///< rank 0's clock minus this rank's, at the start
};

/// A rank's account at the end: what it used since it was ready, and its worker loop's Bye.
struct RankFinal {
    std::uint32_t rank = 0;
    std::int64_t cpuUserNs = 0;
    std::int64_t cpuSystemNs = 0;
    std::int64_t maxRssKib = 0;
    std::int64_t voluntarySwitches = 0;
    std::int64_t involuntarySwitches = 0;
    std::int64_t minorFaults = 0;
    std::int64_t majorFaults = 0;
    std::int64_t recvNs = 0;  ///< from Bye (rank 0 fills these from the rank's frame)
    std::int64_t decodeNs = 0;
    std::int64_t insideTasksNs = 0;
    std::int64_t encodeNs = 0;
    std::int64_t sendNs = 0;
    std::int64_t taskCpuNs = 0;
    std::uint64_t bytesToRank = 0;    ///< MPI payload bytes rank 0 sent it
    std::uint64_t bytesFromRank = 0;  ///< and received from it
    ClockOffset toRank0End;           ///< the clock comparison repeated at the end
};

/// Per-core busy shares of one host, sampled by the lowest rank on it (/proc/stat).
struct HostSample {
    std::int64_t timeNs = 0;  ///< end of the window, the sampling rank's clock
    std::int64_t windowNs = 0;
    std::vector<float> user, system;  ///< per core, fractions of the window
};
struct HostSamples {
    std::string host;
    std::uint32_t rank = 0;  ///< which rank sampled it
    std::uint32_t cores = 0;
    std::vector<HostSample> samples;
};

void writeRankInfo(ByteWriter& w, const RankInfo& r);
RankInfo readRankInfo(ByteReader& in);
void writeRankFinal(ByteWriter& w, const RankFinal& r);
RankFinal readRankFinal(ByteReader& in);
void writeHostSamples(ByteWriter& w, const HostSamples& h);
HostSamples readHostSamples(ByteReader& in);

/// Starts a frame in `w`; returns the offset to pass to finish.
std::size_t begin(ByteWriter& w, Msg type);
void finish(ByteWriter& w, std::size_t offset);

struct Frame {
    Msg type;
    std::vector<std::byte> payload;
};

/// Splits a byte stream into frames; throws DecodeError on a corrupt header.
class Assembler {
public:
    void append(const std::byte* data, std::size_t n) { m_buf.insert(m_buf.end(), data, data + n); }
    std::optional<Frame> next();

private:
    std::vector<std::byte> m_buf;
    std::size_t m_pos = 0;
};

/// This machine's boot id ("" if unreadable).
std::string bootId();

}  // namespace coreduel::mpiwire
