#include "core/util/sys.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>

namespace coreduel {

void UniqueFd::reset(int fd) {
    if (m_fd >= 0) ::close(m_fd);
    m_fd = fd;
}

Pipe makePipe() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) throwSystemError("pipe2");
    return Pipe{UniqueFd(fds[0]), UniqueFd(fds[1])};
}

void writeAll(int fd, const void* data, std::size_t n) {
    auto* p = static_cast<const char*>(data);
    while (n > 0) {
        const ssize_t w = ::write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            throwSystemError("write");
        }
        p += w;
        n -= static_cast<std::size_t>(w);
    }
}

bool readExact(int fd, void* data, std::size_t n) {
    auto* p = static_cast<char*>(data);
    std::size_t got = 0;
    while (got < n) {
        const ssize_t r = ::read(fd, p + got, n - got);
        if (r < 0) {
            if (errno == EINTR) continue;
            throwSystemError("read");
        }
        if (r == 0) {
            if (got == 0) return false;
            throw std::system_error(EPIPE, std::generic_category(),
                                    "read: unexpected end of stream");
        }
        got += static_cast<std::size_t>(r);
    }
    return true;
}

std::string signalName(int sig) {
    const char* abbrev = sigabbrev_np(sig);
    if (abbrev != nullptr) return std::string("SIG") + abbrev;
    return "signal " + std::to_string(sig);
}

std::string describeWaitStatus(int status) {
    if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status)) {
        std::string s = "killed by " + signalName(WTERMSIG(status));
        if (WCOREDUMP(status)) s += " (core dumped)";
        return s;
    }
    return "stopped (status " + std::to_string(status) + ")";
}

int countOpenFds() {
    DIR* d = ::opendir("/proc/self/fd");
    if (d == nullptr) throwSystemError("opendir /proc/self/fd");
    int n = 0;
    while (dirent* e = ::readdir(d)) {
        if (e->d_name[0] != '.') ++n;
    }
    ::closedir(d);
    return n - 1;  // the directory stream's own fd
}

}  // namespace coreduel
