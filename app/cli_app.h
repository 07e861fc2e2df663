#pragma once
// coreduel-cli's command line: every subcommand, option and help text, defined once. The
// program parses with it (cli_main.cpp); coreduel-docgen walks it to write the man pages and
// the bash completion, so those cannot drift from --help.

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "app/cli_options.h"
#include "app/ipc_command.h"
#include "app/lesson_command.h"

namespace coreduel::app {

/// The parsed values live next to the App that writes into them: CLI11 keeps pointers to
/// them, so a CliApp is built in place and never copied or moved.
class CliApp {
public:
    CliApp();
    CliApp(const CliApp&) = delete;
    CliApp& operator=(const CliApp&) = delete;

    CLI::App app{
        "CoreDuel: the same workload as sequential code, threads, GIL-threads and "
        "processes, measured and verified."};

    // list
    CLI::App* list = nullptr;
    bool listJson = false;
    // run
    CLI::App* run = nullptr;
    ExperimentFlags flags;
    bool json = false, quiet = false, csv = false, markdown = false;
    std::string output, session;
    // ipc
    CLI::App* ipc = nullptr;
    IpcCommandOptions ipcOptions;
    // compare
    CLI::App* compare = nullptr;
    std::string cmpBase, cmpNext;
    double failIfSlower = -1;
    bool cmpJson = false;
    // report
    CLI::App* report = nullptr;
    std::string reportIn, reportOut;
    std::size_t reportPart = 0;  ///< report --part (1-based); 0: every part
    // export-trace
    CLI::App* exportTrace = nullptr;
    std::string traceIn, traceOut;
    // bench
    CLI::App* bench = nullptr;
    bool benchQuick = false;
    // sample
    CLI::App* sample = nullptr;
    double sampleSeconds = 5, sampleHz = 20;
    // lesson
    CLI::App* lesson = nullptr;
    LessonOptions lessonOptions;
    std::vector<std::string> lessonPredictions;

private:
    /// The ipc subcommand and its options (the lab's rounds, seed, spin and placement).
    void addIpcCommand();
};

}  // namespace coreduel::app
