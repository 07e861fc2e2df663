#include "core/proc/shared_mapping.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <limits>
#include <string>

namespace coreduel {

namespace {

void* mapShared(int fd, std::size_t size, const std::string& what) {
    void* p = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) throwSystemError("mmap " + what);
    return p;
}

}  // namespace

SharedMapping SharedMapping::create(const char* name, std::size_t size) {
    UniqueFd fd(::memfd_create(name, MFD_CLOEXEC));
    if (!fd.valid()) throwSystemError(std::string("memfd_create ") + name);
    if (size > static_cast<std::size_t>(std::numeric_limits<off_t>::max()))
        throwSystemError(std::string("ftruncate ") + name, EFBIG);
    if (::ftruncate(fd.get(), static_cast<off_t>(size)) != 0)
        throwSystemError(std::string("ftruncate ") + name);
    void* p = mapShared(fd.get(), size, name);
    return SharedMapping(std::move(fd), p, size);
}

SharedMapping SharedMapping::map(UniqueFd fd, std::size_t size) {
    if (size == 0) {
        struct stat st {};
        if (::fstat(fd.get(), &st) != 0) throwSystemError("fstat shared mapping");
        size = static_cast<std::size_t>(st.st_size);
    }
    void* p = mapShared(fd.get(), size, "shared mapping");
    return SharedMapping(std::move(fd), p, size);
}

SharedMapping& SharedMapping::operator=(SharedMapping&& o) noexcept {
    if (this != &o) {
        reset();
        m_fd = std::move(o.m_fd);
        m_data = std::exchange(o.m_data, nullptr);
        m_size = std::exchange(o.m_size, 0);
    }
    return *this;
}

UniqueFd SharedMapping::dupFd() const {
    const int fd = ::fcntl(m_fd.get(), F_DUPFD_CLOEXEC, 3);
    if (fd < 0) throwSystemError("fcntl F_DUPFD_CLOEXEC shared mapping");
    return UniqueFd(fd);
}

void SharedMapping::reset() noexcept {
    if (m_data != nullptr) ::munmap(m_data, m_size);
    m_data = nullptr;
    m_size = 0;
    m_fd.reset();
}

}  // namespace coreduel
