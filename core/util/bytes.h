#pragma once
// Compact little-endian binary encoding for everything that crosses a process boundary
// (task descriptions, results, control messages). One format for all transports, so the
// bytes counted as "moved" are the bytes really written.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace coreduel {

/// Thrown when a message is shorter than what it claims to hold.
class DecodeError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class ByteWriter {
public:
    ByteWriter() = default;
    explicit ByteWriter(std::vector<std::byte>& target) : m_external(&target) {}

    void u8(std::uint8_t v) { raw(&v, 1); }
    void u32(std::uint32_t v) { raw(&v, sizeof v); }
    void u64(std::uint64_t v) { raw(&v, sizeof v); }
    void i64(std::int64_t v) { raw(&v, sizeof v); }
    void f64(double v) { raw(&v, sizeof v); }
    void str(std::string_view s) {
        u32(static_cast<std::uint32_t>(s.size()));
        raw(s.data(), s.size());
    }
    void bytes(std::span<const std::byte> b) {
        u32(static_cast<std::uint32_t>(b.size()));
        raw(b.data(), b.size());
    }
    void raw(const void* data, std::size_t n) {
        auto& buf = target();
        const auto old = buf.size();
        buf.resize(old + n);
        if (n != 0) std::memcpy(buf.data() + old, data, n);
    }
    /// Overwrites 4 bytes already written at `offset` (used for length prefixes).
    void patchU32(std::size_t offset, std::uint32_t v) {
        std::memcpy(target().data() + offset, &v, sizeof v);
    }

    [[nodiscard]] std::size_t size() const { return target().size(); }
    [[nodiscard]] std::vector<std::byte>& buffer() { return target(); }
    [[nodiscard]] std::vector<std::byte> take() { return std::move(target()); }

private:
    std::vector<std::byte>& target() { return m_external ? *m_external : m_own; }
    const std::vector<std::byte>& target() const { return m_external ? *m_external : m_own; }

    std::vector<std::byte> m_own;
    std::vector<std::byte>* m_external = nullptr;
};

class ByteReader {
public:
    explicit ByteReader(std::span<const std::byte> data) : m_data(data) {}

    std::uint8_t u8() { return pod<std::uint8_t>(); }
    std::uint32_t u32() { return pod<std::uint32_t>(); }
    std::uint64_t u64() { return pod<std::uint64_t>(); }
    std::int64_t i64() { return pod<std::int64_t>(); }
    double f64() { return pod<double>(); }
    std::string str() {
        const auto n = u32();
        auto s = take(n);
        return {reinterpret_cast<const char*>(s.data()), s.size()};
    }
    /// A view into the underlying buffer: valid as long as that buffer is.
    std::span<const std::byte> bytes() { return take(u32()); }
    std::span<const std::byte> take(std::size_t n) {
        if (n > m_data.size() - m_pos)
            throw DecodeError("truncated message: wanted " + std::to_string(n) + " bytes, " +
                              std::to_string(m_data.size() - m_pos) + " left");
        auto s = m_data.subspan(m_pos, n);
        m_pos += n;
        return s;
    }
    [[nodiscard]] bool atEnd() const { return m_pos == m_data.size(); }
    [[nodiscard]] std::size_t remaining() const { return m_data.size() - m_pos; }

private:
    template <class T>
    T pod() {
        T v;
        std::memcpy(&v, take(sizeof v).data(), sizeof v);
        return v;
    }

    std::span<const std::byte> m_data;
    std::size_t m_pos = 0;
};

}  // namespace coreduel
