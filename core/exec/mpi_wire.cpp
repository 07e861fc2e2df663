#include "core/exec/mpi_wire.h"

#include <algorithm>
#include <cstring>
#include <fstream>

namespace coreduel::mpiwire {

ClockOffset offsetFrom(std::int64_t t0, std::int64_t t1, std::int64_t t2) {
    // The answer was read somewhere inside [t0, t2]: the midpoint is the best guess, half the
    // round trip the bound.
    const auto half = std::max<std::int64_t>(0, t2 - t0) / 2;
    return {t1 - (t0 + half), half};
}

ClockOffset bestOf(const std::vector<ClockOffset>& samples) {
    if (samples.empty()) return {};
    return *std::min_element(samples.begin(), samples.end(),
                             [](const ClockOffset& a, const ClockOffset& b) {
                                 return a.uncertaintyNs < b.uncertaintyNs;
                             });
}

void writeRankInfo(ByteWriter& w, const RankInfo& r) {
    w.u32(r.rank);
    w.str(r.host);
    w.str(r.bootId);
    w.i64(r.pid);
    w.i64(r.mainEnteredNs);
    w.i64(r.readyNs);
    w.i64(r.toRank0.offsetNs);
    w.i64(r.toRank0.uncertaintyNs);
}

RankInfo readRankInfo(ByteReader& in) {
    RankInfo r;
    r.rank = in.u32();
    r.host = in.str();
    r.bootId = in.str();
    r.pid = static_cast<std::int32_t>(in.i64());
    r.mainEnteredNs = in.i64();
    r.readyNs = in.i64();
    r.toRank0.offsetNs = in.i64();
    r.toRank0.uncertaintyNs = in.i64();
    return r;
}

void writeRankFinal(ByteWriter& w, const RankFinal& r) {
    w.u32(r.rank);
    for (auto v : {r.cpuUserNs, r.cpuSystemNs, r.maxRssKib, r.voluntarySwitches,
                   r.involuntarySwitches, r.minorFaults, r.majorFaults, r.recvNs, r.decodeNs,
                   r.insideTasksNs, r.encodeNs, r.sendNs, r.taskCpuNs})
        w.i64(v);
    w.u64(r.bytesToRank);
    w.u64(r.bytesFromRank);
    w.i64(r.toRank0End.offsetNs);
    w.i64(r.toRank0End.uncertaintyNs);
}

RankFinal readRankFinal(ByteReader& in) {
    RankFinal r;
    r.rank = in.u32();
    for (auto* v : {&r.cpuUserNs, &r.cpuSystemNs, &r.maxRssKib, &r.voluntarySwitches,
                    &r.involuntarySwitches, &r.minorFaults, &r.majorFaults, &r.recvNs, &r.decodeNs,
                    &r.insideTasksNs, &r.encodeNs, &r.sendNs, &r.taskCpuNs})
        *v = in.i64();
    r.bytesToRank = in.u64();
    r.bytesFromRank = in.u64();
    r.toRank0End.offsetNs = in.i64();
    r.toRank0End.uncertaintyNs = in.i64();
    return r;
}

void writeHostSamples(ByteWriter& w, const HostSamples& h) {
    w.str(h.host);
    w.u32(h.rank);
    w.u32(h.cores);
    w.u32(static_cast<std::uint32_t>(h.samples.size()));
    for (const auto& s : h.samples) {
        w.i64(s.timeNs);
        w.i64(s.windowNs);
        for (std::uint32_t c = 0; c < h.cores; ++c) {
            const float u = c < s.user.size() ? s.user[c] : 0.0f;
            const float y = c < s.system.size() ? s.system[c] : 0.0f;
            w.raw(&u, sizeof u);
            w.raw(&y, sizeof y);
        }
    }
}

HostSamples readHostSamples(ByteReader& in) {
    HostSamples h;
    h.host = in.str();
    h.rank = in.u32();
    h.cores = in.u32();
    if (h.cores > 65536) throw DecodeError("host samples: implausible core count");
    const auto n = in.u32();
    for (std::uint32_t i = 0; i < n; ++i) {
        HostSample s;
        s.timeNs = in.i64();
        s.windowNs = in.i64();
        s.user.resize(h.cores);
        s.system.resize(h.cores);
        for (std::uint32_t c = 0; c < h.cores; ++c) {
            const auto u = in.take(sizeof(float));
            std::memcpy(&s.user[c], u.data(), sizeof(float));
            const auto y = in.take(sizeof(float));
            std::memcpy(&s.system[c], y.data(), sizeof(float));
        }
        h.samples.push_back(std::move(s));
    }
    return h;
}

std::size_t begin(ByteWriter& w, Msg type) {
    const auto offset = w.size();
    w.u32(0);
    w.u8(static_cast<std::uint8_t>(type));
    return offset;
}

void finish(ByteWriter& w, std::size_t offset) {
    const auto len = w.size() - offset - kHeaderSize;
    if (len > kMaxFrame) throw DecodeError("MPI link: frame too large");
    w.patchU32(offset, static_cast<std::uint32_t>(len));
}

std::optional<Frame> Assembler::next() {
    if (m_buf.size() - m_pos < kHeaderSize) {
        if (m_pos > 0) {
            m_buf.erase(m_buf.begin(), m_buf.begin() + static_cast<std::ptrdiff_t>(m_pos));
            m_pos = 0;
        }
        return std::nullopt;
    }
    std::uint32_t len = 0;
    std::memcpy(&len, m_buf.data() + m_pos, sizeof len);
    const auto type = static_cast<std::uint8_t>(m_buf[m_pos + 4]);
    const bool known = (type >= 1 && type <= 3) || (type >= 10 && type <= 18);
    if (len > kMaxFrame || !known)
        throw DecodeError("MPI link: corrupt frame header (type " + std::to_string(type) + ")");
    if (m_buf.size() - m_pos - kHeaderSize < len) return std::nullopt;
    Frame f{static_cast<Msg>(type), {}};
    const auto* start = m_buf.data() + m_pos + kHeaderSize;
    f.payload.assign(start, start + len);
    m_pos += kHeaderSize + len;
    return f;
}

std::string bootId() {
    std::ifstream in("/proc/sys/kernel/random/boot_id");
    std::string id;
    std::getline(in, id);
    return id;
}

}  // namespace coreduel::mpiwire
