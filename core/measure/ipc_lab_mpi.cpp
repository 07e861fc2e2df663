// The IPC lab's mpi row: Open MPI's own ping-pong between two ranks of coreduel-mpi-worker
// (mpi/pingpong.cpp), started through mpirun like the mpi model, on this machine. The ranks
// time themselves; this side reads one line per size as it is done.

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <sstream>

#include "core/exec/mpi_executor.h"
#include "core/measure/ipc_lab_parts.h"
#include "core/proc/child_process.h"
#include "core/util/install_paths.h"
#include "core/util/sys.h"

namespace coreduel::detail {

namespace {

/// Ends mpirun's process group: SIGTERM (it stops both ranks), then SIGKILL.
void endJob(ChildProcess& proc) {
    if (!proc.valid() || proc.reaped()) return;
    const pid_t group = proc.pid();
    if (!proc.wait(3000)) {
        ::killpg(group, SIGTERM);
        if (!proc.wait(3000)) {
            ::killpg(group, SIGKILL);
            proc.killAndWait();
        }
    }
    ::killpg(group, SIGKILL);
}

}  // namespace

void measureMpi(const IpcLabOptions& o, std::vector<IpcMeasurement>& out,
                const std::function<void(const IpcMeasurement&)>& progress,
                const std::atomic<bool>* stop) {
    const std::string mpirun = resolveMpirun("");  // throws, saying what to install
    std::string sizes;
    for (auto s : o.sizes) sizes += (sizes.empty() ? "" : ",") + std::to_string(s);
    Pipe fromJob = makePipe();
    UniqueFd devnull(::open("/dev/null", O_RDWR | O_CLOEXEC));
    auto proc = spawnProgram(
        mpirunCommand(
            mpirun, "", 2,
            {mpiWorkerExecutable(), "--pingpong", sizes, std::to_string(o.secondsPerPoint),
             std::to_string(o.minRoundTrips), std::to_string(o.maxRoundTrips)}),
        {{devnull.get(), 0}, {fromJob.write.get(), 1}, {devnull.get(), 2}},
        SpawnOptions{.newProcessGroup = true});
    fromJob.write.reset();
    std::string pending;
    try {
        for (;;) {
            if (stop != nullptr && stop->load()) break;
            pollfd p{fromJob.read.get(), POLLIN, 0};
            if (::poll(&p, 1, 100) < 0 && errno != EINTR) throwSystemError("poll");
            if (!(p.revents & (POLLIN | POLLHUP))) continue;
            char buf[4096];
            const ssize_t n = ::read(fromJob.read.get(), buf, sizeof buf);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) break;
            pending.append(buf, static_cast<std::size_t>(n));
            for (auto nl = pending.find('\n'); nl != std::string::npos; nl = pending.find('\n')) {
                std::istringstream line(pending.substr(0, nl));
                pending.erase(0, nl + 1);
                IpcMeasurement m;
                long long cpu0 = 0, cpu1 = 0;
                m.mechanism = "mpi";
                if (!(line >> m.bytes >> m.roundTrips >> m.p50Us >> m.p99Us >> m.meanUs >> cpu0 >>
                      cpu1) ||
                    m.roundTrips == 0)
                    continue;  // something else Open MPI printed
                m.throughputMiBs =
                    m.p50Us > 0 ? 2.0 * static_cast<double>(m.bytes) / (m.p50Us * 1e-6) / 1048576.0
                                : 0;
                m.engineCpuUs = static_cast<double>(cpu0) / 1e3 / static_cast<double>(m.roundTrips);
                m.peerCpuUs = static_cast<double>(cpu1) / 1e3 / static_cast<double>(m.roundTrips);
                // One run, not rounds: its spread is a point, and its samples stay in the ranks,
                // so no modes are looked for.
                m.roundMediansUs = {m.p50Us};
                m.spread = aggregateRounds(m.roundMediansUs);
                m.modes.fastUs = m.p50Us;
                out.push_back(m);
                if (progress) progress(m);
            }
        }
    } catch (...) {
        endJob(proc);
        throw;
    }
    endJob(proc);
}

}  // namespace coreduel::detail
