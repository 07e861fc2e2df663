#include "core/exec/chunking.h"

namespace coreduel {

std::vector<Chunk> planChunks(std::size_t tasks, std::size_t chunksize) {
    std::vector<Chunk> chunks;
    if (chunksize == 0) chunksize = 1;
    chunks.reserve((tasks + chunksize - 1) / chunksize);
    for (std::size_t first = 0; first < tasks; first += chunksize)
        chunks.push_back({chunks.size(), first, std::min(chunksize, tasks - first)});
    return chunks;
}

ChunkQueue::ChunkQueue(std::vector<Chunk> chunks, Schedule schedule, unsigned workers)
    : m_chunks(std::move(chunks)),
      m_schedule(schedule),
      m_workers(workers == 0 ? 1 : workers),
      m_perWorker(std::make_unique<std::atomic<std::size_t>[]>(m_workers)) {}

std::optional<Chunk> ChunkQueue::next(unsigned worker) {
    std::size_t index = 0;
    if (m_schedule == Schedule::Dynamic) {
        index = m_next.fetch_add(1, std::memory_order_relaxed);
    } else {
        const auto round = m_perWorker[worker].fetch_add(1, std::memory_order_relaxed);
        index = round * m_workers + worker;
    }
    if (index >= m_chunks.size()) return std::nullopt;
    return m_chunks[index];
}

bool ChunkQueue::exhausted(unsigned worker) const {
    if (m_schedule == Schedule::Dynamic) return m_next.load() >= m_chunks.size();
    return m_perWorker[worker].load() * m_workers + worker >= m_chunks.size();
}

}  // namespace coreduel
