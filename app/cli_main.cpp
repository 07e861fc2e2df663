// coreduel-cli: the engine from a terminal.
//   coreduel-cli list [--json]
//   coreduel-cli run --workload primes --models all --workers 1,2 [--json]
//   coreduel-cli --version

// The options are defined in app/cli_app.*; here they are parsed and dispatched, and each
// command is an app/*_command.{h,cpp} pair.

#include <cstring>
#include <iostream>

#include "app/bench_command.h"
#include "app/cli_app.h"
#include "app/compare_command.h"
#include "app/ipc_command.h"
#include "app/lesson_command.h"
#include "app/list_command.h"
#include "app/profile_command.h"
#include "app/report_command.h"
#include "app/run_command.h"
#include "app/sample_command.h"
#include "core/report/schema.h"
#include "core/session/session_codec.h"
#include "core/util/errors.h"

int main(int argc, char** argv) {
    // profile takes a command line of its own after "--", which an option parser would eat.
    if (argc >= 2 && std::strcmp(argv[1], "profile") == 0)
        return coreduel::app::profileCommand(argc - 2, argv + 2);
    coreduel::app::CliApp cli;
    auto& app = cli.app;
    try {
        app.parse(argc, argv);
    } catch (const CLI::Success& e) {  // --help, --version
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        std::cerr << "coreduel-cli: " << e.what() << " (see --help)\n";
        return 2;
    }
    try {
        using namespace coreduel::app;
        if (cli.list->parsed()) return listCommand(cli.listJson);
        if (cli.sample->parsed()) return sampleCommand(cli.sampleSeconds, cli.sampleHz);
        if (cli.bench->parsed()) return benchCommand(cli.benchQuick);
        if (cli.lesson->parsed()) {
            parsePredictions(cli.lessonPredictions, cli.lessonOptions);
            return runLessonCommand(cli.lessonOptions);
        }
        if (cli.compare->parsed())
            return compareCommand(cli.cmpBase, cli.cmpNext, cli.failIfSlower, cli.cmpJson);
        if (cli.report->parsed()) return reportCommand(cli.reportIn, cli.reportOut, cli.reportPart);
        if (cli.exportTrace->parsed()) return exportTraceCommand(cli.traceIn, cli.traceOut);
        if (cli.ipc->parsed()) return ipcCommand(cli.ipcOptions);
        const auto experiment = coreduel::app::toExperiment(*cli.run, cli.flags);
        if (int(cli.json) + int(cli.csv) + int(cli.markdown) > 1) {
            std::cerr << "coreduel-cli: choose one of --json, --csv, --markdown\n";
            return 2;
        }
        const auto format = cli.json       ? coreduel::app::Format::Json
                            : cli.csv      ? coreduel::app::Format::Csv
                            : cli.markdown ? coreduel::app::Format::Markdown
                                           : coreduel::app::Format::Table;
        return coreduel::app::runExperimentInTerminal(experiment, format, cli.quiet, cli.output,
                                                      cli.session);
    } catch (const coreduel::InvalidArgument& e) {
        std::cerr << "coreduel-cli: " << e.what() << '\n';
        return 2;
    } catch (const coreduel::SessionFormatError& e) {
        std::cerr << "coreduel-cli: " << e.what() << '\n';
        return 2;
    } catch (const coreduel::FileFormatError& e) {
        std::cerr << "coreduel-cli: " << e.what() << '\n';
        return 2;
    } catch (const std::system_error& e) {
        // A file that cannot be written (full disk, no permission): nothing half-written is left.
        std::cerr << "coreduel-cli: " << e.what() << '\n';
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "coreduel-cli: error: " << e.what() << '\n';
        return 1;
    }
}
