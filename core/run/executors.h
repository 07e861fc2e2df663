#pragma once
// Executors behind one interface. Each family of models — in this process (sequential,
// threads, gil-threads), worker processes, the real interpreter (py:), MPI ranks — is one
// Executor that owns what it needs for a whole experiment (the fork server, the resolved
// interpreter or launcher, the hostfile) and its own timing rules (whose serial part counts,
// which window is the wall time). The runner asks `Executors::of(model)` for the one that
// runs a configuration and knows nothing about any of them.
//
// A new model or runtime: a `Model` value (core/vocab/model.*), an executor here
// (core/run/executors.cpp: a class and a row in kFamilies), its engine in core/exec, and its
// name in the window's model names (ui/model_names.cpp). See docs/ARCHITECTURE.md.

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/exec/executor.h"
#include "core/run/experiment.h"

namespace coreduel {

class Executor {
public:
    virtual ~Executor() = default;
    /// Why no run of this family can happen on this machine (no interpreter, no mpirun):
    /// each of its runs fails with this line, every other run still happens. "" when it can.
    [[nodiscard]] const std::string& unavailable() const { return m_unavailable; }
    /// Before the run's clock starts: what is shared by the experiment's runs and must not be
    /// timed (the fork server, started once as Python starts one per program).
    virtual void beforeRun(const RunConfig& /*config*/) {}
    /// Runs one configuration. `request` carries the workload, configuration and callbacks;
    /// the executor adds what it owns. Its serial part (Workload::serialPart) is run here,
    /// inside or outside the wall time as the family's rules say.
    virtual ExecOutcome run(ExecRequest& request, Workload& workload) = 0;

protected:
    std::string m_unavailable;
};

/// One executor per family of models that an experiment plans to run, made once.
class Executors {
public:
    Executors(const Experiment& experiment, const std::vector<RunConfig>& plan,
              const std::atomic<bool>& cancel);
    ~Executors();
    Executors(const Executors&) = delete;
    Executors& operator=(const Executors&) = delete;

    /// The executor of `model` (made for every model of the plan).
    Executor& of(Model model);

private:
    std::map<Model, std::shared_ptr<Executor>> m_byModel;
};

}  // namespace coreduel
