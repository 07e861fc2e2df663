#include "core/exec/protocol.h"

#include <cstring>
#include <string>

#include "core/util/sys.h"

namespace coreduel::protocol {

std::size_t beginFrame(ByteWriter& w, Type type) {
    const auto offset = w.size();
    w.u32(0);
    w.u8(static_cast<std::uint8_t>(type));
    return offset;
}

void finishFrame(ByteWriter& w, std::size_t offset) {
    const auto len = w.size() - offset - kHeaderSize;
    if (len > kMaxFrame)
        throw DecodeError("frame of " + std::to_string(len) + " bytes is too large");
    w.patchU32(offset, static_cast<std::uint32_t>(len));
}

namespace {

bool validType(std::uint8_t t) {
    return t >= 1 && t <= 7;
}

}  // namespace

std::optional<Frame> FrameAssembler::next() {
    if (m_buf.size() - m_pos < kHeaderSize) {
        if (m_pos > 0 && m_pos == m_buf.size()) {
            m_buf.clear();
            m_pos = 0;
        }
        return std::nullopt;
    }
    std::uint32_t len = 0;
    std::memcpy(&len, m_buf.data() + m_pos, sizeof len);
    const auto type = static_cast<std::uint8_t>(m_buf[m_pos + 4]);
    if (len > kMaxFrame || !validType(type))
        throw DecodeError("corrupt frame header (type " + std::to_string(type) + ", length " +
                          std::to_string(len) + ")");
    if (m_buf.size() - m_pos - kHeaderSize < len) {
        // Keep the partial frame at the front so the buffer does not grow without bound.
        if (m_pos > 0) {
            m_buf.erase(m_buf.begin(), m_buf.begin() + static_cast<std::ptrdiff_t>(m_pos));
            m_pos = 0;
        }
        return std::nullopt;
    }
    Frame f{static_cast<Type>(type), {}};
    const auto* start = m_buf.data() + m_pos + kHeaderSize;
    f.payload.assign(start, start + len);
    m_pos += kHeaderSize + len;
    return f;
}

std::optional<Frame> readFrame(int fd) {
    std::byte header[kHeaderSize];
    if (!readExact(fd, header, kHeaderSize)) return std::nullopt;
    std::uint32_t len = 0;
    std::memcpy(&len, header, sizeof len);
    const auto type = static_cast<std::uint8_t>(header[4]);
    if (len > kMaxFrame || !validType(type)) throw DecodeError("corrupt frame header");
    Frame f{static_cast<Type>(type), std::vector<std::byte>(len)};
    if (len > 0 && !readExact(fd, f.payload.data(), len))
        throw DecodeError("end of stream inside a frame");
    return f;
}

}  // namespace coreduel::protocol
