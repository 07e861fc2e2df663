#include "app/bench_anchors.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <functional>
#include <vector>

#include "core/lessons/lesson.h"
#include "core/proc/child_process.h"
#include "core/stats/summary.h"
#include "core/util/clock.h"

namespace coreduel::app {

const char* const kPyPoolServer =
    "import multiprocessing as mp, sys, time\n"
    "def f(x): return x*x\n"
    "if __name__ == '__main__':\n"
    "    n, workers = int(sys.argv[1]), int(sys.argv[2])\n"
    "    with mp.Pool(workers) as p:\n"
    "        p.map(f, range(1000), chunksize=1)\n"
    "        def t(k):\n"
    "            s = time.perf_counter(); p.map(f, range(k), chunksize=1)\n"
    "            return time.perf_counter() - s\n"
    "        for _ in sys.stdin:\n"
    "            a = sorted(t(n) for _ in range(3))[1]; b = sorted(t(2*n) for _ in range(3))[1]\n"
    "            print((b - a) / n * 1e6, flush=True)\n";

const char* const kPyThreadPoolServer =
    "import concurrent.futures as cf, sys, time\n"
    "def f(x): return x*x\n"
    "n, workers = int(sys.argv[1]), int(sys.argv[2])\n"
    "with cf.ThreadPoolExecutor(workers) as ex:\n"
    "    list(ex.map(f, range(1000)))\n"
    "    def t(k):\n"
    "        s = time.perf_counter(); list(ex.map(f, range(k))); return time.perf_counter() - s\n"
    "    for _ in sys.stdin:\n"
    "        a = sorted(t(n) for _ in range(3))[1]; b = sorted(t(2*n) for _ in range(3))[1]\n"
    "        print((b - a) / n * 1e6, flush=True)\n";

PythonServer::PythonServer(const std::string& code, const std::vector<std::string>& args) {
    const std::string python = pythonExecutable();
    if (python.empty()) return;
    Pipe in = makePipe();   // we write, python reads (its stdin)
    Pipe out = makePipe();  // python writes (its stdout), we read
    std::vector<std::string> argv{python, "-c", code};
    argv.insert(argv.end(), args.begin(), args.end());
    m_python = spawnProgram(argv, {{in.read.get(), 0}, {out.write.get(), 1}});
    m_toPython = std::move(in.write);
    m_fromPython = std::move(out.read);
}

PythonServer::~PythonServer() {
    m_toPython.reset();  // end of its stdin: the server leaves its loop and exits
    try {
        if (m_python.valid()) m_python.wait(5000);  // else ~ChildProcess kills and reaps it
    } catch (const std::exception&) {
    }
}

double PythonServer::measure() {
    if (!m_python.valid() || !m_toPython.valid()) return -1;
    try {
        writeAll(m_toPython.get(), "\n", 1);
    } catch (const std::exception&) {
        return -1;  // it died (SIGPIPE is blocked by the caller or reported as EPIPE)
    }
    for (;;) {
        const auto nl = m_buffered.find('\n');
        if (nl != std::string::npos) {
            const std::string line = m_buffered.substr(0, nl);
            m_buffered.erase(0, nl + 1);
            char* end = nullptr;
            const double v = std::strtod(line.c_str(), &end);
            return end != line.c_str() ? v : -1;
        }
        char buf[256];
        const ssize_t r = ::read(m_fromPython.get(), buf, sizeof buf);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return -1;
        m_buffered.append(buf, static_cast<std::size_t>(r));
    }
}

double memcpyTwoCopyMiBs(std::size_t bytes) {
    std::vector<char> a(bytes, 1), b(bytes), c(bytes);
    std::vector<double> us;
    for (int i = 0; i < 50; ++i) {
        const auto t0 = monotonicNs();
        std::memcpy(b.data(), a.data(), bytes);  // into the ring
        std::memcpy(c.data(), b.data(), bytes);  // out of it
        us.push_back(static_cast<double>(monotonicNs() - t0) / 1e3);
    }
    std::sort(us.begin(), us.end());
    return static_cast<double>(bytes) / (quantileSorted(us, 0.5) * 1e-6) / (1024.0 * 1024.0);
}

namespace {

double medianOf3(const std::function<double()>& f) {
    double v[3] = {f(), f(), f()};
    std::sort(v, v + 3);
    return v[1];
}

}  // namespace

double rawPipeStreamUs(std::size_t messages) {
    return medianOf3([messages] {
        Pipe data = makePipe(), ack = makePipe();
        const pid_t pid = ::fork();
        if (pid < 0) throwSystemError("fork");
        if (pid == 0) {
            // Only read, write and _exit: async-signal-safe. Our copy of the write end closed,
            // or the stream would never end.
            ::close(data.write.get());
            std::uint64_t m = 0;
            while (::read(data.read.get(), &m, sizeof m) == sizeof m) {
            }
            [[maybe_unused]] auto w = ::write(ack.write.get(), "k", 1);
            ::_exit(0);
        }
        auto child = ChildProcess::adopt(pid);
        data.read.reset();
        const auto t0 = monotonicNs();
        for (std::uint64_t i = 0; i < messages; ++i) writeAll(data.write.get(), &i, sizeof i);
        data.write.reset();  // end of stream
        char k = 0;
        ack.write.reset();
        if (::read(ack.read.get(), &k, 1) != 1) throwSystemError("read (stream acknowledgement)");
        const auto ns = monotonicNs() - t0;
        child.wait(1000);
        return static_cast<double>(ns) / 1e3 / static_cast<double>(messages);
    });
}

double rawForkWaitUs(int reps) {
    std::vector<double> us;
    for (int i = 0; i < reps; ++i) {
        const auto t0 = monotonicNs();
        // The bare anchor: no pidfd, nothing but fork, _exit and waitpid of exactly that pid.
        const pid_t pid = ::fork();
        if (pid == 0) ::_exit(0);
        if (pid < 0) throwSystemError("fork");
        while (::waitpid(pid, nullptr, 0) < 0)
            if (errno != EINTR) throwSystemError("waitpid " + std::to_string(pid));
        us.push_back(static_cast<double>(monotonicNs() - t0) / 1e3);
    }
    std::sort(us.begin(), us.end());
    return quantileSorted(us, 0.5);
}

}  // namespace coreduel::app
