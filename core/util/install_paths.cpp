#include "core/util/install_paths.h"

#include <cstdlib>
#include <filesystem>

// Both come from core/CMakeLists.txt: the install layout (GNUInstallDirs) as paths relative to
// the bin folder, and the source tree for programs run from the build folder.
#ifndef COREDUEL_BIN_TO_LIBEXEC
#define COREDUEL_BIN_TO_LIBEXEC "../libexec/coreduel"
#endif
#ifndef COREDUEL_BIN_TO_DATA
#define COREDUEL_BIN_TO_DATA "../share/coreduel"
#endif
#ifndef COREDUEL_SOURCE_DIR
#define COREDUEL_SOURCE_DIR "."
#endif

namespace coreduel {
namespace fs = std::filesystem;

namespace {

const char* nonEmptyEnv(const char* name) {
    const char* v = std::getenv(name);
    return v != nullptr && *v != '\0' ? v : nullptr;
}

}  // namespace

std::string executableDirectory() {
    std::error_code ec;
    const auto self = fs::read_symlink("/proc/self/exe", ec);
    return ec ? std::string() : self.parent_path().string();
}

std::string workerExecutable() {
    if (const char* env = nonEmptyEnv("COREDUEL_WORKER")) return env;
    const std::string dir = executableDirectory();
    if (!dir.empty()) {
        std::error_code ec;
        for (const fs::path& candidate :
             {fs::path(dir) / "coreduel-worker",
              fs::path(dir) / COREDUEL_BIN_TO_LIBEXEC / "coreduel-worker"})
            if (fs::exists(candidate, ec)) return candidate.lexically_normal().string();
    }
    return "coreduel-worker";
}

std::string dataDirectory() {
    if (const char* env = nonEmptyEnv("COREDUEL_DATA_DIR")) return env;
    const std::string dir = executableDirectory();
    if (!dir.empty()) {
        const fs::path installed = (fs::path(dir) / COREDUEL_BIN_TO_DATA).lexically_normal();
        std::error_code ec;
        if (fs::is_directory(installed / "lessons", ec)) return installed.string();
    }
    return std::string(COREDUEL_SOURCE_DIR) + "/resources";
}

}  // namespace coreduel
