#pragma once
// The SHA-256 of a file's bytes, for recording which file of a user's code ran (a native
// kernel's library): results and sessions keep it, and a rerun refuses a file that changed.
// A Python function's file is hashed by the interpreter that imports it (coreduel_py).

#include <cstdint>
#include <string>

namespace coreduel {

struct FileDigest {
    std::string sha256;  // 64 lowercase hex digits
    std::uint64_t bytes = 0;
};

/// Reads the whole file; throws std::system_error naming the failed call and the path.
FileDigest digestFile(const std::string& path);

}  // namespace coreduel
