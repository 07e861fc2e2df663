// The mpi model's launcher: finding mpirun and the rank program, mpirun's command line, and
// reading what mpirun says when a rank dies.

#include <sys/random.h>
#include <unistd.h>

#include <regex>

#include "core/exec/mpi_executor.h"
#include "core/util/errors.h"
#include "core/util/install_paths.h"
#include "core/util/sys.h"

namespace coreduel {

std::string resolveMpirun(const std::string& asked) {
    const std::string name = asked.empty() ? "mpirun" : asked;
    const std::string path = findOnPath(name);
    if (path.empty()) {
        if (asked.empty())
            throw InvalidArgument(
                "the mpi model needs Open MPI's mpirun, and there is none on PATH (on Debian: "
                "sudo apt-get install openmpi-bin; or name it: --mpirun PATH, or mpirun in the "
                "window)");
        throw InvalidArgument("mpirun '" + asked + "': no such executable" +
                              (asked.find('/') == std::string::npos ? " on PATH" : ""));
    }
    if (const auto worker = mpiWorkerExecutable();
        worker.empty() || ::access(worker.c_str(), X_OK) != 0)
        throw InvalidArgument(
            "the mpi model needs coreduel-mpi-worker, which is built only where Open MPI's "
            "headers are (on Debian: sudo apt-get install libopenmpi-dev, then rebuild)");
    return path;
}

std::string mpiUnavailableReason(const std::string& asked) {
    try {
        resolveMpirun(asked);
        return "";
    } catch (const InvalidArgument& e) {
        return e.what();
    }
}

namespace detail {

std::string randomToken() {
    unsigned char raw[16];
    if (::getrandom(raw, sizeof raw, 0) != static_cast<ssize_t>(sizeof raw))
        throwSystemError("getrandom");
    static const char* hex = "0123456789abcdef";
    std::string t;
    for (auto b : raw) {
        t += hex[b >> 4];
        t += hex[b & 15];
    }
    return t;
}

/// Everything mpirun and the ranks printed (its stdout and stderr share one memfd).
std::string readAll(int fd, std::size_t keep) {
    std::string text;
    char buf[4096];
    for (off_t at = 0;;) {
        const ssize_t n = ::pread(fd, buf, sizeof buf, at);
        if (n <= 0) break;
        text.append(buf, static_cast<std::size_t>(n));
        at += n;
    }
    if (text.size() > keep) text.erase(0, text.size() - keep);
    return text;
}

/// The last few non-empty lines, on one line: for a message.
std::string lastLines(const std::string& text, std::size_t lines) {
    std::vector<std::string> all;
    std::size_t start = 0;
    while (start < text.size()) {
        auto end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        std::string line = text.substr(start, end - start);
        const auto first = line.find_first_not_of(" \t-*");
        if (first != std::string::npos) all.push_back(line.substr(first));
        start = end + 1;
    }
    std::string out;
    for (std::size_t i = all.size() > lines ? all.size() - lines : 0; i < all.size(); ++i)
        out += (out.empty() ? "" : " | ") + all[i];
    return out;
}

std::vector<std::string> mpirunCommand(const std::string& mpirun, const std::string& hostfile,
                                       unsigned ranks, const std::vector<std::string>& program) {
    std::vector<std::string> argv{mpirun};
    // Open MPI refuses to run as root unless told; CI and containers run as root.
    if (::geteuid() == 0) argv.push_back("--allow-run-as-root");
    if (hostfile.empty()) {
        // This machine only: rank 0 mostly waits, and a desktop may have fewer cores than
        // the ranks asked for. A hostfile's slots say what a cluster allows instead.
        argv.push_back("--oversubscribe");
    } else {
        argv.insert(argv.end(), {"--hostfile", hostfile});
    }
    // A rank's SIGSEGV or SIGABRT should end it by the signal, for mpirun to report which
    // rank and which signal: Open MPI's own handlers would turn it into an exit status.
    argv.insert(argv.end(), {"--mca", "opal_signal", ""});
    // Ranks are not pinned to cores: the scheduler places them, as it places the processes
    // model's workers, so the two are compared on equal terms.
    argv.insert(argv.end(), {"--bind-to", "none", "-np", std::to_string(ranks)});
    argv.insert(argv.end(), program.begin(), program.end());
    return argv;
}

std::optional<RankDeath> rankDeathFromMpirun(const std::string& output) {
    // Open MPI 4: "mpirun noticed that process rank 2 with PID 4711 on node beta exited on
    // signal 9 (Killed)." (the PID may be printed as 0: the engine knows it anyway).
    static const std::regex signalled(
        R"(process rank (\d+) with PID (\d+) on node (\S+) exited on signal (\d+))");
    static const std::regex exited(R"(process rank (\d+) with PID (\d+) on node (\S+) exited)");
    std::smatch m;
    RankDeath d;
    if (std::regex_search(output, m, signalled)) {
        d.signal = std::stoi(m[4]);
    } else if (!std::regex_search(output, m, exited)) {
        return std::nullopt;
    }
    d.rank = static_cast<std::uint32_t>(std::stoul(m[1]));
    d.pid = std::stoi(m[2]);
    d.node = m[3].str();
    return d;
}

std::optional<std::pair<std::uint32_t, int>> rankExitFromMpirun(const std::string& output) {
    static const std::regex nonZero(
        R"(Process name:\s*\[\[\d+,\d+\],(\d+)\]\s*Exit code:\s*(\d+))");
    std::smatch m;
    if (!std::regex_search(output, m, nonZero)) return std::nullopt;
    return std::pair{static_cast<std::uint32_t>(std::stoul(m[1])), std::stoi(m[2])};
}

}  // namespace detail

}  // namespace coreduel
