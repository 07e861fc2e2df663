// coreduel-cli: the engine from a terminal.
//   coreduel-cli list [--json]
//   coreduel-cli run --workload primes --models all --workers 1,2 [--json]

#include <CLI/CLI.hpp>

#include <iostream>
#include <nlohmann/json.hpp>

#include "app/cli_options.h"
#include "app/run_command.h"
#include "core/workloads/workload.h"

namespace {

const char* kindName(coreduel::ParamKind k) {
    switch (k) {
        case coreduel::ParamKind::Int: return "integer";
        case coreduel::ParamKind::Double: return "number";
        case coreduel::ParamKind::IntList: return "integer list";
        case coreduel::ParamKind::String: return "text";
        case coreduel::ParamKind::Path: return "path";
    }
    return "?";
}

std::string formatLimit(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, v == static_cast<long long>(v) ? "%.0f" : "%g", v);
    return buf;
}

int listCommand(bool json) {
    using namespace coreduel;
    if (json) {
        nlohmann::json j;
        for (const auto& w : workloadCatalog()) {
            nlohmann::json params = nlohmann::json::array();
            for (const auto& p : w.params) {
                nlohmann::json pj{{"name", p.name}, {"type", kindName(p.kind)}, {"default", p.defaultValue},
                                  {"unit", p.unit}, {"help", p.help}};
                if (p.kind != ParamKind::String && p.kind != ParamKind::Path) {
                    pj["min"] = p.min;
                    pj["max"] = p.max;
                }
                params.push_back(pj);
            }
            j["workloads"].push_back({{"name", w.name}, {"description", w.description},
                                      {"bound", toString(w.bound)}, {"params", params}});
        }
        for (auto m : allModels()) j["models"].push_back(toString(m));
        j["start_methods"] = {"spawn", "forkserver", "fork"};
        j["schedules"] = {"dynamic", "static"};
        std::cout << j.dump(2) << '\n';
        return 0;
    }
    for (const auto& w : workloadCatalog()) {
        std::cout << w.name << " (" << toString(w.bound) << ")\n  " << w.description << '\n';
        for (const auto& p : w.params) {
            std::cout << "    " << p.name << " = " << (p.defaultValue.empty() ? "\"\"" : p.defaultValue);
            if (!p.unit.empty()) std::cout << ' ' << p.unit;
            std::cout << "  (" << kindName(p.kind);
            if (p.kind != ParamKind::String && p.kind != ParamKind::Path)
                std::cout << ", " << formatLimit(p.min) << " to " << formatLimit(p.max);
            std::cout << ") " << p.help << '\n';
        }
    }
    std::cout << "models: sequential, threads, gil-threads, processes\n"
                 "start methods (processes): spawn, forkserver, fork\n"
                 "schedules: dynamic, static\n";
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"CoreDuel: the same workload as sequential code, threads, GIL-threads and "
                 "processes, measured and verified."};
    app.require_subcommand(1);

    bool listJson = false;
    auto* list = app.add_subcommand("list", "workloads with their parameters, models, start methods");
    list->add_flag("--json", listJson, "machine-readable output");

    coreduel::app::ExperimentFlags flags;
    bool json = false, quiet = false;
    auto* run = app.add_subcommand("run", "run one experiment and print the comparison");
    coreduel::app::addExperimentOptions(*run, flags);
    run->add_flag("--json", json, "print the results as JSON (schema coreduel.result/1)");
    run->add_flag("-q,--quiet", quiet, "no progress lines on stderr");
    run->footer(
        "examples:\n"
        "  coreduel-cli run -w primes -m all -n 1,2\n"
        "  coreduel-cli run -w sleep -p tasks=32 -p ms=50 -n 1,2,8\n"
        "  coreduel-cli run -w square -m sequential,processes --chunksize 1 --json");

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        std::cerr << "coreduel-cli: " << e.what() << " (see --help)\n";
        return 2;
    }
    try {
        if (list->parsed()) return listCommand(listJson);
        const auto experiment = coreduel::app::toExperiment(flags);
        return coreduel::app::runExperimentInTerminal(experiment, json, quiet);
    } catch (const coreduel::InvalidArgument& e) {
        std::cerr << "coreduel-cli: " << e.what() << '\n';
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "coreduel-cli: error: " << e.what() << '\n';
        return 1;
    }
}
