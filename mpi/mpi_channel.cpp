#include "mpi/mpi_channel.h"

#include <cstring>
#include <stdexcept>

#include "mpi/mpi_util.h"

namespace coreduel::mpi {

bool MpiChannel::receive() {
    if (m_ended) return false;
    const int count = waitForMessage(0, kTagData);
    if (m_pos == m_buf.size()) {
        m_buf.clear();
        m_pos = 0;
    }
    const auto at = m_buf.size();
    m_buf.resize(at + static_cast<std::size_t>(count));
    MPI_Recv(m_buf.data() + at, count, MPI_BYTE, 0, kTagData, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    m_bytesIn += static_cast<std::uint64_t>(count);
    if (count == 0) m_ended = true;
    return count > 0;
}

bool MpiChannel::readExact(void* data, std::size_t n) {
    auto* out = static_cast<std::byte*>(data);
    std::size_t got = 0;
    while (got < n) {
        if (m_pos == m_buf.size() && !receive()) {
            if (got == 0) return false;
            throw std::runtime_error("rank 0 ended the stream inside a frame");
        }
        const auto take = std::min(n - got, m_buf.size() - m_pos);
        std::memcpy(out + got, m_buf.data() + m_pos, take);
        m_pos += take;
        got += take;
    }
    return true;
}

void MpiChannel::writeAll(const void* data, std::size_t n) {
    // Rank 0 is always probing, so a blocking send completes as soon as it is matched.
    MPI_Send(data, static_cast<int>(n), MPI_BYTE, 0, kTagData, MPI_COMM_WORLD);
    m_bytesOut += n;
}

bool MpiChannel::pollInput() {
    // "Nothing more queued" always: the worker loop then sends each chunk's results at once
    // instead of holding them back while more work waits. Rank 0 polls anyway (no wake-up
    // to save), and so it knows which chunk a rank is on: a timeout or a crash is
    // attributed to the right tasks.
    return false;
}

}  // namespace coreduel::mpi
