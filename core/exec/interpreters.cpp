#include "core/exec/interpreters.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <regex>

#include "core/proc/child_process.h"
#include "core/util/clock.h"
#include "core/util/install_paths.h"
#include "core/util/sys.h"
#include "core/vocab/interpreter_spec.h"

namespace coreduel {

namespace fs = std::filesystem;

namespace {

/// What the interpreter prints about itself: one JSON line. -E -s: as the runtime runs it.
constexpr const char* kProbe =
    "import json, sys, sysconfig\n"
    "g = getattr(sys, '_is_gil_enabled', None)\n"
    "print(json.dumps({'implementation': sys.implementation.name,\n"
    "  'version': '%d.%d.%d' % sys.version_info[:3], 'major': sys.version_info[0],\n"
    "  'minor': sys.version_info[1],\n"
    "  'free_threaded': bool(sysconfig.get_config_var('Py_GIL_DISABLED')),\n"
    "  'gil_enabled': bool(g()) if g else (sys.implementation.name == 'cpython')}))\n";

constexpr std::int64_t kProbeTimeoutNs = 20'000'000'000;  // a cold disk, a shim's start-up

/// Everything the program writes to fd until it closes it, or "" after the timeout.
std::string readUntilEof(int fd, std::int64_t deadlineNs) {
    std::string text;
    char buf[4096];
    while (monotonicNs() < deadlineNs) {
        pollfd p{fd, POLLIN, 0};
        const int ms = static_cast<int>((deadlineNs - monotonicNs()) / 1'000'000);
        if (::poll(&p, 1, std::max(ms, 1)) <= 0) continue;
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n <= 0) return text;
        text.append(buf, static_cast<std::size_t>(n));
    }
    return "";
}

std::string cacheRoot() {
    if (const char* c = std::getenv("COREDUEL_CACHE"); c && *c) return c;
    if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x)
        return (fs::path(x) / "coreduel").string();
    if (const char* h = std::getenv("HOME"); h && *h)
        return (fs::path(h) / ".cache" / "coreduel").string();
    return "";
}

}  // namespace

InterpreterInfo probeInterpreter(const std::string& python) {
    InterpreterInfo info;
    info.path = python;
    const std::string path = python.find('/') == std::string::npos ? findOnPath(python) : python;
    if (path.empty() || ::access(path.c_str(), X_OK) != 0) {
        info.error = "no such executable";
        return info;
    }
    std::error_code ec;
    info.realPath = fs::canonical(path, ec).string();
    if (ec) info.realPath = path;
    try {
        Pipe out = makePipe();
        // Its stderr goes nowhere: a version manager's shim without that version complains.
        UniqueFd devnull(::open("/dev/null", O_WRONLY | O_CLOEXEC));
        ChildProcess child = spawnProgram({path, "-E", "-s", "-c", kProbe},
                                          {{out.write.get(), 1}, {devnull.get(), 2}});
        out.write.reset();
        const std::string text = readUntilEof(out.read.get(), monotonicNs() + kProbeTimeoutNs);
        const auto end = child.wait(text.empty() ? 0 : 5000);
        if (!end) child.killAndWait();
        const auto j = nlohmann::json::parse(text);
        info.implementation = j.at("implementation").get<std::string>();
        info.version = j.at("version").get<std::string>();
        info.major = j.at("major").get<int>();
        info.minor = j.at("minor").get<int>();
        info.freeThreadedBuild = j.at("free_threaded").get<bool>();
        info.gilEnabled = j.at("gil_enabled").get<bool>();
        info.label = interpreterLabel(info.implementation, info.major, info.minor,
                                      info.freeThreadedBuild, std::nullopt);
    } catch (const std::exception&) {
        info.error = "it did not run as a Python interpreter";
    }
    return info;
}

std::vector<std::string> cachedFreeThreadedInterpreters() {
    std::vector<std::string> out;
    const std::string root = cacheRoot();
    std::error_code ec;
    if (root.empty() || !fs::is_directory(root, ec)) return out;
    static const std::regex name(R"(python3\.\d+t)");
    for (const auto& dir : fs::directory_iterator(root, ec)) {
        // Only complete builds: the script writes .complete after a successful install.
        if (dir.path().filename().string().rfind("cpython-", 0) != 0 ||
            !fs::exists(dir.path() / ".complete", ec))
            continue;
        for (const auto& f : fs::directory_iterator(dir.path() / "bin", ec))
            if (std::regex_match(f.path().filename().string(), name))
                out.push_back(f.path().string());
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<InterpreterInfo> findInterpreters() {
    std::vector<std::pair<std::string, std::string>> candidates;  // path, source
    static const std::regex name(R"(python3(\.\d+t?)?)");
    const char* pathVar = std::getenv("PATH");
    std::string rest = pathVar ? pathVar : "";
    for (std::size_t start = 0; start <= rest.size();) {
        const auto colon = rest.find(':', start);
        const std::string dir =
            rest.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
        start = colon == std::string::npos ? rest.size() + 1 : colon + 1;
        std::error_code ec;
        if (dir.empty() || !fs::is_directory(dir, ec)) continue;
        std::vector<std::string> here;
        for (const auto& f : fs::directory_iterator(dir, ec))
            if (std::regex_match(f.path().filename().string(), name))
                here.push_back(f.path().filename().string());
        std::sort(here.begin(), here.end());
        // Every folder's: a version manager's python3 first on PATH may hide the system's,
        // and both can be run by path. Two names of one file are told apart by realPath.
        for (const auto& n : here) candidates.emplace_back((fs::path(dir) / n).string(), "PATH");
    }
    for (const auto& p : cachedFreeThreadedInterpreters()) candidates.emplace_back(p, "cache");
    if (const char* env = std::getenv("COREDUEL_FREE_THREADED_PYTHON"); env && *env)
        candidates.emplace_back(env, "COREDUEL_FREE_THREADED_PYTHON");
    std::vector<InterpreterInfo> out;
    for (const auto& [path, source] : candidates) {
        InterpreterInfo info = probeInterpreter(path);
        info.source = source;
        // A name on PATH that does not run (a version manager's shim for a version it has
        // not selected) is no interpreter to offer; one named explicitly is listed with why.
        if (!info.error.empty() && source == "PATH") continue;
        // A launcher script (pyenv's shim) resolves to itself: those are told apart by path.
        const bool seen = std::any_of(out.begin(), out.end(), [&](const InterpreterInfo& o) {
            return !info.realPath.empty() && o.realPath == info.realPath;
        });
        if (!seen) out.push_back(std::move(info));
    }
    return out;
}

std::string findFreeThreadedPython() {
    if (const char* env = std::getenv("COREDUEL_FREE_THREADED_PYTHON"); env && *env) return env;
    // Once per place it looks (PATH and the caches): loading the lessons asks for every part
    // that names one, and each probe starts the interpreter (18 of them held the window's
    // start-up 0.7 s).
    static std::mutex mutex;
    static std::map<std::string, std::string> found;
    std::string key;
    for (const char* where : {"PATH", "HOME", "COREDUEL_CACHE", "XDG_CACHE_HOME"}) {
        const char* value = std::getenv(where);
        key += std::string(value != nullptr ? value : "") + '\n';
    }
    const std::lock_guard lock(mutex);
    if (const auto it = found.find(key); it != found.end()) return it->second;
    std::string result;
    for (const char* n : {"python3.14t", "python3.13t"})
        if (auto p = findOnPath(n);
            result.empty() && !p.empty() && probeInterpreter(p).freeThreadedBuild)
            result = p;
    for (const auto& p : cachedFreeThreadedInterpreters())
        if (result.empty() && probeInterpreter(p).freeThreadedBuild) result = p;
    found[key] = result;
    return result;
}

}  // namespace coreduel
