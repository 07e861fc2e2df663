#pragma once
// Thin helpers over POSIX: errors as std::system_error naming the call, and an owning fd.

#include <cerrno>
#include <string>
#include <system_error>
#include <utility>

namespace coreduel {

[[noreturn]] inline void throwSystemError(const std::string& what, int err = errno) {
    throw std::system_error(err, std::generic_category(), what);
}

class UniqueFd {
public:
    UniqueFd() = default;
    explicit UniqueFd(int fd) : m_fd(fd) {}
    UniqueFd(const UniqueFd&) = delete;
    UniqueFd& operator=(const UniqueFd&) = delete;
    UniqueFd(UniqueFd&& o) noexcept : m_fd(std::exchange(o.m_fd, -1)) {}
    UniqueFd& operator=(UniqueFd&& o) noexcept {
        if (this != &o) reset(std::exchange(o.m_fd, -1));
        return *this;
    }
    ~UniqueFd() { reset(); }

    [[nodiscard]] int get() const { return m_fd; }
    [[nodiscard]] bool valid() const { return m_fd >= 0; }
    [[nodiscard]] int release() { return std::exchange(m_fd, -1); }
    void reset(int fd = -1);

private:
    int m_fd = -1;
};

struct Pipe {
    UniqueFd read;
    UniqueFd write;
};

/// pipe2 with O_CLOEXEC: no fd of ours leaks into a spawned program by accident.
Pipe makePipe();

/// Writes all of `data` to a blocking fd, retrying on EINTR and short writes.
void writeAll(int fd, const void* data, std::size_t n);
/// Reads exactly n bytes from a blocking fd. Returns false on EOF before the first byte.
bool readExact(int fd, void* data, std::size_t n);

/// Name of a signal for messages ("SIGSEGV"), falling back to its number.
std::string signalName(int sig);
/// "exited with status 3" / "killed by SIGSEGV (core dumped)" from a waitpid status.
std::string describeWaitStatus(int status);

/// Number of open file descriptors of this process (from /proc/self/fd).
int countOpenFds();

}  // namespace coreduel
