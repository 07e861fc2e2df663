#include "core/exec/model.h"

#include "core/workloads/params.h"

namespace coreduel {

const char* toString(Model m) {
    switch (m) {
        case Model::Sequential:
            return "sequential";
        case Model::Threads:
            return "threads";
        case Model::GilThreads:
            return "gil-threads";
        case Model::Processes:
            return "processes";
    }
    return "?";
}

const char* toString(StartMethod s) {
    switch (s) {
        case StartMethod::Spawn:
            return "spawn";
        case StartMethod::ForkServer:
            return "forkserver";
        case StartMethod::Fork:
            return "fork";
    }
    return "?";
}

const char* toString(Schedule s) {
    return s == Schedule::Dynamic ? "dynamic" : "static";
}

const std::vector<Model>& allModels() {
    static const std::vector<Model> all = {Model::Sequential, Model::Threads, Model::GilThreads,
                                           Model::Processes};
    return all;
}

Model parseModel(const std::string& text) {
    for (auto m : allModels())
        if (text == toString(m)) return m;
    throw InvalidArgument("unknown model '" + text +
                          "' (allowed: sequential, threads, gil-threads, processes)");
}

StartMethod parseStartMethod(const std::string& text) {
    for (auto s : {StartMethod::Spawn, StartMethod::ForkServer, StartMethod::Fork})
        if (text == toString(s)) return s;
    throw InvalidArgument("unknown start method '" + text + "' (allowed: spawn, forkserver, fork)");
}

Schedule parseSchedule(const std::string& text) {
    if (text == "dynamic") return Schedule::Dynamic;
    if (text == "static") return Schedule::Static;
    throw InvalidArgument("unknown schedule '" + text + "' (allowed: dynamic, static)");
}

std::string modelLabel(const RunConfig& c) {
    std::string s = toString(c.model);
    if (c.model == Model::Processes)
        s += std::string("/") + toString(c.startMethod) + "/" + toString(c.transport);
    return s;
}

std::size_t defaultChunksize(std::size_t tasks, unsigned workers) {
    if (tasks == 0 || workers == 0) return 1;
    const std::size_t div = std::size_t{4} * workers;
    return std::max<std::size_t>(1, (tasks + div - 1) / div);
}

}  // namespace coreduel
