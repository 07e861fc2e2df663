#include "core/session/session_file.h"

#include <fcntl.h>
#include <unistd.h>
#include <zstd.h>

#include <cstring>

#include "core/session/session_codec.h"

namespace coreduel {

namespace {

void putU32(std::string& out, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

std::uint32_t getU32(const unsigned char* p) {
    return std::uint32_t(p[0]) | std::uint32_t(p[1]) << 8 | std::uint32_t(p[2]) << 16 |
           std::uint32_t(p[3]) << 24;
}

void writeAll(int fd, const std::string& bytes, const std::string& path) {
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throwSystemError("write " + path);
        done += static_cast<std::size_t>(n);
    }
}

static_assert(std::char_traits<char>::length(kSessionMagic) ==
                  std::char_traits<char>::length(kSessionMagicV1),
              "the reader compares one line length for both versions");

/// Records larger than this are refused on reading (a damaged size field).
constexpr std::uint32_t kMostRecordBytes = 1u << 30;

}  // namespace

std::string compressPayload(const std::string& raw, int level) {
    ZSTD_CCtx* cctx = ZSTD_createCCtx();
    if (cctx == nullptr) throw std::bad_alloc();
    ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, level);
    ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1);
    std::string out(ZSTD_compressBound(raw.size()), '\0');
    const std::size_t n = ZSTD_compress2(cctx, out.data(), out.size(), raw.data(), raw.size());
    ZSTD_freeCCtx(cctx);
    if (ZSTD_isError(n)) throw std::runtime_error(std::string("zstd: ") + ZSTD_getErrorName(n));
    out.resize(n);
    return out;
}

SessionFileWriter::SessionFileWriter(const std::string& path, bool append) : m_path(path) {
    if (append) {
        // A lesson's later part: its records follow the earlier parts'. Only a file of this
        // version can take them (a version-1 reader would mix the parts' runs up).
        m_fd = UniqueFd(::open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC));
        if (!m_fd.valid()) throwSystemError("open " + path);
        if (sessionFileVersion(path) != 2)
            throw SessionFormatError(path + ": cannot add a part: not a " +
                                     std::string(kSessionMagic, std::strlen(kSessionMagic) - 1) +
                                     " file");
    } else {
        m_fd = UniqueFd(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
        if (!m_fd.valid()) throwSystemError("open " + path);
        writeAll(m_fd.get(), kSessionMagic, m_path);
    }
    m_thread = std::jthread([this](std::stop_token stop) { loop(stop); });
}

int sessionFileVersion(const std::string& path) {
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd.valid()) return 0;
    const std::size_t n = std::strlen(kSessionMagic);
    std::string first(n, '\0');
    std::size_t got = 0;
    while (got < n) {
        const ssize_t r = ::pread(fd.get(), first.data() + got, n - got, static_cast<off_t>(got));
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return 0;
        got += static_cast<std::size_t>(r);
    }
    if (first == kSessionMagic) return 2;
    if (first == kSessionMagicV1) return 1;
    return 0;
}

SessionFileWriter::~SessionFileWriter() {
    try {
        close();
    } catch (...) {
        // A destructor cannot report: close() explicitly to learn about write errors.
    }
}

void SessionFileWriter::append(RecordType type, std::string payload) {
    {
        std::lock_guard lock(m_mutex);
        if (m_closed) return;
        m_queue.emplace_back(type, std::move(payload));
    }
    m_wake.notify_one();
}

namespace {

std::string framedRecord(RecordType type, const std::string& payload) {
    const std::string compressed = compressPayload(payload);
    std::string record;
    record.reserve(9 + compressed.size());
    record.push_back(static_cast<char>(type));
    putU32(record, static_cast<std::uint32_t>(payload.size()));
    putU32(record, static_cast<std::uint32_t>(compressed.size()));
    record += compressed;
    return record;
}

}  // namespace

void SessionFileWriter::writeRecord(RecordType type, const std::string& payload) {
    // One write per record: a process killed between two records leaves whole records only.
    writeAll(m_fd.get(), framedRecord(type, payload), m_path);
}

void appendSessionRecord(const std::string& path, RecordType type, const std::string& payload) {
    UniqueFd fd(::open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC));
    if (!fd.valid()) throwSystemError("open " + path);
    writeAll(fd.get(), framedRecord(type, payload), path);
    if (::fsync(fd.get()) != 0) throwSystemError("fsync " + path);
}

void SessionFileWriter::loop(std::stop_token stop) {
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_wake.wait(lock, stop, [this] { return !m_queue.empty(); });
        while (!m_queue.empty()) {
            auto [type, payload] = std::move(m_queue.front());
            m_queue.pop_front();
            lock.unlock();
            try {
                if (m_error.empty()) writeRecord(type, payload);
            } catch (const std::exception& e) {
                lock.lock();
                m_error = e.what();
                lock.unlock();
            }
            lock.lock();
        }
        if (stop.stop_requested()) return;
    }
}

void SessionFileWriter::close() {
    {
        std::lock_guard lock(m_mutex);
        if (m_closed) return;
        m_closed = true;
    }
    // The loop drains the queue before it sees the stop request.
    m_thread.request_stop();
    m_wake.notify_one();
    if (m_thread.joinable()) m_thread.join();
    if (m_error.empty() && ::fsync(m_fd.get()) != 0)
        m_error = "fsync " + m_path + ": " + std::strerror(errno);
    m_fd.reset();
    if (!m_error.empty()) throw std::runtime_error(m_error);
}

SessionRecords readSessionRecords(const std::string& path) {
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd.valid()) throwSystemError("open " + path);
    std::string bytes;
    char buf[1 << 16];
    for (ssize_t n; (n = ::read(fd.get(), buf, sizeof buf)) != 0;) {
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throwSystemError("read " + path);
        bytes.append(buf, static_cast<std::size_t>(n));
    }
    // Both versions' format lines have the same length.
    const std::size_t magic = std::strlen(kSessionMagic);
    SessionRecords out;
    if (bytes.compare(0, magic, kSessionMagic) == 0) {
        out.version = 2;
    } else if (bytes.compare(0, magic, kSessionMagicV1) == 0) {
        out.version = 1;
    } else {
        throw SessionFormatError(path + ": not a CoreDuel session (it does not start with " +
                                 std::string(kSessionMagic, magic - 1) + " or /1)");
    }
    std::size_t pos = magic;
    auto cut = [&](const std::string& why) {
        out.truncation = "the file ends in an incomplete record at byte " + std::to_string(pos) +
                         " of " + std::to_string(bytes.size()) + " (" + why +
                         "): the run was interrupted; everything before it is kept";
    };
    while (pos < bytes.size()) {
        if (bytes.size() - pos < 9) {
            cut("a record header is cut off");
            break;
        }
        const auto* p = reinterpret_cast<const unsigned char*>(bytes.data() + pos);
        const auto type = static_cast<RecordType>(p[0]);
        const std::uint32_t raw = getU32(p + 1), compressed = getU32(p + 5);
        if (raw > kMostRecordBytes || compressed > kMostRecordBytes) {
            cut("a record size is impossible");
            break;
        }
        if (bytes.size() - pos - 9 < compressed) {
            cut("a record is cut off");
            break;
        }
        std::string payload(raw, '\0');
        const std::size_t n =
            ZSTD_decompress(payload.data(), raw, bytes.data() + pos + 9, compressed);
        if (ZSTD_isError(n) || n != raw) {
            cut(std::string("damaged: ") + (ZSTD_isError(n) ? ZSTD_getErrorName(n) : "wrong size"));
            break;
        }
        out.records.push_back({type, std::move(payload)});
        pos += 9 + compressed;
    }
    return out;
}

}  // namespace coreduel
