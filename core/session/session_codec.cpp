#include "core/session/session_codec.h"

#include <cstring>

namespace coreduel {

namespace {

/// Column of one field: each value as a zigzag delta from the one before it.
template <class T, class Get>
void column(PackWriter& w, std::span<const T> items, Get get) {
    // Deltas in unsigned arithmetic: they wrap instead of overflowing, and wrap back on reading.
    std::uint64_t previous = 0;
    for (const T& item : items) {
        const auto v = static_cast<std::uint64_t>(static_cast<std::int64_t>(get(item)));
        w.signedVarint(static_cast<std::int64_t>(v - previous));
        previous = v;
    }
}

template <class Items, class Set>
void readColumn(PackReader& r, Items& items, Set set) {
    std::uint64_t previous = 0;
    for (auto& item : items) {
        previous += static_cast<std::uint64_t>(r.signedVarint());
        set(item, static_cast<std::int64_t>(previous));
    }
}

/// A count read from a file, bounded so a damaged length cannot ask for terabytes.
std::size_t count(PackReader& r, std::size_t most) {
    const std::uint64_t n = r.varint();
    if (n > most) throw SessionFormatError("a count of " + std::to_string(n) + " is too large");
    return static_cast<std::size_t>(n);
}

constexpr std::size_t kMostPerRecord = 1u << 24;

/// An optional time as its distance from a reference: 0 for "not measured", else the distance
/// shifted away from 0 (a measured distance of 0 must not read back as "not measured").
std::int64_t optionalDistance(std::int64_t time, std::int64_t distance) {
    if (time == 0) return 0;
    return distance >= 0 ? distance + 1 : distance;
}
std::int64_t distanceOf(std::int64_t stored) {
    return stored > 0 ? stored - 1 : stored;
}

/// a + b and a - b that wrap instead of overflowing: a damaged file may hold any number.
std::int64_t plus(std::int64_t a, std::int64_t b) {
    return static_cast<std::int64_t>(static_cast<std::uint64_t>(a) + static_cast<std::uint64_t>(b));
}
std::int64_t minus(std::int64_t a, std::int64_t b) {
    return static_cast<std::int64_t>(static_cast<std::uint64_t>(a) - static_cast<std::uint64_t>(b));
}

}  // namespace

void PackWriter::varint(std::uint64_t v) {
    while (v >= 0x80) {
        m_bytes.push_back(static_cast<char>((v & 0x7f) | 0x80));
        v >>= 7;
    }
    m_bytes.push_back(static_cast<char>(v));
}

void PackWriter::f32(float v) {
    char b[4];
    std::memcpy(b, &v, 4);
    m_bytes.append(b, 4);
}

void PackWriter::f64(double v) {
    char b[8];
    std::memcpy(b, &v, 8);
    m_bytes.append(b, 8);
}

std::uint64_t PackReader::varint() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (m_pos >= m_bytes.size()) throw SessionFormatError("a number runs past the record");
        const auto byte = static_cast<unsigned char>(m_bytes[m_pos++]);
        v |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
        if ((byte & 0x80) == 0) return v;
    }
    throw SessionFormatError("a number is longer than 64 bits");
}

float PackReader::f32() {
    if (m_bytes.size() - m_pos < 4) throw SessionFormatError("a number runs past the record");
    float v;
    std::memcpy(&v, m_bytes.data() + m_pos, 4);
    m_pos += 4;
    return v;
}

double PackReader::f64() {
    if (m_bytes.size() - m_pos < 8) throw SessionFormatError("a number runs past the record");
    double v;
    std::memcpy(&v, m_bytes.data() + m_pos, 8);
    m_pos += 8;
    return v;
}

std::string encodeTaskEvents(std::uint32_t run, std::span<const TaskEvent> e) {
    PackWriter w;
    w.varint(run);
    w.varint(e.size());
    column(w, e, [](const TaskEvent& x) { return x.task; });
    column(w, e, [](const TaskEvent& x) { return x.worker; });
    column(w, e, [](const TaskEvent& x) { return x.pid; });
    column(w, e, [](const TaskEvent& x) { return x.tid; });
    column(w, e, [](const TaskEvent& x) { return x.startNs; });
    column(w, e, [](const TaskEvent& x) { return minus(x.endNs, x.startNs); });
    column(w, e, [](const TaskEvent& x) { return x.cpuStart; });
    column(w, e, [](const TaskEvent& x) { return x.cpuEnd; });
    column(w, e, [](const TaskEvent& x) { return x.gilWaitNs; });
    column(w, e, [](const TaskEvent& x) { return x.gilWaitBeforeNs; });
    column(w, e, [](const TaskEvent& x) { return x.cpuNs; });
    // Process runs only (0 elsewhere): kept relative to the task so they stay small.
    column(w, e, [](const TaskEvent& x) {
        return optionalDistance(x.sentNs, minus(x.startNs, x.sentNs));
    });
    column(w, e, [](const TaskEvent& x) {
        return optionalDistance(x.receivedNs, minus(x.receivedNs, x.endNs));
    });
    return std::move(w.bytes());
}

std::pair<std::uint32_t, std::size_t> peekTaskEvents(std::string_view bytes) {
    PackReader r(bytes);
    const auto run = static_cast<std::uint32_t>(r.varint());
    return {run, count(r, kMostPerRecord)};
}

std::vector<TaskEvent> decodeTaskEvents(std::string_view bytes, std::uint32_t& run) {
    std::vector<TaskEvent> out;
    decodeTaskEventsInto(bytes, run, out);
    return out;
}

void decodeTaskEventsInto(std::string_view bytes, std::uint32_t& run, std::vector<TaskEvent>& out) {
    PackReader r(bytes);
    run = static_cast<std::uint32_t>(r.varint());
    const std::size_t n = count(r, kMostPerRecord);
    const std::size_t first = out.size();
    out.resize(first + n);
    std::span<TaskEvent> e(out.data() + first, n);
    readColumn(r, e, [](TaskEvent& x, std::int64_t v) { x.task = static_cast<std::uint64_t>(v); });
    readColumn(r, e,
               [](TaskEvent& x, std::int64_t v) { x.worker = static_cast<std::uint32_t>(v); });
    readColumn(r, e, [](TaskEvent& x, std::int64_t v) { x.pid = static_cast<std::int32_t>(v); });
    readColumn(r, e, [](TaskEvent& x, std::int64_t v) { x.tid = static_cast<std::int32_t>(v); });
    readColumn(r, e, [](TaskEvent& x, std::int64_t v) { x.startNs = v; });
    readColumn(r, e, [](TaskEvent& x, std::int64_t v) { x.endNs = plus(x.startNs, v); });
    readColumn(r, e,
               [](TaskEvent& x, std::int64_t v) { x.cpuStart = static_cast<std::int16_t>(v); });
    readColumn(r, e, [](TaskEvent& x, std::int64_t v) { x.cpuEnd = static_cast<std::int16_t>(v); });
    readColumn(r, e, [](TaskEvent& x, std::int64_t v) { x.gilWaitNs = v; });
    readColumn(r, e, [](TaskEvent& x, std::int64_t v) { x.gilWaitBeforeNs = v; });
    readColumn(r, e, [](TaskEvent& x, std::int64_t v) { x.cpuNs = v; });
    readColumn(r, e, [](TaskEvent& x, std::int64_t v) {
        x.sentNs = v == 0 ? 0 : minus(x.startNs, distanceOf(v));
    });
    readColumn(r, e, [](TaskEvent& x, std::int64_t v) {
        x.receivedNs = v == 0 ? 0 : plus(x.endNs, distanceOf(v));
    });
    if (!r.atEnd()) {
        out.resize(first);
        throw SessionFormatError("task events: bytes left after the last column");
    }
}

std::string encodeGilTimeline(std::uint32_t run, const GilTimeline& t) {
    PackWriter w;
    w.varint(run);
    w.varint(t.capPerThread);
    w.varint(t.droppedPerWorker.size());
    for (auto d : t.droppedPerWorker) w.varint(d);
    const std::span<const GilInterval> iv(t.intervals);
    w.varint(iv.size());
    column(w, iv, [](const GilInterval& x) { return x.startNs; });
    column(w, iv, [](const GilInterval& x) { return minus(x.endNs, x.startNs); });
    column(w, iv, [](const GilInterval& x) { return x.worker; });
    column(w, iv, [](const GilInterval& x) { return int(x.kind) | (x.forced ? 2 : 0); });
    return std::move(w.bytes());
}

GilTimeline decodeGilTimeline(std::string_view bytes, std::uint32_t& run) {
    PackReader r(bytes);
    GilTimeline t;
    run = static_cast<std::uint32_t>(r.varint());
    t.capPerThread = static_cast<std::size_t>(r.varint());
    t.droppedPerWorker.resize(count(r, 1u << 16));
    for (auto& d : t.droppedPerWorker) d = r.varint();
    t.intervals.resize(count(r, kMostPerRecord));
    readColumn(r, t.intervals, [](GilInterval& x, std::int64_t v) { x.startNs = v; });
    readColumn(r, t.intervals,
               [](GilInterval& x, std::int64_t v) { x.endNs = plus(x.startNs, v); });
    readColumn(r, t.intervals,
               [](GilInterval& x, std::int64_t v) { x.worker = static_cast<std::uint32_t>(v); });
    readColumn(r, t.intervals, [](GilInterval& x, std::int64_t v) {
        x.kind = (v & 1) ? GilInterval::Hold : GilInterval::Wait;
        x.forced = (v & 2) != 0;
    });
    if (!r.atEnd()) throw SessionFormatError("GIL intervals: bytes left after the last column");
    return t;
}

std::string encodeSamples(std::span<const UtilizationSample> samples) {
    PackWriter w;
    w.varint(samples.size());
    for (const UtilizationSample& s : samples) {
        w.signedVarint(s.timeNs);
        w.signedVarint(s.windowNs);
        w.f64(s.systemResolutionPct);
        w.f64(s.oursResolutionPct);
        w.varint(s.cores.size());
        for (const CoreUsage& c : s.cores) {
            for (float f : {c.user, c.system, c.iowait, c.steal, c.idle, c.ours}) w.f32(f);
        }
        w.varint(s.workers.size());
        for (const WorkerSample& x : s.workers) {
            w.varint(x.worker);
            w.signedVarint(x.pid);
            w.signedVarint(x.tid);
            w.signedVarint(x.stat.runNs);
            w.signedVarint(x.stat.waitNs);
            w.signedVarint(x.stat.lastCpu);
            w.varint(x.stat.minorFaults);
            w.varint(x.stat.majorFaults);
            w.varint(x.stat.voluntarySwitches);
            w.varint(x.stat.involuntarySwitches);
            w.varint(x.stat.migrations);
            w.signedVarint(x.rssKib);
            w.signedVarint(x.pssKib);
        }
    }
    return std::move(w.bytes());
}

std::vector<UtilizationSample> decodeSamples(std::string_view bytes) {
    PackReader r(bytes);
    std::vector<UtilizationSample> samples(count(r, kMostPerRecord));
    for (UtilizationSample& s : samples) {
        s.timeNs = r.signedVarint();
        s.windowNs = r.signedVarint();
        s.systemResolutionPct = r.f64();
        s.oursResolutionPct = r.f64();
        s.cores.resize(count(r, 1u << 16));
        for (CoreUsage& c : s.cores) {
            for (float* f : {&c.user, &c.system, &c.iowait, &c.steal, &c.idle, &c.ours})
                *f = r.f32();
        }
        s.workers.resize(count(r, 1u << 16));
        for (WorkerSample& x : s.workers) {
            x.worker = static_cast<std::uint32_t>(r.varint());
            x.pid = static_cast<pid_t>(r.signedVarint());
            x.tid = static_cast<pid_t>(r.signedVarint());
            x.stat.runNs = r.signedVarint();
            x.stat.waitNs = r.signedVarint();
            x.stat.lastCpu = static_cast<int>(r.signedVarint());
            x.stat.minorFaults = r.varint();
            x.stat.majorFaults = r.varint();
            x.stat.voluntarySwitches = r.varint();
            x.stat.involuntarySwitches = r.varint();
            x.stat.migrations = r.varint();
            x.rssKib = r.signedVarint();
            x.pssKib = r.signedVarint();
        }
    }
    if (!r.atEnd()) throw SessionFormatError("samples: bytes left after the last sample");
    return samples;
}

}  // namespace coreduel
