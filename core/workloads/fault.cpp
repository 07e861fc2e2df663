// fault: a workload that fails on purpose in one task, to show (and test) that a failing task
// or a crashing worker process ends that run with a clear reason while the experiment and the
// engine carry on. Crash modes only run inside worker processes: in-process they would take
// the engine down, which is the isolation lesson itself.

#include <signal.h>
#include <time.h>
#include <unistd.h>

#include <cstdlib>
#include <stdexcept>
#include <string>

#include "core/util/clock.h"
#include "core/workloads/factories.h"

namespace coreduel::workloads {

namespace {

const char* const kModes[] = {"none", "throw", "segv", "abort", "exit", "kill", "hang"};

class Fault final : public Workload {
public:
    explicit Fault(ParamValues p) : Workload(std::move(p)) {
        m_mode = params().getString("mode");
        bool known = false;
        for (const char* m : kModes) known = known || m_mode == m;
        if (!known)
            throw InvalidArgument(
                "fault: 'mode' must be one of none, throw, segv, abort, exit, "
                "kill, hang (got '" +
                m_mode + "')");
        m_tasks = static_cast<std::size_t>(params().getInt("tasks"));
        m_failing = static_cast<std::uint64_t>(params().getInt("task"));
        m_workMs = params().getDouble("work_ms");
        if (m_failing >= m_tasks)
            throw InvalidArgument("fault: 'task' must be below 'tasks' (" +
                                  std::to_string(m_tasks) + ")");
    }
    const WorkloadInfo& info() const override { return FaultInfo(); }
    std::size_t taskCount() const override { return m_tasks; }

    void encodeTask(std::size_t index, ByteWriter& out) const override {
        out.u64(index);
        out.u64(m_failing);
        out.str(m_mode);
        out.f64(m_workMs);
    }
    void compute(ByteReader& task, ByteWriter& result, ExecContext& ctx) const override {
        run(task, result, ctx, /*inWorkerProcess=*/true);
    }
    void computeLocal(std::size_t index, ByteWriter& result, ExecContext& ctx) const override {
        ByteWriter t;
        encodeTask(index, t);
        ByteReader in(t.buffer());
        run(in, result, ctx, /*inWorkerProcess=*/false);
    }
    std::string summarize(const std::vector<std::vector<std::byte>>& results) const override {
        return std::to_string(results.size()) + " tasks, none failed";
    }

private:
    static void run(ByteReader& task, ByteWriter& result, ExecContext& ctx, bool inWorkerProcess) {
        const auto index = task.u64();
        const auto failing = task.u64();
        const auto mode = task.str();
        const auto workMs = task.f64();
        const auto until = monotonicNs() + static_cast<std::int64_t>(workMs * 1e6);
        while (monotonicNs() < until) ctx.checkpoint();  // a little real work before failing
        if (index == failing && mode != "none") {
            const bool crash = mode != "throw" && mode != "hang";
            if (crash && !inWorkerProcess)
                throw std::runtime_error("fault mode '" + mode +
                                         "' only runs in worker processes: in-process it would "
                                         "take the whole engine down");
            if (mode == "throw")
                throw std::runtime_error("task " + std::to_string(index) +
                                         " failed on purpose (fault mode throw)");
            if (mode == "segv") ::raise(SIGSEGV);
            if (mode == "abort") std::abort();
            if (mode == "exit") ::_exit(3);
            if (mode == "kill") ::kill(::getpid(), SIGKILL);
            if (mode == "hang") {
                for (;;) {
                    ctx.checkpoint();
                    timespec ts{0, 5'000'000};
                    nanosleep(&ts, nullptr);
                }
            }
        }
        result.u64(index);
    }

    std::string m_mode;
    std::size_t m_tasks = 0;
    std::uint64_t m_failing = 0;
    double m_workMs = 0;
};

}  // namespace

const WorkloadInfo& FaultInfo() {
    static const WorkloadInfo info{
        "fault",
        "Fails on purpose in one task (throw, segv, abort, exit, kill, hang) to show how a "
        "failure is isolated and reported.",
        Boundedness::Cpu,
        {
            {"mode", ParamKind::String, "throw", 0, 0, "",
             "none, throw, segv, abort, exit, kill or hang"},
            {"tasks", ParamKind::Int, "8", 1, 100000, "tasks", "number of tasks"},
            {"task", ParamKind::Int, "3", 0, 99999, "", "index of the task that fails"},
            {"work_ms", ParamKind::Double, "2", 0, 10000, "ms",
             "busy work per task before failing"},
        }};
    return info;
}

std::unique_ptr<Workload> createFault(ParamValues params) {
    return std::make_unique<Fault>(std::move(params));
}

}  // namespace coreduel::workloads
