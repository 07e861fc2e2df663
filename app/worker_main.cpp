// coreduel-worker: what spawned worker processes run, and the fork server.
//   coreduel-worker --worker PARENT_PID TRANSPORT INDEX   serve on the channel at fds 3, 4, ...
//   coreduel-worker --forkserver SOCKET_FD PARENT_PID
//   coreduel-worker --version

#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "core/exec/fork_server.h"
#include "core/exec/worker_loop.h"
#include "core/measure/ipc_lab.h"
#include "core/proc/child_process.h"
#include "core/util/clock.h"
#include "core/util/version.h"

namespace {

/// Die with the engine: a worker must never outlive the run that started it.
bool bindToParent(const char* parentPid) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    return std::to_string(::getppid()) == parentPid;  // the parent may have died before prctl
}

int usage() {
    std::fprintf(stderr,
                 "coreduel-worker is started by CoreDuel, not by hand.\n"
                 "usage: coreduel-worker --worker PARENT_PID TRANSPORT WORKER_INDEX\n"
                 "       coreduel-worker --forkserver SOCKET_FD PARENT_PID\n"
                 "       coreduel-worker --version\n");
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    const auto entered = coreduel::monotonicNs();
    // A write to a vanished engine should fail with EPIPE and end the loop, not kill silently.
    ::signal(SIGPIPE, SIG_IGN);
    if (argc == 2 && std::strcmp(argv[1], "--version") == 0) {
        std::printf("coreduel-worker %s\n", coreduel::versionString());
        return 0;
    }
    if (argc == 5 && std::strcmp(argv[1], "--worker") == 0) {
        if (!bindToParent(argv[2])) return 1;
        coreduel::Transport transport;
        try {
            transport = coreduel::parseTransport(argv[3]);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "coreduel-worker: %s\n", e.what());
            return 2;
        }
        try {
            return coreduel::runWorkerLoop(transport, static_cast<unsigned>(std::atoi(argv[4])),
                                           nullptr, entered);
        } catch (...) {
            // The same status as a forked worker whose loop let something escape.
            return coreduel::kChildEscapedStatus;
        }
    }
    if ((argc == 4 || argc == 5) && std::strcmp(argv[1], "--echo") == 0) {
        if (!bindToParent(argv[2])) return 1;
        try {
            const auto spinUs = argc == 5 ? std::strtoul(argv[4], nullptr, 10) : 0;
            return coreduel::runEchoPeer(coreduel::parseTransport(argv[3]),
                                         static_cast<unsigned>(spinUs));
        } catch (const std::exception& e) {
            std::fprintf(stderr, "coreduel-worker: %s\n", e.what());
            return 2;
        }
    }
    if (argc == 4 && std::strcmp(argv[1], "--forkserver") == 0) {
        if (!bindToParent(argv[3])) return 1;
        try {
            return coreduel::runForkServer(std::atoi(argv[2]));
        } catch (...) {
            return coreduel::kChildEscapedStatus;
        }
    }
    return usage();
}
