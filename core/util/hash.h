#pragma once
// The checksum every execution model must reproduce: a 64-bit hash folded over the task
// results in task order. Not cryptographic; it only has to make a wrong or missing result
// visible, and be the same on every run of the same experiment.

#include <cstddef>
#include <cstdint>
#include <span>

namespace coreduel {

class Checksum {
public:
    void add(std::uint64_t v) {
        // splitmix64 finaliser on (state ^ v): cheap, and every input bit moves every output bit.
        std::uint64_t z = m_state ^ (v + 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        m_state = z ^ (z >> 31);
    }
    void add(std::span<const std::byte> bytes) {
        add(static_cast<std::uint64_t>(bytes.size()));
        std::uint64_t word = 0;
        std::size_t n = 0;
        for (auto b : bytes) {
            word = (word << 8) | static_cast<std::uint8_t>(b);
            if (++n == 8) {
                add(word);
                word = 0;
                n = 0;
            }
        }
        if (n != 0) add(word);
    }
    [[nodiscard]] std::uint64_t value() const { return m_state; }

private:
    std::uint64_t m_state = 0x436f72654475656cULL;  // "CoreDuel"
};

}  // namespace coreduel
