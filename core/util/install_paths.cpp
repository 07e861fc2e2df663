#include "core/util/install_paths.h"

#include <unistd.h>

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

std::string mpiWorkerExecutable() {
    if (const char* env = nonEmptyEnv("COREDUEL_MPI_WORKER")) return env;
    const std::string dir = executableDirectory();
    if (dir.empty()) return "";
    std::error_code ec;
    for (const fs::path& candidate :
         {fs::path(dir) / "coreduel-mpi-worker",
          fs::path(dir) / COREDUEL_BIN_TO_LIBEXEC / "coreduel-mpi-worker"})
        if (fs::exists(candidate, ec)) return candidate.lexically_normal().string();
    return "";
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

std::string pythonPackageDirectory() {
    if (const char* env = nonEmptyEnv("COREDUEL_PYTHON_DIR")) return env;
    return (fs::path(dataDirectory()) / "python").string();
}

std::string findOnPath(const std::string& name) {
    if (name.empty()) return {};
    if (name.find('/') != std::string::npos)
        return ::access(name.c_str(), X_OK) == 0 ? name : std::string();
    const char* path = std::getenv("PATH");
    const std::string dirs = path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin";
    std::size_t start = 0;
    for (;;) {
        const auto end = dirs.find(':', start);
        const std::string dir = dirs.substr(start, end == std::string::npos ? end : end - start);
        const std::string candidate = (dir.empty() ? std::string(".") : dir) + "/" + name;
        std::error_code ec;
        if (::access(candidate.c_str(), X_OK) == 0 && !fs::is_directory(candidate, ec))
            return candidate;
        if (end == std::string::npos) return {};
        start = end + 1;
    }
}

}  // namespace coreduel
