#pragma once
// A workload splits one job into tasks. A task is described compactly (encodeTask), computed
// from that description alone (compute: a pure function, so a worker process that only has
// the bytes can run it), and its result is folded, in task order, into a checksum that every
// execution model must reproduce.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/gil/exec_context.h"
#include "core/util/bytes.h"
#include "core/vocab/model.h"
#include "core/workloads/params.h"

namespace coreduel {

/// What kind of resource a workload's tasks are bound by, as the guide classifies them.
enum class Boundedness { Cpu, Io, Memory, Overhead };
const char* toString(Boundedness b);

struct WorkloadInfo {
    std::string name;
    std::string description;
    Boundedness bound = Boundedness::Cpu;
    std::vector<ParamSpec> params;
    /// Runs code that its parameters name (a native kernel): parameters not in `params` go to
    /// that code as text, and reading a file that names it never builds it (checkParams).
    bool userCode = false;
    /// Runs only under the py: models (a Python function): no native model can run it, and
    /// py:sequential is its baseline; its parameters are all declared (none pass through).
    bool pythonOnly = false;
};

class Workload {
public:
    explicit Workload(ParamValues params) : m_params(std::move(params)) {}
    virtual ~Workload() = default;
    Workload(const Workload&) = delete;
    Workload& operator=(const Workload&) = delete;

    [[nodiscard]] virtual const WorkloadInfo& info() const = 0;
    [[nodiscard]] virtual std::size_t taskCount() const = 0;

    /// Engine side, once per experiment before any run: build the data set (generate images,
    /// create a private temporary directory). Worker processes never call it.
    virtual void prepare() {}
    /// Engine side, after the experiment, also after failure or cancellation.
    virtual void cleanup() noexcept {}

    /// The bytes that travel to a worker for task `index`.
    virtual void encodeTask(std::size_t index, ByteWriter& out) const = 0;
    /// Runs one task from its encoded description and writes its encoded result.
    virtual void compute(ByteReader& task, ByteWriter& result, ExecContext& ctx) const = 0;
    /// In-process path for models that share memory with the engine (sequential, threads):
    /// by default the same encode + compute; a workload with large inputs reads them in place.
    virtual void computeLocal(std::size_t index, ByteWriter& result, ExecContext& ctx) const;

    /// Readable account of the results (in task order) that another implementation can check,
    /// e.g. "348513 primes in [0, 5000000)".
    [[nodiscard]] virtual std::string summarize(
        const std::vector<std::vector<std::byte>>& results) const = 0;

    /// Engine side, after a run, before its results are checksummed: moves out the timings a
    /// task measured inside its result (convoy: how late each ping was answered, ns), leaving
    /// only the part every model must reproduce. Most workloads measure nothing there.
    virtual std::vector<std::int64_t> takeMeasurements(
        std::vector<std::vector<std::byte>>& /*results*/) const {
        return {};
    }

    /// True when tasks are native code that runs without the GIL (like NumPy): gil-threads
    /// then only take the lock to start and finish a task.
    [[nodiscard]] virtual bool releasesGil() const { return false; }

    /// Why this workload, as built, cannot run under model `m` ("" when it can): e.g. a
    /// Python function that a pool worker cannot be sent.
    [[nodiscard]] virtual std::string whyNotUnder(Model /*m*/) const { return {}; }
    /// Facts about the user code it runs that a result records in its experiment's
    /// parameters (a file's SHA-256 and size); declared parameters of the workload.
    [[nodiscard]] virtual std::map<std::string, std::string> recordedParams() const { return {}; }

    /// Engine side, before each run (warm-ups included): reset state shared between tasks.
    virtual void beforeRun(const RunConfig& /*config*/) {}
    /// Engine side, on the engine thread, at the start of every run inside its timed window
    /// and before any task is dispatched: the part of the job that cannot be parallelised
    /// (Amdahl's serial part). Returns early when `cancel` becomes true.
    virtual void serialPart(const std::atomic<bool>& /*cancel*/) {}

    [[nodiscard]] const ParamValues& params() const { return m_params; }
    [[nodiscard]] const std::string& name() const { return info().name; }

private:
    ParamValues m_params;
};

/// Every workload this build knows, in display order.
const std::vector<WorkloadInfo>& workloadCatalog();
const WorkloadInfo& findWorkloadInfo(const std::string& name);  ///< throws InvalidArgument
/// Validates `params` against the workload's declaration and builds it.
std::unique_ptr<Workload> createWorkload(const std::string& name,
                                         const std::map<std::string, std::string>& params);
/// Checks `params` as createWorkload does, but for a workload of user code only against its
/// declaration: nothing the parameters name is loaded or run.
void checkParams(const std::string& name, const std::map<std::string, std::string>& params);

}  // namespace coreduel
