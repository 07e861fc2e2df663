#include "core/exec/failure_text.h"

#include "core/util/sys.h"

namespace coreduel {

std::string workerName(unsigned index, pid_t pid) {
    return "worker " + std::to_string(index) + " (pid " + std::to_string(pid) + ")";
}

std::string describeWorkerDeath(unsigned index, pid_t pid, const WorkerDeath& d) {
    std::string what = workerName(index, pid);
    if (d.waitStatus)
        what += " " + describeWaitStatus(*d.waitStatus);
    else
        what += " closed its pipe";
    if (d.runningTask) {
        what += " while running task " + std::to_string(*d.runningTask);
    } else if (d.inFlight) {
        const auto& c = *d.inFlight;
        what += " between tasks, with task" +
                (c.count == 1 ? " " + std::to_string(c.first)
                              : "s " + std::to_string(c.first) + "-" +
                                    std::to_string(c.first + c.count - 1)) +
                " in flight";
    } else if (!d.ready) {
        what += " before it was ready";
    }
    return what;
}

std::string describeTimeout(unsigned index, pid_t pid, double limitSeconds,
                            std::optional<std::uint64_t> task) {
    return workerName(index, pid) + " exceeded the task timeout of " +
           std::to_string(limitSeconds) + " s " +
           (task ? "on task " + std::to_string(*task) : std::string("while starting")) +
           "; killed with SIGKILL";
}

std::string describeTaskError(unsigned index, pid_t pid, std::uint64_t task,
                              const std::string& message) {
    return "task " + std::to_string(task) + " on " + workerName(index, pid) + " threw: " + message;
}

}  // namespace coreduel
