#include <stdexcept>

#include "core/workloads/factories.h"

namespace coreduel {

namespace {

struct Entry {
    const WorkloadInfo& (*info)();
    std::unique_ptr<Workload> (*create)(ParamValues);
};

const std::vector<Entry>& entries() {
    using namespace workloads;
    static const std::vector<Entry> all = {
        {PrimesInfo, createPrimes},       {MandelbrotInfo, createMandelbrot},
        {FactorialInfo, createFactorial}, {SquareInfo, createSquare},
        {ImageInfo, createImage},         {SleepInfo, createSleep},
        {FileIoInfo, createFileIo},       {MemoryInfo, createMemory},
        {AmdahlInfo, createAmdahl},       {CounterInfo, createCounter},
        {StartupInfo, createStartup},     {NativeInfo, createNative},
        {FaultInfo, createFault},         {PythonFunctionInfo, createPythonFunction},
        {ConvoyInfo, createConvoy},
    };
    return all;
}

}  // namespace

const char* toString(Boundedness b) {
    switch (b) {
        case Boundedness::Cpu:
            return "cpu-bound";
        case Boundedness::Io:
            return "io-bound";
        case Boundedness::Memory:
            return "memory-bound";
        case Boundedness::Overhead:
            return "overhead-bound";
    }
    return "?";
}

void Workload::computeLocal(std::size_t index, ByteWriter& result, ExecContext& ctx) const {
    ByteWriter task;
    encodeTask(index, task);
    ByteReader reader(task.buffer());
    compute(reader, result, ctx);
}

const std::vector<WorkloadInfo>& workloadCatalog() {
    static const std::vector<WorkloadInfo> catalog = [] {
        std::vector<WorkloadInfo> v;
        for (const auto& e : entries()) v.push_back(e.info());
        return v;
    }();
    return catalog;
}

const WorkloadInfo& findWorkloadInfo(const std::string& name) {
    for (const auto& e : entries())
        if (e.info().name == name) return e.info();
    std::string allowed;
    for (const auto& e : entries()) allowed += (allowed.empty() ? "" : ", ") + e.info().name;
    throw InvalidArgument("unknown workload '" + name + "' (allowed: " + allowed + ")");
}

std::unique_ptr<Workload> createWorkload(const std::string& name,
                                         const std::map<std::string, std::string>& params) {
    for (const auto& e : entries()) {
        if (e.info().name == name)
            return e.create(ParamValues(name, e.info().params, params,
                                        e.info().userCode && !e.info().pythonOnly));
    }
    findWorkloadInfo(name);  // throws the message listing what is allowed
    throw std::logic_error("unreachable");
}

void checkParams(const std::string& name, const std::map<std::string, std::string>& params) {
    const auto& info = findWorkloadInfo(name);
    if (info.userCode)
        (void)ParamValues(name, info.params, params, /*passThrough=*/!info.pythonOnly);
    else
        createWorkload(name, params);
}

}  // namespace coreduel
