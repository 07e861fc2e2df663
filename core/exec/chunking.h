#pragma once
// Pool.map-style distribution: tasks are cut into contiguous chunks, and chunks are handed to
// workers either on demand (dynamic) or by a fixed round-robin plan (static).

#include <atomic>
#include <cstddef>
#include <memory>
#include <optional>
#include <vector>

#include "core/vocab/model.h"

namespace coreduel {

struct Chunk {
    std::size_t id = 0;
    std::size_t first = 0;  ///< first task index
    std::size_t count = 0;
};

std::vector<Chunk> planChunks(std::size_t tasks, std::size_t chunksize);

/// Hands out each chunk exactly once. Safe to call from several threads.
class ChunkQueue {
public:
    ChunkQueue(std::vector<Chunk> chunks, Schedule schedule, unsigned workers);
    std::optional<Chunk> next(unsigned worker);
    [[nodiscard]] bool exhausted(unsigned worker) const;
    [[nodiscard]] std::size_t size() const { return m_chunks.size(); }

private:
    std::vector<Chunk> m_chunks;
    Schedule m_schedule;
    unsigned m_workers;
    std::atomic<std::size_t> m_next{0};
    std::unique_ptr<std::atomic<std::size_t>[]> m_perWorker;  ///< static: rounds taken
};

}  // namespace coreduel
