#pragma once
// The binary payloads of a session file: task events, GIL intervals and utilization samples,
// column by column (each field its own run of zigzag varint deltas), so that the compressor
// sees long runs of small, similar numbers. A task event costs about 5 bytes after zstd.

#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/exec/exec_result.h"
#include "core/gil/gil_trace.h"
#include "core/measure/cpu_sampler.h"

namespace coreduel {

/// A payload that does not decode: a damaged file, never a program error.
class SessionFormatError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Appends varints and floats to a byte string (not core/util/bytes.h's ByteWriter, which
/// writes fixed-width task payloads).
class PackWriter {
public:
    void varint(std::uint64_t v);
    void signedVarint(std::int64_t v) {
        varint((static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63));
    }
    void f32(float v);
    void f64(double v);
    [[nodiscard]] std::string& bytes() { return m_bytes; }

private:
    std::string m_bytes;
};

/// Reads what PackWriter wrote; throws SessionFormatError past the end.
class PackReader {
public:
    explicit PackReader(std::string_view bytes) : m_bytes(bytes) {}
    std::uint64_t varint();
    std::int64_t signedVarint() {
        const std::uint64_t u = varint();
        return static_cast<std::int64_t>(u >> 1) ^ -static_cast<std::int64_t>(u & 1);
    }
    float f32();
    double f64();
    [[nodiscard]] bool atEnd() const { return m_pos == m_bytes.size(); }

private:
    std::string_view m_bytes;
    std::size_t m_pos = 0;
};

std::string encodeTaskEvents(std::uint32_t run, std::span<const TaskEvent> events);
std::vector<TaskEvent> decodeTaskEvents(std::string_view bytes, std::uint32_t& run);
/// The same, appended to `out` (no temporary: a reopened session of a million events).
void decodeTaskEventsInto(std::string_view bytes, std::uint32_t& run, std::vector<TaskEvent>& out);
/// The run a TaskEvents payload belongs to and how many events it holds, without decoding.
std::pair<std::uint32_t, std::size_t> peekTaskEvents(std::string_view bytes);

std::string encodeGilTimeline(std::uint32_t run, const GilTimeline& t);
GilTimeline decodeGilTimeline(std::string_view bytes, std::uint32_t& run);

std::string encodeSamples(std::span<const UtilizationSample> samples);
std::vector<UtilizationSample> decodeSamples(std::string_view bytes);

}  // namespace coreduel
