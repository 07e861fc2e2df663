// coreduel-docgen: run at build time (never installed). Writes the man pages and the bash
// completion scripts from the definitions the programs parse with, so neither can drift from
// --help:
//   coreduel-docgen MAN_DIR COMPLETION_DIR
// MAN_DIR gets coreduel.1, coreduel-cli.1 and coreduel-cli-COMMAND.1 for every command;
// COMPLETION_DIR gets coreduel-cli and coreduel (the names bash-completion loads them by).

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "app/bash_completion.h"
#include "app/cli_app.h"
#include "app/gui_options.h"
#include "app/man_page.h"
#include "app/profile_command.h"
#include "core/lessons/lesson.h"
#include "core/vocab/model.h"
#include "core/workloads/workload.h"

namespace {

namespace fs = std::filesystem;

void writeFile(const fs::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) throw std::runtime_error("cannot write " + path.string());
}

std::vector<std::string> split(const std::string& list) {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (std::size_t comma; (comma = list.find(',', start)) != std::string::npos; start = comma + 1)
        out.push_back(list.substr(start, comma - start));
    out.push_back(list.substr(start));
    return out;
}

constexpr const char* kProfileSummary =
    "run any command (twice, to compare) and measure its process tree and the cores";

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::cerr << "usage: coreduel-docgen MAN_DIR COMPLETION_DIR\n";
        return 2;
    }
    try {
        using namespace coreduel;
        using namespace coreduel::app;
        const fs::path manDir = argv[1], completionDir = argv[2];
        fs::create_directories(manDir);
        fs::create_directories(completionDir);

        CliApp cli;
        cli.app.name("coreduel-cli");
        writeFile(manDir / "coreduel-cli.1",
                  cliOverviewPage(cli.app, {{"profile", kProfileSummary}}).text);
        for (CLI::App* sub : cli.app.get_subcommands([](CLI::App*) { return true; })) {
            const ManPage page = subcommandPage(*sub, "coreduel-cli");
            writeFile(manDir / (page.name + ".1"), page.text);
        }
        writeFile(
            manDir / "coreduel-cli-profile.1",
            pageFromUsage("coreduel-cli-profile", kProfileSummary, profileUsage(), {"coreduel-cli"})
                .text);
        CLI::App gui;
        GuiArgs guiArgs;
        defineGuiOptions(gui, guiArgs);
        writeFile(manDir / "coreduel.1",
                  programPage(gui,
                              "see per-core use, speedup and IPC cost of threads, GIL-threads "
                              "and processes",
                              {"coreduel-cli"})
                      .text);

        // The words options take, from the engine's own tables.
        std::vector<std::string> workloads, models, transports, lessons;
        for (const auto& w : workloadCatalog()) workloads.push_back(w.name);
        for (Model m : allModels()) models.push_back(toString(m));
        models.push_back("mpi");  // (the py: models' colon is a word break for bash)
        models.push_back("all");
        for (Transport t : allTransports()) transports.push_back(toString(t));
        for (const auto& l : loadLessons()) {
            const auto dash = l.name.find('-');
            lessons.push_back(dash == std::string::npos ? l.name : l.name.substr(dash + 1));
        }
        CompletionValues v;
        v.optionWords["--workload"] = workloads;
        v.optionWords["--models"] = models;
        v.commaLists.insert("--models");
        v.optionWords["--start-method"] = {toString(StartMethod::Spawn),
                                           toString(StartMethod::ForkServer),
                                           toString(StartMethod::Fork)};
        v.optionWords["--schedule"] = {toString(Schedule::Dynamic), toString(Schedule::Static)};
        v.optionWords["--transport"] = transports;
        v.optionWords["--transports"] =
            split(cli.ipcOptions.mechanisms);  // the lab's default: all of them
        v.commaLists.insert("--transports");
        v.optionWords["--workers"] = {"cores"};
        v.pathOptions = {"--file", "--output", "--session"};
        v.positionalWords["lesson"] = lessons;
        v.pathPositionals = {"compare", "report", "export-trace"};
        writeFile(completionDir / "coreduel-cli",
                  cliCompletion(cli.app, v, {{"profile", optionsInUsage(profileUsage()), true}}));
        writeFile(completionDir / "coreduel",
                  guiCompletion(
                      "coreduel", optionNamesOf(gui),
                      {{"--theme", {"light", "dark"}},
                       {"--show",
                        {"cores", "timeline", "speedup", "breakdown", "resources", "ipc", "table"}},
                       {"--lesson", lessons}}));
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "coreduel-docgen: " << e.what() << '\n';
        return 1;
    }
}
