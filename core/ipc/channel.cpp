#include "core/ipc/channel.h"

#include <fcntl.h>
#include <mqueue.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include <cstring>
#include <random>

#include "core/ipc/shm_ring.h"
#include "core/util/clock.h"

namespace coreduel {

int workerFdCount(Transport t) {
    return t == Transport::SharedMemory ? 1 : 2;
}

namespace {

// ---- pipes and Unix sockets: plain byte streams on fds ------------------------------------

class FdEngineChannel final : public EngineChannel {
public:
    FdEngineChannel(UniqueFd send, UniqueFd recv, bool socket)
        : m_send(std::move(send)), m_recv(std::move(recv)), m_socket(socket) {
        for (int fd : {m_send.get(), m_recv.get()}) {
            const int flags = ::fcntl(fd, F_GETFL);
            if (flags < 0 || ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0)
                throwSystemError("fcntl O_NONBLOCK");
        }
    }
    std::size_t send(const std::byte* data, std::size_t n) override {
        if (!m_send.valid()) throwSystemError("send after close", EPIPE);
        for (;;) {
            const ssize_t w = m_socket ? ::send(m_send.get(), data, n, MSG_NOSIGNAL)
                                       : ::write(m_send.get(), data, n);
            if (w >= 0) return static_cast<std::size_t>(w);
            if (errno == EINTR) continue;
            if (errno == EAGAIN) return 0;
            throwSystemError(m_socket ? "send to worker" : "write to worker");
        }
    }
    std::optional<std::size_t> recv(std::byte* data, std::size_t n) override {
        for (;;) {
            const ssize_t r = ::read(m_recv.get(), data, n);
            if (r > 0) return static_cast<std::size_t>(r);
            if (r == 0) return std::nullopt;
            if (errno == EINTR) continue;
            if (errno == EAGAIN) return 0;
            if (errno == ECONNRESET) return std::nullopt;
            throwSystemError("read from worker");
        }
    }
    bool closeSend() override {
        m_send.reset();
        return true;
    }
    int recvFd() const override { return m_recv.get(); }
    int sendFd() const override { return m_send.get(); }

private:
    UniqueFd m_send, m_recv;
    bool m_socket;
};

class FdWorkerChannel final : public WorkerChannel {
public:
    FdWorkerChannel(int in, int out, bool socket)
        : m_in(in), m_out(out), m_socket(socket), m_buf(64 * 1024) {}
    /// Buffered: one read(2) brings in as many small frames as have arrived.
    bool readExact(void* data, std::size_t n) override {
        auto* p = static_cast<char*>(data);
        std::size_t got = 0;
        while (got < n) {
            if (m_pos == m_len) {
                if (m_eof) break;
                if (m_spinNs > 0 && spinForInput()) continue;
                if (n - got >= m_buf.size()) {  // large: straight into the destination
                    if (!coreduel::readExact(m_in, p + got, n - got)) break;
                    return true;
                }
                const ssize_t r = ::read(m_in, m_buf.data(), m_buf.size());
                if (r < 0) {
                    if (errno == EINTR) continue;
                    throwSystemError("read");
                }
                if (r == 0) break;
                m_pos = 0;
                m_len = static_cast<std::size_t>(r);
            }
            const auto take = std::min(n - got, m_len - m_pos);
            std::memcpy(p + got, m_buf.data() + m_pos, take);
            m_pos += take;
            got += take;
        }
        if (got == n) return true;
        if (got == 0) return false;
        throw std::system_error(EPIPE, std::generic_category(),
                                "read: end of stream inside a frame");
    }
    bool inputPending() const override { return m_pos < m_len || m_eof; }
    bool pollInput() override {
        if (inputPending()) return true;
        for (;;) {
            const ssize_t r = readNoWait();
            if (r > 0) {
                m_pos = 0;
                m_len = static_cast<std::size_t>(r);
                return true;
            }
            if (r == 0) {  // end of stream: the next readExact answers at once
                m_eof = true;
                return true;
            }
            if (errno == EINTR) continue;
            if (errno == EOPNOTSUPP || errno == EINVAL) m_noWait = false;  // an older kernel
            return false;  // EAGAIN: nothing yet (other errors surface in the next read)
        }
    }
    void writeAll(const void* data, std::size_t n) override {
        if (!m_socket) return coreduel::writeAll(m_out, data, n);
        auto* p = static_cast<const char*>(data);
        while (n > 0) {
            const ssize_t w = ::send(m_out, p, n, MSG_NOSIGNAL);
            if (w < 0) {
                if (errno == EINTR) continue;
                throwSystemError("send");
            }
            p += w;
            n -= static_cast<std::size_t>(w);
        }
    }

private:
    /// The optional spin (setSpinUs): non-blocking reads until input or the deadline.
    bool spinForInput() {
        const auto until = monotonicNs() + m_spinNs;
        do {
            if (pollInput()) return true;
        } while (monotonicNs() < until);
        return false;
    }

    /// One non-blocking read into the (empty) buffer on a blocking descriptor: MSG_DONTWAIT
    /// for a socket, RWF_NOWAIT for a pipe (Linux 5.x and later; -1/EOPNOTSUPP otherwise).
    ssize_t readNoWait() {
        if (m_socket) return ::recv(m_in, m_buf.data(), m_buf.size(), MSG_DONTWAIT);
        if (!m_noWait) {
            errno = EAGAIN;
            return -1;
        }
        iovec v{m_buf.data(), m_buf.size()};
        return ::preadv2(m_in, &v, 1, -1, RWF_NOWAIT);
    }

    int m_in, m_out;
    bool m_socket;
    std::vector<char> m_buf;
    std::size_t m_pos = 0, m_len = 0;
    bool m_eof = false;    ///< pollInput saw the end of stream
    bool m_noWait = true;  ///< the kernel takes RWF_NOWAIT on pipes
};

Pipe makeSocketStream() {
    int sv[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
        throwSystemError("socketpair");
    // One direction only, like a pipe: [0] reads, [1] writes.
    ::shutdown(sv[0], SHUT_WR);
    ::shutdown(sv[1], SHUT_RD);
    int size = 1 << 20;  // a larger buffer, as pipes get with F_SETPIPE_SZ; the kernel may clamp
    ::setsockopt(sv[1], SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
    ::setsockopt(sv[0], SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
    return Pipe{UniqueFd(sv[0]), UniqueFd(sv[1])};
}

// ---- POSIX message queues ------------------------------------------------------------------

constexpr long kMqMessages = 4;  // small: RLIMIT_MSGQUEUE is 800 KiB per user by default
constexpr long kMqMessageSize = 8192;

/// Opens a fresh queue twice (one end each), then unlinks its name at once.
std::pair<UniqueFd, UniqueFd> makeQueue(int engineFlags, int workerFlags) {
    static thread_local std::mt19937_64 rng(std::random_device{}());
    char name[64];
    std::snprintf(name, sizeof name, "/coreduel-%d-%016llx", ::getpid(),
                  static_cast<unsigned long long>(rng()));
    mq_attr attr{};
    attr.mq_maxmsg = kMqMessages;
    attr.mq_msgsize = kMqMessageSize;
    const mqd_t first = ::mq_open(name, O_CREAT | O_EXCL | O_CLOEXEC | engineFlags, 0600, &attr);
    if (first < 0) {
        const int err = errno;
        throwSystemError(
            std::string("mq_open (POSIX message queues are limited per user by RLIMIT_MSGQUEUE, "
                        "800 KiB by default; use fewer workers or raise 'ulimit -q')"),
            err);
    }
    const mqd_t second = ::mq_open(name, O_CLOEXEC | workerFlags);
    const int err = errno;
    ::mq_unlink(name);
    if (second < 0) {
        ::close(first);
        throwSystemError("mq_open", err);
    }
    return {UniqueFd(first), UniqueFd(second)};
}

/// A byte stream cut into queue messages: sends as many message-sized parts as the queue takes
/// (all of them on a blocking descriptor), returns the bytes sent.
std::size_t mqSendStream(int fd, const std::byte* data, std::size_t n, const char* what) {
    std::size_t sent = 0;
    while (sent < n) {
        const auto part = std::min<std::size_t>(n - sent, kMqMessageSize);
        if (::mq_send(fd, reinterpret_cast<const char*>(data + sent), part, 0) != 0) {
            if (errno == EINTR) continue;
            if (errno == EAGAIN) break;
            throwSystemError(what);
        }
        sent += part;
    }
    return sent;
}

/// The receiving side of such a stream: messages are buffered and handed out as bytes; an
/// empty message is the sender's end of stream.
class MqStreamReader {
public:
    explicit MqStreamReader(int fd) : m_fd(fd) {}
    /// Copies up to n bytes, receiving a message whenever the buffer is empty. Stops early when
    /// a non-blocking queue is empty or the stream has ended.
    std::size_t read(std::byte* dst, std::size_t n, const char* what) {
        std::size_t got = 0;
        while (got < n) {
            if (m_pos == m_len) {
                if (m_ended) break;
                if (spinNs > 0) spinForMessage(spinNs);
                const ssize_t r = ::mq_receive(m_fd, m_buf, sizeof m_buf, nullptr);
                if (r < 0) {
                    if (errno == EINTR) continue;
                    if (errno == EAGAIN) break;
                    throwSystemError(what);
                }
                m_pos = 0;
                m_len = static_cast<std::size_t>(r);
                m_ended = r == 0;
                continue;
            }
            const auto take = std::min(n - got, m_len - m_pos);
            std::memcpy(dst + got, m_buf + m_pos, take);
            m_pos += take;
            got += take;
        }
        return got;
    }
    [[nodiscard]] bool buffered() const { return m_pos < m_len; }
    /// Polls (timeout 0) before a blocking receive, for at most this long: 0 = never.
    std::int64_t spinNs = 0;

private:
    void spinForMessage(std::int64_t ns) const {
        const auto until = monotonicNs() + ns;
        pollfd p{m_fd, POLLIN, 0};
        do {
            if (::poll(&p, 1, 0) > 0) return;
        } while (monotonicNs() < until);
    }

    int m_fd;
    char m_buf[kMqMessageSize];
    std::size_t m_pos = 0, m_len = 0;
    bool m_ended = false;
};

class MqEngineChannel final : public EngineChannel {
public:
    MqEngineChannel(UniqueFd send, UniqueFd recv)
        : m_send(std::move(send)), m_recv(std::move(recv)), m_reader(m_recv.get()) {}
    std::size_t send(const std::byte* data, std::size_t n) override {
        return mqSendStream(m_send.get(), data, n, "mq_send to worker");
    }
    std::optional<std::size_t> recv(std::byte* data, std::size_t n) override {
        // Workers never send an empty message, so there is no end of stream here: a worker's
        // exit is seen through its pidfd.
        return m_reader.read(data, n, "mq_receive from worker");
    }
    bool closeSend() override {
        if (!m_send.valid()) return true;
        if (::mq_send(m_send.get(), "", 0, 0) != 0)
            return errno != EAGAIN;  // full: try again later
        m_send.reset();
        return true;
    }
    int recvFd() const override { return m_recv.get(); }
    int sendFd() const override { return m_send.get(); }

private:
    UniqueFd m_send, m_recv;
    MqStreamReader m_reader;
};

class MqWorkerChannel final : public WorkerChannel {
public:
    MqWorkerChannel(int in, int out) : m_out(out), m_reader(in) {}
    bool readExact(void* data, std::size_t n) override {
        m_reader.spinNs = m_spinNs;
        const auto got = m_reader.read(static_cast<std::byte*>(data), n, "mq_receive");
        if (got == n) return true;
        if (got == 0) return false;  // the engine's end-of-stream marker
        throw std::system_error(EPIPE, std::generic_category(),
                                "mq_receive: end of stream inside a frame");
    }
    bool inputPending() const override { return m_reader.buffered(); }
    void writeAll(const void* data, std::size_t n) override {
        mqSendStream(m_out, static_cast<const std::byte*>(data), n,
                     "mq_send");  // blocking: all of it
    }

private:
    int m_out;
    MqStreamReader m_reader;
};

}  // namespace

ChannelPair makeChannel(Transport t, ShmPool* pool, unsigned workerIndex) {
    ChannelPair c;
    switch (t) {
        case Transport::Pipe:
        case Transport::UnixSocket: {
            const bool socket = t == Transport::UnixSocket;
            Pipe tasks = socket ? makeSocketStream() : makePipe();
            Pipe results = socket ? makeSocketStream() : makePipe();
            if (!socket) {
                // Bigger pipes mean fewer wake-ups for large tasks; the kernel may refuse, fine.
                ::fcntl(tasks.write.get(), F_SETPIPE_SZ, 1 << 20);
                ::fcntl(results.write.get(), F_SETPIPE_SZ, 1 << 20);
            }
            c.engine = std::make_unique<FdEngineChannel>(std::move(tasks.write),
                                                         std::move(results.read), socket);
            c.workerFds.push_back(std::move(tasks.read));
            c.workerFds.push_back(std::move(results.write));
            break;
        }
        case Transport::MessageQueue: {
            auto [taskSend, taskRecv] = makeQueue(O_WRONLY | O_NONBLOCK, O_RDONLY);
            auto [resultRecv, resultSend] = makeQueue(O_RDONLY | O_NONBLOCK, O_WRONLY);
            c.engine =
                std::make_unique<MqEngineChannel>(std::move(taskSend), std::move(resultRecv));
            c.workerFds.push_back(std::move(taskRecv));
            c.workerFds.push_back(std::move(resultSend));
            break;
        }
        case Transport::SharedMemory: {
            if (pool == nullptr) throw std::logic_error("shared-memory channel without a pool");
            c.engine = pool->engineChannel(workerIndex);
            c.workerFds.push_back(pool->dupFd());
            break;
        }
    }
    return c;
}

std::unique_ptr<WorkerChannel> openWorkerChannel(Transport t, unsigned workerIndex) {
    switch (t) {
        case Transport::Pipe:
            return std::make_unique<FdWorkerChannel>(3, 4, false);
        case Transport::UnixSocket:
            return std::make_unique<FdWorkerChannel>(3, 4, true);
        case Transport::MessageQueue:
            return std::make_unique<MqWorkerChannel>(3, 4);
        case Transport::SharedMemory:
            return ShmPool::workerChannel(3, workerIndex);
    }
    throw std::logic_error("unknown transport");
}

}  // namespace coreduel
