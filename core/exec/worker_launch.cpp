// Starting the pool's workers with the configured start method, and their Setup message.

#include <unistd.h>

#include <stdexcept>

#include "core/exec/fork_server.h"
#include "core/exec/process_pool.h"
#include "core/exec/worker_loop.h"
#include "core/util/clock.h"
#include "core/util/sys.h"

namespace coreduel::detail {

void ProcessPool::startWorkers() {
    m_workers.resize(m_req.config.workers);
    for (unsigned i = 0; i < m_workers.size(); ++i) {
        auto& w = m_workers[i];
        w.index = i;
        w.stats.worker = i;
        auto channel = makeChannel(m_req.config.transport, m_shm.get(), i);
        w.ch = std::move(channel.engine);
        w.requestedNs = monotonicNs();
        channel.workerFds.push_back(m_status->dupFd());
        std::vector<int> fds;
        for (const auto& fd : channel.workerFds) fds.push_back(fd.get());
        w.proc = launch(i, fds);
        w.stats.pid = w.pid();
        w.stats.tid = w.pid();
        if (m_req.onWorkerStarted) m_req.onWorkerStarted(i, w.pid(), w.pid());
        // Our copies of the child's ends go now (closing channel.workerFds), or its end of
        // stream would never reach us.
        if (m_method != StartMethod::Fork) {
            queueSetup(w);
            // Send it now, not when the last worker has been launched: the worker's
            // start-up ends when it has read its Setup.
            writeSome(w);
        }
    }
}

ChildProcess ProcessPool::launch(unsigned index, const std::vector<int>& fds) {
    const auto transport = m_req.config.transport;
    switch (m_method) {
        case StartMethod::Spawn: {
            std::vector<std::pair<int, int>> map;
            for (std::size_t i = 0; i < fds.size(); ++i)
                map.emplace_back(fds[i], kFirstWorkerFd + static_cast<int>(i));
            return spawnProgram({workerExecutable(), "--worker", std::to_string(::getpid()),
                                 toString(transport), std::to_string(index)},
                                map);
        }
        case StartMethod::ForkServer:
            if (m_server == nullptr)
                throw std::logic_error("forkserver start method without a server");
            return m_server->startWorker(index, transport, fds);
        case StartMethod::Fork: {
            const int* fdArray = fds.data();
            const int fdCount = static_cast<int>(fds.size());
            const Workload* workload = &m_req.workload;
            const pid_t pid = ::fork();
            if (pid == 0) {
                // Child of a possibly multithreaded engine. Up to the worker loop only
                // async-signal-safe calls (moveToWorkerFds: fcntl, dup2, close_range).
                // The loop itself then takes no lock that another engine thread could have
                // held at the fork: it touches no mutex, stdio or iostream of ours, and the
                // memory it allocates comes from glibc malloc, whose fork() takes every
                // arena lock before forking and resets them in the child. It ends in
                // _exit, whatever escapes the loop: no atexit handlers, no static
                // destructors of the parent's state, no unwinding into the engine's code.
                runChildAndExit([&] {
                    if (!moveToWorkerFds(fdArray, fdCount)) return 127;
                    return runWorkerLoop(transport, index, workload, monotonicNs());
                });
            }
            if (pid < 0) throwSystemError("fork");
            return ChildProcess::adopt(pid);
        }
    }
    throw std::logic_error("unknown start method");
}

void ProcessPool::queueSetup(Worker& w) {
    ByteWriter body(w.out);
    const auto f = protocol::beginFrame(body, protocol::Type::Setup);
    body.str(m_req.workload.name());
    const auto& params = m_req.workload.params().all();
    body.u32(static_cast<std::uint32_t>(params.size()));
    for (const auto& [k, v] : params) {
        body.str(k);
        body.str(v);
    }
    body.u32(w.index);
    protocol::finishFrame(body, f);
    w.bytesQueued += body.size() - f;
}

}  // namespace coreduel::detail
