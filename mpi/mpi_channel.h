#pragma once
// A worker rank's end of the task stream: the WorkerChannel the worker loop (worker_loop.h)
// serves on, carried by MPI messages to and from rank 0 instead of a pipe. Each message holds
// bytes of protocol.h frames; an empty message from rank 0 ends the stream.

#include <cstdint>
#include <vector>

#include "core/ipc/channel.h"

namespace coreduel::mpi {

class MpiChannel final : public WorkerChannel {
public:
    bool readExact(void* data, std::size_t n) override;
    void writeAll(const void* data, std::size_t n) override;
    [[nodiscard]] bool inputPending() const override { return m_pos < m_buf.size(); }
    bool pollInput() override;  ///< always false: see mpi_channel.cpp

    [[nodiscard]] std::uint64_t bytesIn() const { return m_bytesIn; }
    [[nodiscard]] std::uint64_t bytesOut() const { return m_bytesOut; }

private:
    /// Receives the next message into the buffer; false at the end of the stream.
    bool receive();

    std::vector<std::byte> m_buf;
    std::size_t m_pos = 0;
    bool m_ended = false;
    std::uint64_t m_bytesIn = 0;
    std::uint64_t m_bytesOut = 0;
};

}  // namespace coreduel::mpi
