#include "core/session/session_file.h"

#include <fcntl.h>
#include <unistd.h>
#include <zstd.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <optional>

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

namespace {

constexpr std::size_t kHeaderBytes = 9;
constexpr std::uint32_t kZstdMagic = 0xFD2FB528;  // a frame's first four bytes, little-endian

/// The zstd frame at the start of `bytes`, decompressed with its checksum checked (every frame
/// a session writes has one); nullopt when it is not a whole, intact frame.
std::optional<std::pair<std::size_t, std::string>> decodeFrame(std::string_view bytes) {
    if (bytes.size() < 5 ||
        getU32(reinterpret_cast<const unsigned char*>(bytes.data())) != kZstdMagic)
        return std::nullopt;
    // The frame header descriptor's bit 2: the content checksum (the stable API has no getter).
    if ((static_cast<unsigned char>(bytes[4]) & 0x04) == 0) return std::nullopt;
    const unsigned long long raw = ZSTD_getFrameContentSize(bytes.data(), bytes.size());
    if (raw == ZSTD_CONTENTSIZE_UNKNOWN || raw == ZSTD_CONTENTSIZE_ERROR || raw > kMostRecordBytes)
        return std::nullopt;
    const std::size_t length = ZSTD_findFrameCompressedSize(bytes.data(), bytes.size());
    if (ZSTD_isError(length)) return std::nullopt;
    // Streamed into a buffer that grows with what really comes out: a damaged header may claim
    // a gigabyte, and the frame fails long before that much is allocated for it.
    std::unique_ptr<ZSTD_DCtx, std::size_t (*)(ZSTD_DCtx*)> dctx(ZSTD_createDCtx(), &ZSTD_freeDCtx);
    if (!dctx) throw std::bad_alloc();
    ZSTD_inBuffer in{bytes.data(), length, 0};
    std::string payload;
    for (;;) {
        const std::size_t done = payload.size();
        if (done > raw) return std::nullopt;
        const std::size_t room = std::max<std::size_t>(done, std::size_t{1} << 16);
        payload.resize(done + std::min<std::size_t>(room, raw + 1 - done));
        ZSTD_outBuffer out{payload.data() + done, payload.size() - done, 0};
        const std::size_t left = ZSTD_decompressStream(dctx.get(), &out, &in);
        payload.resize(done + out.pos);
        if (ZSTD_isError(left)) return std::nullopt;
        if (left == 0) break;  // the frame ended and its checksum matched
        if (in.pos == in.size && out.pos < out.size) return std::nullopt;  // it ends early
    }
    if (payload.size() != raw || in.pos != length) return std::nullopt;
    return std::make_pair(length, std::move(payload));
}

bool knownType(unsigned char t) {
    return t >= static_cast<unsigned char>(RecordType::Manifest) &&
           t <= static_cast<unsigned char>(RecordType::LessonOutcome);
}

enum class Found { Whole, HeaderDamaged, Cut, Damaged };

struct RecordAt {
    Found found = Found::Damaged;
    SessionRecord record;
};

/// What starts at `pos`: a whole record; one whose header is damaged but whose frame is whole
/// (kept); the start of a record the file ends inside (a cut); or damage.
RecordAt recordAt(std::string_view bytes, std::size_t pos) {
    RecordAt r;
    const std::size_t left = bytes.size() - pos;
    if (left < kHeaderBytes) {
        r.found = Found::Cut;
        return r;
    }
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data() + pos);
    const std::uint32_t raw = getU32(p + 1), compressed = getU32(p + 5);
    const auto frame = decodeFrame(bytes.substr(pos + kHeaderBytes));
    r.record.offset = pos;
    if (frame && knownType(p[0])) {
        r.record.type = static_cast<RecordType>(p[0]);
        r.record.length = kHeaderBytes + frame->first;
        r.record.payload = std::move(frame->second);
        r.found = raw == r.record.payload.size() && compressed == frame->first
                      ? Found::Whole
                      : Found::HeaderDamaged;
        return r;
    }
    // Written whole, a record is never longer than the file: one that runs past its end was
    // cut off while it was written (if no whole record follows: see the caller).
    const bool pastEnd = raw <= kMostRecordBytes && compressed <= kMostRecordBytes &&
                         left - kHeaderBytes < compressed;
    r.found = pastEnd ? Found::Cut : Found::Damaged;
    return r;
}

/// The first record from `from` on whose frame is whole: where reading goes on after damage.
/// Frames are found by their magic number; a chance match inside compressed bytes fails the
/// frame's checksum.
std::optional<RecordAt> nextWholeRecord(std::string_view bytes, std::size_t from) {
    static constexpr char kMagic[] = {'\x28', '\xb5', '\x2f', '\xfd'};
    const std::string_view magic(kMagic, 4);
    for (std::size_t m = bytes.find(magic, from + kHeaderBytes); m != std::string_view::npos;
         m = bytes.find(magic, m + 1)) {
        RecordAt r = recordAt(bytes, m - kHeaderBytes);
        if (r.found == Found::Whole || r.found == Found::HeaderDamaged) return r;
    }
    return std::nullopt;
}

SessionFileDamage damageSpan(std::uint64_t begin, std::uint64_t end, std::size_t beforeRecord) {
    SessionFileDamage d;
    d.begin = begin;
    d.end = end;
    d.beforeRecord = beforeRecord;
    return d;
}

/// The types of the records in [begin, end) when their headers still chain from one to the
/// next and land exactly on `end`.
void chainTypes(std::string_view bytes, SessionFileDamage& d) {
    std::vector<RecordType> types;
    for (std::uint64_t q = d.begin; q < d.end;) {
        const auto* p = reinterpret_cast<const unsigned char*>(bytes.data() + q);
        if (d.end - q < kHeaderBytes || !knownType(p[0])) return;
        const std::uint32_t compressed = getU32(p + 5);
        if (compressed > kMostRecordBytes || d.end - q - kHeaderBytes < compressed) return;
        types.push_back(static_cast<RecordType>(p[0]));
        q += kHeaderBytes + compressed;
    }
    d.lostTypes = std::move(types);
    d.countKnown = true;
}

}  // namespace

SessionRecords parseSessionRecords(std::string_view bytes, const std::string& name) {
    // Both versions' format lines have the same length.
    const std::size_t magic = std::strlen(kSessionMagic);
    SessionRecords out;
    out.fileBytes = bytes.size();
    if (bytes.substr(0, magic) == kSessionMagic) {
        out.version = 2;
    } else if (bytes.substr(0, magic) == kSessionMagicV1) {
        out.version = 1;
    } else {
        throw SessionFormatError(name + ": not a CoreDuel session (it does not start with " +
                                 std::string(kSessionMagic, magic - 1) + " or /1)");
    }
    for (std::size_t pos = magic; pos < bytes.size();) {
        RecordAt here = recordAt(bytes, pos);
        if (here.found == Found::HeaderDamaged) {
            out.damage.push_back(damageSpan(pos, pos + kHeaderBytes, out.records.size()));
            out.damage.back().headerOnly = true;
        }
        if (here.found == Found::Whole || here.found == Found::HeaderDamaged) {
            pos += here.record.length;
            out.records.push_back(std::move(here.record));
            continue;
        }
        std::optional<RecordAt> next = nextWholeRecord(bytes, pos + 1);
        if (!next && here.found == Found::Cut) {
            // Nothing whole after it: the file ends inside this record.
            out.truncation = "the file ends in an incomplete record at byte " +
                             std::to_string(pos) + " of " + std::to_string(bytes.size()) +
                             ": the run was interrupted; everything before it is kept";
            break;
        }
        SessionFileDamage d =
            damageSpan(pos, next ? next->record.offset : bytes.size(), out.records.size());
        chainTypes(bytes, d);
        out.damage.push_back(std::move(d));
        if (!next) break;
        pos = next->record.offset;
    }
    return out;
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
    return parseSessionRecords(bytes, path);
}

}  // namespace coreduel
