#include "core/exec/fork_server.h"

#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <map>

#include "core/exec/worker_loop.h"
#include "core/util/bytes.h"
#include "core/util/clock.h"

namespace coreduel {

namespace {

void sendMessage(int sock, char type, const ByteWriter& body, const int* fds = nullptr,
                 int nfds = 0) {
    std::vector<std::byte> buf(1 + body.size());
    buf[0] = static_cast<std::byte>(type);
    if (body.size() > 0)
        std::memcpy(buf.data() + 1, const_cast<ByteWriter&>(body).buffer().data(), body.size());
    iovec iov{buf.data(), buf.size()};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * kMaxWorkerFds)] = {};
    if (nfds > 0) {
        msg.msg_control = control;
        msg.msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
        cmsghdr* c = CMSG_FIRSTHDR(&msg);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
        std::memcpy(CMSG_DATA(c), fds, sizeof(int) * nfds);
    }
    while (::sendmsg(sock, &msg, MSG_NOSIGNAL) < 0) {
        if (errno != EINTR) throwSystemError("sendmsg to fork server");
    }
}

/// Receives one datagram; returns its size (0 on EOF) and any fds passed with it.
ssize_t receiveMessage(int sock, std::vector<std::byte>& buf, std::vector<int>& fds) {
    buf.resize(4096);
    iovec iov{buf.data(), buf.size()};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * kMaxWorkerFds)];
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    ssize_t n;
    while ((n = ::recvmsg(sock, &msg, MSG_CMSG_CLOEXEC)) < 0) {
        if (errno != EINTR) throwSystemError("recvmsg");
    }
    fds.clear();
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
            const auto count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
            for (std::size_t i = 0; i < count; ++i) {
                int fd;
                std::memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof fd);
                fds.push_back(fd);
            }
        }
    }
    buf.resize(static_cast<std::size_t>(n));
    return n;
}

}  // namespace

ForkServer::ForkServer() {
    int sv[2];
    if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
        throwSystemError("socketpair for fork server");
    m_sock.reset(sv[0]);
    UniqueFd theirs(sv[1]);
    m_process = spawnProgram({workerExecutable(), "--forkserver", "3", std::to_string(::getpid())},
                             {{theirs.get(), 3}});
}

ForkServer::~ForkServer() {
    m_sock.reset();  // EOF: the server kills and reaps its children, then exits
    try {
        m_process.wait(2000);  // if it does not, m_process's destructor kills and reaps it
    } catch (...) {
    }
}

bool ForkServer::receive(int timeoutMs, char& type, std::vector<std::byte>& payload) {
    pollfd p{m_sock.get(), POLLIN, 0};
    int rc;
    while ((rc = ::poll(&p, 1, timeoutMs)) < 0) {
        if (errno != EINTR) throwSystemError("poll fork server");
    }
    if (rc == 0) return false;
    std::vector<int> fds;
    std::vector<std::byte> buf;
    if (receiveMessage(m_sock.get(), buf, fds) == 0)
        throw std::runtime_error("the fork server exited unexpectedly");
    for (int fd : fds) ::close(fd);
    type = static_cast<char>(buf[0]);
    payload.assign(buf.begin() + 1, buf.end());
    if (type == 'X') {
        ByteReader in(payload);
        const auto pid = static_cast<pid_t>(in.i64());
        ChildExit e;
        e.status = static_cast<int>(in.u32());
        e.cpuUserNs = in.i64();
        e.cpuSystemNs = in.i64();
        e.maxRssKib = in.i64();
        e.voluntarySwitches = static_cast<std::uint64_t>(in.i64());
        e.involuntarySwitches = static_cast<std::uint64_t>(in.i64());
        e.minorFaults = static_cast<std::uint64_t>(in.i64());
        e.majorFaults = static_cast<std::uint64_t>(in.i64());
        m_exited[pid] = e;
    }
    return true;
}

ChildProcess ForkServer::startWorker(unsigned workerIndex, Transport transport,
                                     const std::vector<int>& fds) {
    ByteWriter body;
    body.u32(workerIndex);
    body.u32(static_cast<std::uint32_t>(transport));
    sendMessage(m_sock.get(), 'F', body, fds.data(), static_cast<int>(fds.size()));
    for (;;) {
        char type = 0;
        std::vector<std::byte> payload;
        if (!receive(10'000, type, payload))
            throw std::runtime_error("the fork server did not answer within 10 s");
        if (type == 'P')
            return ChildProcess::watch(static_cast<pid_t>(ByteReader(payload).i64()), *this);
        if (type == 'E') throw std::runtime_error("fork server: " + ByteReader(payload).str());
    }
}

std::optional<ChildExit> ForkServer::waitExit(pid_t pid, int timeoutMs) {
    const auto deadline = monotonicNs() + std::int64_t{timeoutMs} * 1'000'000;
    for (;;) {
        if (auto it = m_exited.find(pid); it != m_exited.end()) {
            auto e = it->second;
            m_exited.erase(it);
            return e;
        }
        const auto left = (deadline - monotonicNs()) / 1'000'000;
        if (left <= 0) return std::nullopt;
        char type = 0;
        std::vector<std::byte> payload;
        receive(static_cast<int>(left), type, payload);
    }
}

// ---- the server process ------------------------------------------------------------------

int runForkServer(int sock) {
    sigset_t chld, old;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    ::sigprocmask(SIG_BLOCK, &chld, &old);
    UniqueFd sfd(::signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK));
    if (!sfd.valid()) return 10;
    // Our own children: whatever ends this loop, their destructors kill and reap what is left.
    std::map<pid_t, ChildProcess> children;

    auto reportExits = [&] {
        for (auto it = children.begin(); it != children.end();) {
            std::optional<ChildExit> e;
            try {
                e = it->second.wait(0);
            } catch (...) {
            }
            if (!e) {
                ++it;
                continue;
            }
            ByteWriter body;
            body.i64(it->first);
            body.u32(static_cast<std::uint32_t>(e->status));
            body.i64(e->cpuUserNs);
            body.i64(e->cpuSystemNs);
            body.i64(e->maxRssKib);
            body.i64(static_cast<std::int64_t>(e->voluntarySwitches));
            body.i64(static_cast<std::int64_t>(e->involuntarySwitches));
            body.i64(static_cast<std::int64_t>(e->minorFaults));
            body.i64(static_cast<std::int64_t>(e->majorFaults));
            it = children.erase(it);
            try {
                sendMessage(sock, 'X', body);
            } catch (...) {
            }
        }
    };

    // A failed send means the engine is gone: stop serving, and still end every worker.
    try {
        for (;;) {
            pollfd p[2] = {{sock, POLLIN, 0}, {sfd.get(), POLLIN, 0}};
            if (::poll(p, 2, -1) < 0) {
                if (errno == EINTR) continue;
                break;
            }
            if (p[1].revents & POLLIN) {
                signalfd_siginfo info;
                while (::read(sfd.get(), &info, sizeof info) == sizeof info) {
                }
                reportExits();
            }
            if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
                std::vector<std::byte> buf;
                std::vector<int> fds;
                ssize_t n = 0;
                try {
                    n = receiveMessage(sock, buf, fds);
                } catch (...) {
                    n = 0;
                }
                if (n == 0) break;  // the engine closed its end
                if (static_cast<char>(buf[0]) != 'F' || buf.size() != 9 || fds.empty() ||
                    fds.size() > static_cast<std::size_t>(kMaxWorkerFds)) {
                    for (int fd : fds) ::close(fd);
                    continue;
                }
                ByteReader request(std::span<const std::byte>(buf).subspan(1));
                const auto index = request.u32();
                const auto transport = static_cast<Transport>(request.u32());
                const pid_t pid = ::fork();
                if (pid == 0) {
                    // The server is single-threaded, so the child may run the ordinary worker code.
                    // Nothing may escape it into the server's loop: the child ends here.
                    runChildAndExit([&] {
                        ::sigprocmask(SIG_SETMASK, &old, nullptr);
                        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
                        if (!moveToWorkerFds(fds.data(), static_cast<int>(fds.size()))) return 127;
                        return runWorkerLoop(transport, index, nullptr, monotonicNs());
                    });
                }
                const int err = errno;
                for (int fd : fds) ::close(fd);
                ByteWriter body;
                if (pid < 0) {
                    body.str(std::string("fork: ") + std::strerror(err));
                    sendMessage(sock, 'E', body);
                    continue;
                }
                try {
                    children.emplace(pid, ChildProcess::adopt(pid));
                } catch (const std::exception& e) {
                    body.str(std::string("fork: ") + e.what());  // adopt killed and reaped it
                    sendMessage(sock, 'E', body);
                    continue;
                }
                body.i64(pid);
                sendMessage(sock, 'P', body);
            }
        }
    } catch (const std::exception&) {
    }
    children.clear();  // kills and reaps every worker still running
    return 0;
}

}  // namespace coreduel
