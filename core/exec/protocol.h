#pragma once
// The wire protocol between the engine and a worker process. Every message is a frame:
// u32 payload length, u8 type, payload (see bytes.h for the encoding).
//
//   engine -> worker  Setup    str workload, u32 n, n x (str key, str value), u32 worker index
//                     Chunk    u64 chunk id, u32 n, n x (u64 task, bytes task description,
//                              bytes payload)
//   worker -> engine  Ready    i64 pid, i64 main-entered ns, i64 ready ns
//                     Results  u64 chunk id, u32 n, n x (u64 task, i64 start ns, i64 end ns,
//                              i16 cpu start, i16 cpu end, i64 thread CPU ns over the task,
//                              bytes result, bytes payload)
//                     Error    u64 chunk id, u64 task, str message   (a task threw)
//                     Fatal    str message                           (setup failed)
//                     Bye      i64 peak RSS KiB (VmHWM), i64 ns waiting for work, reading
//                              frames, decoding, computing, encoding, writing, i64 ns on a CPU
//                              inside tasks (on a clean exit)
// The engine closes its end of the task pipe to tell a worker to exit. The worker's own VmHWM
// is reported in Bye because ru_maxrss of a process that called exec also counts the memory of
// the program it replaced: for a posix_spawn child that is the whole engine.

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/util/bytes.h"

namespace coreduel::protocol {

enum class Type : std::uint8_t {
    Setup = 1,
    Chunk = 2,
    Ready = 3,
    Results = 4,
    Error = 5,
    Fatal = 6,
    Bye = 7
};

inline constexpr std::size_t kHeaderSize = 5;
/// Larger frames are refused as corrupt rather than allocated.
inline constexpr std::uint32_t kMaxFrame = 1u << 30;

/// Starts a frame in `w`; returns the offset to pass to finishFrame.
std::size_t beginFrame(ByteWriter& w, Type type);
void finishFrame(ByteWriter& w, std::size_t offset);

struct Frame {
    Type type;
    std::vector<std::byte> payload;
};

/// Splits a byte stream into frames (non-blocking reads append, frames come out whole).
class FrameAssembler {
public:
    void append(const std::byte* data, std::size_t n) { m_buf.insert(m_buf.end(), data, data + n); }
    /// The next complete frame, if any. Throws DecodeError on a corrupt header.
    std::optional<Frame> next();

private:
    std::vector<std::byte> m_buf;
    std::size_t m_pos = 0;
};

/// Blocking read of one frame (worker side). nullopt on a clean EOF between frames.
std::optional<Frame> readFrame(int fd);

}  // namespace coreduel::protocol
