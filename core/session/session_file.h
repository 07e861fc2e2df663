#pragma once
// The session container: a text line naming the format, then records, each compressed on its
// own with zstd (with the frame checksum on):
//
//   "coreduel.session/2\n"   (or "coreduel.session/1\n": one experiment, read the same way)
//   record := type (1 byte) | raw size (u32 LE) | compressed size (u32 LE) | zstd frame
//
// Records are appended while the run goes on and each is whole once written, so a file cut off
// by a crash, SIGKILL or a full disk still reads up to its last whole record; the reader says
// where it stopped. Damage inside the file (flipped bytes from a disk, a copy or an edit) is
// told apart from a cut: the reader skips to the next zstd frame that decodes with its checksum
// and keeps every whole record after it, so only the damaged records are lost. The first record
// is the JSON manifest; see session.h for the others.

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/util/sys.h"

namespace coreduel {

inline constexpr const char* kSessionMagic = "coreduel.session/2\n";
/// Files written before sessions had parts: still read (as one part).
inline constexpr const char* kSessionMagicV1 = "coreduel.session/1\n";

enum class RecordType : std::uint8_t {
    Manifest = 1,        ///< JSON: schema, experiment, environment, created
    RunStarted = 2,      ///< JSON: run index and configuration
    TaskEvents = 3,      ///< binary (session_codec.h)
    GilTimeline = 4,     ///< binary
    Samples = 5,         ///< binary
    RunFinished = 6,     ///< JSON: the run as in a result file
    Result = 7,          ///< JSON: the whole coreduel.result/2 once the experiment ended
    IpcLab = 8,          ///< JSON: IPC-lab points (the session's, whichever part is open)
    PartStarted = 9,     ///< JSON (version 2): a part begins; the records up to the next are its
    LessonOutcome = 10,  ///< JSON (version 2): the lesson's explanation, once it ended
};

/// Appends records to a session file from any thread; a thread of its own compresses and
/// writes them, so the engine thread only hands over bytes. Throws std::system_error naming
/// the file if it cannot be created; a later write error is kept and rethrown by close().
class SessionFileWriter {
public:
    /// Creates (truncates) `path` and writes the format line; with `append`, adds records to
    /// the end of an existing version-2 session instead (a lesson's later parts), and throws
    /// SessionFormatError when the file is not one.
    explicit SessionFileWriter(const std::string& path, bool append = false);
    ~SessionFileWriter();  ///< close(), errors swallowed
    SessionFileWriter(const SessionFileWriter&) = delete;
    SessionFileWriter& operator=(const SessionFileWriter&) = delete;

    void append(RecordType type, std::string payload);
    /// Writes what is queued, fsyncs and ends the writer thread; rethrows a write error.
    void close();
    [[nodiscard]] const std::string& path() const { return m_path; }

private:
    void loop(std::stop_token stop);
    void writeRecord(RecordType type, const std::string& payload);

    std::string m_path;
    UniqueFd m_fd;
    std::mutex m_mutex;
    std::condition_variable_any m_wake;
    std::deque<std::pair<RecordType, std::string>> m_queue;
    std::string m_error;  ///< the first write error, for close()
    bool m_closed = false;
    std::jthread m_thread;
};

struct SessionRecord {
    RecordType type;
    std::string payload;       ///< decompressed
    std::uint64_t offset = 0;  ///< where its header starts in the file
    std::uint64_t length = 0;  ///< header and frame
};

/// A stretch of the file that does not read as records, with whole records after it (or a
/// whole-length last record whose frame fails its checksum): damage, not a cut.
struct SessionFileDamage {
    std::uint64_t begin = 0;  ///< first damaged byte (where a record should have started)
    std::uint64_t end = 0;    ///< one past the last: where the next whole record starts, or EOF
    std::size_t beforeRecord = 0;  ///< index in SessionRecords::records of the record after it
    /// The types of the records it held, read from their headers when those still chain from
    /// `begin` to `end`; else `countKnown` is false and what was lost is known only from the
    /// records around it.
    std::vector<RecordType> lostTypes;
    bool countKnown = false;
    /// Only a record's header was damaged: its frame decoded and the record is kept.
    bool headerOnly = false;
};

struct SessionRecords {
    int version = 2;  ///< 1: a file from before parts (its format line says which)
    std::vector<SessionRecord> records;
    /// Empty when the file ended after a whole record; else where the last one was cut off
    /// (a crash or kill while it was written).
    std::string truncation;
    std::vector<SessionFileDamage> damage;  ///< in file order
    std::uint64_t fileBytes = 0;
};

/// Reads every whole record. Throws SessionFormatError when the file is not a session at all
/// (its format line), std::system_error when it cannot be read; a cut tail is reported in
/// `truncation` and damaged stretches in `damage`, not thrown.
SessionRecords readSessionRecords(const std::string& path);
/// The same over bytes already in memory (`name` for messages): the fuzzer's way in.
SessionRecords parseSessionRecords(std::string_view bytes, const std::string& name);

/// The file's format version (1 or 2) from its first line; 0 when it is not a session (or
/// cannot be read).
int sessionFileVersion(const std::string& path);

/// Appends one record to an existing, closed session file (e.g. IPC-lab points measured after
/// the experiment). Throws std::system_error naming the file.
void appendSessionRecord(const std::string& path, RecordType type, const std::string& payload);

/// zstd at the given level; exposed for the size test and benchmark.
std::string compressPayload(const std::string& raw, int level = 3);

}  // namespace coreduel
