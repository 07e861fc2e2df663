#include "core/vocab/model.h"

#include <algorithm>

#include "core/util/enum_names.h"

namespace coreduel {

namespace {

constexpr EnumName<Model> kModels[] = {{Model::Sequential, "sequential"},
                                       {Model::Threads, "threads"},
                                       {Model::GilThreads, "gil-threads"},
                                       {Model::Processes, "processes"},
                                       {Model::Mpi, "mpi"},
                                       {Model::PySequential, "py:sequential"},
                                       {Model::PyThreads, "py:threads"},
                                       {Model::PyProcesses, "py:processes"}};
constexpr EnumName<StartMethod> kStartMethods[] = {{StartMethod::Spawn, "spawn"},
                                                   {StartMethod::ForkServer, "forkserver"},
                                                   {StartMethod::Fork, "fork"}};
constexpr EnumName<Schedule> kSchedules[] = {{Schedule::Dynamic, "dynamic"},
                                             {Schedule::Static, "static"}};
constexpr EnumName<Transport> kTransports[] = {{Transport::Pipe, "pipe"},
                                               {Transport::UnixSocket, "unix"},
                                               {Transport::MessageQueue, "mqueue"},
                                               {Transport::SharedMemory, "shm"}};

template <class E, std::size_t N>
std::vector<E> valuesOf(const EnumName<E> (&table)[N]) {
    std::vector<E> v;
    for (const auto& e : table) v.push_back(e.value);
    return v;
}

}  // namespace

const char* toString(Model m) {
    return enumName<Model>(kModels, m);
}
const char* toString(StartMethod s) {
    return enumName<StartMethod>(kStartMethods, s);
}
const char* toString(Schedule s) {
    return enumName<Schedule>(kSchedules, s);
}
const char* toString(Transport t) {
    return enumName<Transport>(kTransports, t);
}

Model parseModel(const std::string& text) {
    return parseEnum<Model>(kModels, text, "model");
}
StartMethod parseStartMethod(const std::string& text) {
    return parseEnum<StartMethod>(kStartMethods, text, "start method");
}
Schedule parseSchedule(const std::string& text) {
    return parseEnum<Schedule>(kSchedules, text, "schedule");
}
Transport parseTransport(const std::string& text) {
    return parseEnum<Transport>(kTransports, text, "transport");
}

const std::vector<Model>& everyModel() {
    static const std::vector<Model> all = valuesOf(kModels);
    return all;
}
const std::vector<Model>& allModels() {
    static const std::vector<Model> native = {Model::Sequential, Model::Threads, Model::GilThreads,
                                              Model::Processes};
    return native;
}
const std::vector<Model>& pythonModels() {
    static const std::vector<Model> py = {Model::PySequential, Model::PyThreads,
                                          Model::PyProcesses};
    return py;
}
bool isPython(Model m) {
    return m == Model::PySequential || m == Model::PyThreads || m == Model::PyProcesses;
}
Model baselineOf(Model m) {
    return isPython(m) ? Model::PySequential : Model::Sequential;
}
const std::vector<Transport>& allTransports() {
    static const std::vector<Transport> all = valuesOf(kTransports);
    return all;
}
std::string allowedModels() {
    return enumAllowed<Model>(kModels);
}

std::string modelLabel(const RunConfig& c) {
    std::string s = toString(c.model);
    if (c.model == Model::Processes)
        s += std::string("/") + toString(c.startMethod) + "/" + toString(c.transport);
    // A Pool's tasks and results travel as pickles over its own pipes: no transport to name.
    if (c.model == Model::PyProcesses) s += std::string("/") + toString(c.startMethod);
    return s;
}

std::size_t defaultChunksize(std::size_t tasks, unsigned workers) {
    if (tasks == 0 || workers == 0) return 1;
    const std::size_t div = std::size_t{4} * workers;
    return std::max<std::size_t>(1, (tasks + div - 1) / div);
}

}  // namespace coreduel
