#include "app/list_command.h"

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "core/exec/interpreters.h"
#include "core/exec/mpi_executor.h"
#include "core/lessons/lesson.h"
#include "core/util/install_paths.h"
#include "core/workloads/workload.h"

namespace coreduel::app {

namespace {

const char* kindName(coreduel::ParamKind k) {
    switch (k) {
        case coreduel::ParamKind::Int:
            return "integer";
        case coreduel::ParamKind::Double:
            return "number";
        case coreduel::ParamKind::IntList:
            return "integer list";
        case coreduel::ParamKind::String:
            return "text";
        case coreduel::ParamKind::Path:
            return "path";
    }
    return "?";
}

std::string formatLimit(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, v == static_cast<long long>(v) ? "%.0f" : "%g", v);
    return buf;
}

nlohmann::json interpretersJson(const std::vector<InterpreterInfo>& found) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& i : found) {
        nlohmann::json j{{"path", i.path}, {"real_path", i.realPath}, {"source", i.source}};
        if (!i.error.empty()) {
            j["error"] = i.error;
        } else {
            j["implementation"] = i.implementation;
            j["version"] = i.version;
            j["label"] = i.label;
            j["free_threaded_build"] = i.freeThreadedBuild;
            j["gil_enabled"] = i.gilEnabled ? nlohmann::json(*i.gilEnabled) : nullptr;
        }
        list.push_back(j);
    }
    return list;
}

/// "free-threaded build, GIL disabled": what a reader needs to pick one for --python.
std::string gilState(const InterpreterInfo& i) {
    if (!i.error.empty()) return "unusable: " + i.error;
    std::string s = i.freeThreadedBuild ? "free-threaded build" : "GIL build";
    if (i.gilEnabled) s += *i.gilEnabled ? ", GIL enabled" : ", GIL disabled";
    return s;
}

void printInterpreters(const std::vector<InterpreterInfo>& found) {
    std::cout << "python interpreters (for --python, a comma-separated list):\n";
    if (found.empty())
        std::cout << "  none (on Debian: sudo apt-get install python3; a free-threaded one: "
                     "scripts/build_free_threaded_python.sh)\n";
    for (const auto& i : found)
        std::cout << "  " << i.path << "  " << (i.version.empty() ? "?" : i.version) << "  "
                  << gilState(i) << (i.source == "PATH" ? "" : "  (" + i.source + ")") << '\n';
    const bool anyFree = std::any_of(found.begin(), found.end(),
                                     [](const InterpreterInfo& i) { return i.freeThreadedBuild; });
    if (!anyFree)
        std::cout << "  no free-threaded interpreter: scripts/build_free_threaded_python.sh "
                     "builds one (about 10 minutes on 2 cores)\n";
}

}  // namespace

int listCommand(bool json) {
    const auto interpreters = findInterpreters();
    if (json) {
        nlohmann::json j;
        for (const auto& w : workloadCatalog()) {
            nlohmann::json params = nlohmann::json::array();
            for (const auto& p : w.params) {
                nlohmann::json pj{{"name", p.name},
                                  {"type", kindName(p.kind)},
                                  {"default", p.defaultValue},
                                  {"unit", p.unit},
                                  {"help", p.help}};
                if (p.kind != ParamKind::String && p.kind != ParamKind::Path) {
                    pj["min"] = p.min;
                    pj["max"] = p.max;
                }
                params.push_back(pj);
            }
            j["workloads"].push_back({{"name", w.name},
                                      {"description", w.description},
                                      {"bound", toString(w.bound)},
                                      {"params", params}});
        }
        for (auto m : allModels()) j["models"].push_back(toString(m));
        // Where the runtimes they need are missing, the other models are listed with why.
        j["models_unavailable"] = nlohmann::json::object();
        for (auto m : pythonModels()) {
            if (pythonExecutable().empty())
                j["models_unavailable"][toString(m)] =
                    "no python3 on PATH (on Debian: sudo apt-get install python3)";
            else
                j["models"].push_back(toString(m));
        }
        if (const auto why = mpiUnavailableReason(); why.empty())
            j["models"].push_back("mpi");
        else
            j["models_unavailable"]["mpi"] = why;
        j["mpi_worker_program"] = mpiWorkerExecutable();
        j["start_methods"] = {"spawn", "forkserver", "fork"};
        j["schedules"] = {"dynamic", "static"};
        j["worker_program"] = workerExecutable();
        j["data_directory"] = dataDirectory();
        j["lessons_directory"] = lessonsDirectory();
        j["interpreters"] = interpretersJson(interpreters);
        std::cout << j.dump(2) << '\n';
        return 0;
    }
    for (const auto& w : workloadCatalog()) {
        std::cout << w.name << " (" << toString(w.bound) << ")\n  " << w.description << '\n';
        for (const auto& p : w.params) {
            std::cout << "    " << p.name << " = "
                      << (p.defaultValue.empty() ? "\"\"" : p.defaultValue);
            if (!p.unit.empty()) std::cout << ' ' << p.unit;
            std::cout << "  (" << kindName(p.kind);
            if (p.kind != ParamKind::String && p.kind != ParamKind::Path)
                std::cout << ", " << formatLimit(p.min) << " to " << formatLimit(p.max);
            std::cout << ") " << p.help << '\n';
        }
    }
    std::cout << "models: sequential, threads, gil-threads, processes\n";
    const std::string python = pythonExecutable();
    std::cout << "  py:sequential, py:threads, py:processes: "
              << (python.empty() ? "unavailable: no python3 on PATH (on Debian: sudo apt-get "
                                   "install python3)"
                                 : "in " + python)
              << '\n';
    const std::string noMpi = mpiUnavailableReason();
    std::cout << "  mpi: "
              << (noMpi.empty()
                      ? "Open MPI's " + resolveMpirun("") + ", ranks " + mpiWorkerExecutable()
                      : "unavailable: " + noMpi)
              << '\n';
    std::cout << "start methods (processes): spawn, forkserver, fork\n"
                 "schedules: dynamic, static\n"
              << "worker program: " << workerExecutable() << '\n'
              << "lessons: " << lessonsDirectory() << '\n';
    printInterpreters(interpreters);
    return 0;
}

}  // namespace coreduel::app
