#pragma once
// The anchors `coreduel-cli bench` holds us to: CPython's pools (kept running between
// measurements, so each measurement is one line on a pipe, not an interpreter start-up), and
// the bare mechanisms (memcpy, fork + waitpid).

#include <sys/types.h>

#include <cstddef>
#include <string>
#include <vector>

#include "core/proc/child_process.h"
#include "core/util/sys.h"

namespace coreduel::app {

/// A python3 process that runs `code` (given sys.argv[1:] = args) and answers every line it
/// reads on stdin with one number on stdout. Ended (stdin closed, then reaped) on destruction.
class PythonServer {
public:
    PythonServer(const std::string& code, const std::vector<std::string>& args);
    ~PythonServer();
    PythonServer(const PythonServer&) = delete;
    PythonServer& operator=(const PythonServer&) = delete;
    /// One measurement; -1 if the interpreter failed or went away.
    double measure();

private:
    ChildProcess m_python;  // killed and reaped on destruction if it does not leave
    UniqueFd m_toPython, m_fromPython;
    std::string m_buffered;
};

/// Per-task cost in us of multiprocessing.Pool(workers).map(f, ..., chunksize=1), measured as
/// (T(2N) - T(N)) / N, medians of 3. One line per measurement request.
extern const char* const kPyPoolServer;
/// The same for concurrent.futures.ThreadPoolExecutor(workers).map.
extern const char* const kPyThreadPoolServer;

/// Bandwidth of copying `bytes` into a buffer and out again (what a ring costs at best), MiB/s.
double memcpyTwoCopyMiBs(std::size_t bytes);
/// The physical limit of a process pool's dispatch: the cost per message of the bare pipe,
/// streamed (one process writes `messages` 8-byte messages, a forked child reads them one
/// read() each), in us per message, median of 3. Single-threaded callers only (it forks).
double rawPipeStreamUs(std::size_t messages);
/// Median of fork() + _exit(0) + waitpid in us. Single-threaded callers only.
double rawForkWaitUs(int reps);

}  // namespace coreduel::app
