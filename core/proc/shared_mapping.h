#pragma once
// An owned shared mapping of a memfd: anonymous shared memory that other processes reach
// through an inherited or passed descriptor (no /dev/shm name to leak; the memory goes with
// the last mapping or descriptor, whatever killed its holders). The shm rings, the worker
// status page and the counter workload's shared counter are all one of these.

#include <cstddef>
#include <utility>

#include "core/util/sys.h"

namespace coreduel {

class SharedMapping {
public:
    SharedMapping() = default;
    /// A fresh memfd called `name` of `size` bytes (zero-filled), mapped read-write and
    /// shared. Throws std::system_error naming memfd_create, ftruncate or mmap; a failed step
    /// leaves nothing open.
    [[nodiscard]] static SharedMapping create(const char* name, std::size_t size);
    /// Maps `size` bytes (0: the whole file, from fstat) of the shared file `fd`, read-write.
    /// The mapping owns `fd` from here on, also when this throws (naming fstat or mmap).
    [[nodiscard]] static SharedMapping map(UniqueFd fd, std::size_t size = 0);

    ~SharedMapping() { reset(); }
    SharedMapping(SharedMapping&& o) noexcept
        : m_fd(std::move(o.m_fd)),
          m_data(std::exchange(o.m_data, nullptr)),
          m_size(std::exchange(o.m_size, 0)) {}
    SharedMapping& operator=(SharedMapping&& o) noexcept;
    SharedMapping(const SharedMapping&) = delete;
    SharedMapping& operator=(const SharedMapping&) = delete;

    [[nodiscard]] void* data() const { return m_data; }
    template <class T>
    [[nodiscard]] T* as() const {
        return static_cast<T*>(m_data);
    }
    [[nodiscard]] std::size_t size() const { return m_size; }
    [[nodiscard]] bool valid() const { return m_data != nullptr; }
    /// The descriptor (-1 once closed): what another process maps.
    [[nodiscard]] int fd() const { return m_fd.get(); }
    /// A close-on-exec duplicate of the descriptor, for a child. Throws naming fcntl.
    [[nodiscard]] UniqueFd dupFd() const;
    /// Keeps the mapping, drops the descriptor: a worker needs only the memory.
    void closeFd() { m_fd.reset(); }
    /// munmap and close now.
    void reset() noexcept;

private:
    SharedMapping(UniqueFd fd, void* data, std::size_t size)
        : m_fd(std::move(fd)), m_data(data), m_size(size) {}

    UniqueFd m_fd;
    void* m_data = nullptr;
    std::size_t m_size = 0;
};

}  // namespace coreduel
