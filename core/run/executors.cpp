#include "core/run/executors.h"

#include <chrono>

#include "core/exec/fork_server.h"
#include "core/exec/mpi_executor.h"
#include "core/exec/python_executor.h"
#include "core/util/errors.h"
#include "core/vocab/interpreter_spec.h"

namespace coreduel {

namespace {

/// sequential, threads and gil-threads: in this process. The engine's serial part runs
/// inside the timed window, before any worker gets a task: the S of T(p) = S + P / p.
class InProcessExecutor final : public Executor {
public:
    explicit InProcessExecutor(const std::atomic<bool>& cancel) : m_cancel(cancel) {}
    ExecOutcome run(ExecRequest& request, Workload& workload) override {
        workload.serialPart(m_cancel);
        return runInProcess(request);
    }

private:
    const std::atomic<bool>& m_cancel;
};

/// processes: worker processes; the fork server is started once per experiment, outside any
/// run's clock, when a run asks for it.
class ProcessExecutor final : public Executor {
public:
    explicit ProcessExecutor(const std::atomic<bool>& cancel) : m_cancel(cancel) {}
    void beforeRun(const RunConfig& config) override {
        if (config.startMethod == StartMethod::ForkServer && !m_server)
            m_server = std::make_unique<ForkServer>();
    }
    ExecOutcome run(ExecRequest& request, Workload& workload) override {
        workload.serialPart(m_cancel);
        return runProcesses(request, m_server.get());
    }

private:
    const std::atomic<bool>& m_cancel;
    std::unique_ptr<ForkServer> m_server;
};

/// py: models: the experiment's interpreters (one or several), each resolved once. Each runs
/// its own serial part inside its own timed window, which is the wall time; its start-up is
/// reported apart.
class PythonExecutor final : public Executor {
public:
    explicit PythonExecutor(const Experiment& e) {
        try {
            for (const auto& text : splitInterpreters(e.python)) {
                const InterpreterSpec spec = parseInterpreterSpec(text);
                m_byspec[text] = {resolvePython(spec.python), interpreterOptions(spec)};
            }
        } catch (const InvalidArgument& error) {
            m_unavailable = error.what();
        }
    }
    ExecOutcome run(ExecRequest& request, Workload&) override {
        auto it = m_byspec.find(request.config.python);
        if (it == m_byspec.end()) {
            // A configuration made outside planRuns: its spec, resolved now.
            const InterpreterSpec spec = parseInterpreterSpec(request.config.python);
            it = m_byspec
                     .emplace(request.config.python,
                              Resolved{resolvePython(spec.python), interpreterOptions(spec)})
                     .first;
        }
        request.python = it->second.path;
        request.pythonOptions = it->second.options;
        return runPython(request);
    }

private:
    struct Resolved {
        std::string path;
        std::vector<std::string> options;
    };
    std::map<std::string, Resolved> m_byspec;
};

/// mpi: ranks under mpirun, resolved once. The job's own window (first chunk to last result)
/// excludes mpirun's launch, as an MPI program's timer after MPI_Init would; the engine's
/// serial part runs before it and is added.
class MpiExecutor final : public Executor {
public:
    MpiExecutor(const Experiment& e, const std::atomic<bool>& cancel)
        : m_cancel(cancel), m_hostfile(e.hostfile), m_sampleHz(e.sampleHz) {
        try {
            m_mpirun = resolveMpirun(e.mpirun);
        } catch (const InvalidArgument& error) {
            m_unavailable = error.what();
        }
    }
    ExecOutcome run(ExecRequest& request, Workload& workload) override {
        request.mpirun = m_mpirun;
        request.hostfile = m_hostfile;
        request.hostSampleHz = m_sampleHz;
        const auto serialStart = std::chrono::steady_clock::now();
        workload.serialPart(m_cancel);
        const auto serialNs = std::chrono::duration_cast<std::chrono::nanoseconds>(
                                  std::chrono::steady_clock::now() - serialStart)
                                  .count();
        ExecOutcome out = runMpi(request);
        if (out.wallNs) *out.wallNs += serialNs;
        return out;
    }

private:
    const std::atomic<bool>& m_cancel;
    std::string m_mpirun;
    std::string m_hostfile;
    double m_sampleHz = 0;
};

using Make = std::shared_ptr<Executor> (*)(const Experiment&, const std::atomic<bool>&);

/// Which models each executor runs: one row per family.
struct Family {
    std::vector<Model> models;
    Make make;
};

const std::vector<Family>& families() {
    static const std::vector<Family> kFamilies = {
        {{Model::Sequential, Model::Threads, Model::GilThreads},
         [](const Experiment&, const std::atomic<bool>& c) -> std::shared_ptr<Executor> {
             return std::make_shared<InProcessExecutor>(c);
         }},
        {{Model::Processes},
         [](const Experiment&, const std::atomic<bool>& c) -> std::shared_ptr<Executor> {
             return std::make_shared<ProcessExecutor>(c);
         }},
        {{Model::PySequential, Model::PyThreads, Model::PyProcesses},
         [](const Experiment& e, const std::atomic<bool>&) -> std::shared_ptr<Executor> {
             return std::make_shared<PythonExecutor>(e);
         }},
        {{Model::Mpi},
         [](const Experiment& e, const std::atomic<bool>& c) -> std::shared_ptr<Executor> {
             return std::make_shared<MpiExecutor>(e, c);
         }},
    };
    return kFamilies;
}

}  // namespace

Executors::Executors(const Experiment& experiment, const std::vector<RunConfig>& plan,
                     const std::atomic<bool>& cancel) {
    for (const Family& f : families()) {
        bool planned = false;
        for (const RunConfig& c : plan)
            for (Model m : f.models) planned = planned || c.model == m;
        if (!planned) continue;  // an interpreter or launcher is looked for only when needed
        const std::shared_ptr<Executor> executor = f.make(experiment, cancel);
        for (Model m : f.models) m_byModel[m] = executor;
    }
}

Executors::~Executors() = default;

Executor& Executors::of(Model model) {
    const auto it = m_byModel.find(model);
    if (it == m_byModel.end())
        throw std::logic_error(std::string("no executor for the model ") + toString(model) +
                               " (it was not in the plan)");
    return *it->second;
}

}  // namespace coreduel
