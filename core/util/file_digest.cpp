#include "core/util/file_digest.h"

#include <fcntl.h>
#include <nettle/sha2.h>
#include <unistd.h>

#include <array>

#include "core/util/sys.h"

namespace coreduel {

FileDigest digestFile(const std::string& path) {
    const UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd.valid()) throwSystemError("open " + path);
    sha256_ctx ctx{};
    sha256_init(&ctx);
    FileDigest out;
    std::array<std::uint8_t, 1 << 16> buffer{};
    for (;;) {
        const ssize_t n = ::read(fd.get(), buffer.data(), buffer.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throwSystemError("read " + path);
        if (n == 0) break;
        sha256_update(&ctx, static_cast<std::size_t>(n), buffer.data());
        out.bytes += static_cast<std::uint64_t>(n);
    }
    std::array<std::uint8_t, SHA256_DIGEST_SIZE> digest{};
    sha256_digest(&ctx, digest.size(), digest.data());
    static const char* const hex = "0123456789abcdef";
    for (auto b : digest) {
        out.sha256 += hex[b >> 4];
        out.sha256 += hex[b & 15];
    }
    return out;
}

}  // namespace coreduel
