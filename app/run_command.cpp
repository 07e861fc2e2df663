#include "app/run_command.h"

#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

#include <chrono>
#include <csignal>
#include <iostream>
#include <memory>
#include <thread>

#include "core/report/console_sink.h"
#include "core/report/formats.h"
#include "core/report/json_report.h"
#include "core/report/schema.h"
#include "core/report/table_report.h"
#include "core/run/runner.h"
#include "core/run/tee_sink.h"
#include "core/session/session.h"
#include "core/workloads/params.h"

namespace coreduel::app {

namespace {

volatile std::sig_atomic_t g_interrupted = 0;

void onSigint(int) {
    g_interrupted = 1;
}

}  // namespace

void checkOutputPath(const std::string& path) {
    // Refuse before running anything: a format we cannot write, or a folder we cannot write
    // into, should not cost the user the whole experiment.
    renderForFile(ExperimentResult{}, path);
    const auto slash = path.find_last_of('/');
    const std::string dir =
        slash == std::string::npos ? "." : path.substr(0, slash == 0 ? 1 : slash);
    if (::access(dir.c_str(), W_OK) != 0)
        throw InvalidArgument("cannot write into " + dir + " (for -o " + path +
                              "): " + std::strerror(errno));
}

ExperimentResult runWithProgress(const Experiment& e, bool quiet, const std::string& session) {
    // The session file is created before anything runs: a path that cannot be written is
    // refused at once, not after the experiment.
    std::unique_ptr<SessionRecorder> recorder;
    if (!session.empty()) recorder = std::make_unique<SessionRecorder>(session);
    return runWithProgress(e, quiet, recorder.get());
}

ExperimentResult runWithProgress(const Experiment& e, bool quiet, SessionRecorder* recorder) {
    Runner runner(e);
    const bool terminal = ::isatty(STDERR_FILENO) != 0;
    const char* noColor = std::getenv("NO_COLOR");
    ConsoleSink console(std::cerr, quiet, terminal,
                        terminal && (noColor == nullptr || *noColor == '\0'));
    TeeSink tee(recorder != nullptr ? std::vector<EventSink*>{&console, recorder}
                                    : std::vector<EventSink*>{&console});
    EventSink& sink = tee;

    struct sigaction sa {};
    sa.sa_handler = onSigint;
    sigemptyset(&sa.sa_mask);
    struct sigaction oldInt {
    }, oldTerm{};
    ::sigaction(SIGINT, &sa, &oldInt);
    ::sigaction(SIGTERM, &sa, &oldTerm);
    // The engine thread does the work; this one only watches for Ctrl-C.
    runner.start(sink);
    bool cancelled = false;
    while (!runner.finished()) {
        if (g_interrupted && !cancelled) {
            std::cerr << "interrupted: stopping workers...\n";
            runner.cancel();
            cancelled = true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ::sigaction(SIGINT, &oldInt, nullptr);
    ::sigaction(SIGTERM, &oldTerm, nullptr);
    ExperimentResult result = runner.wait();
    if (recorder) {
        try {
            recorder->close();
            if (!quiet) std::cerr << "session written to " << recorder->path() << '\n';
        } catch (const std::exception& ex) {
            std::cerr << "coreduel-cli: the session " << recorder->path()
                      << " is incomplete: " << ex.what() << '\n';
        }
    }
    return result;
}

int runExperimentInTerminal(const Experiment& e, Format format, bool quiet,
                            const std::string& output, const std::string& session) {
    if (!output.empty()) checkOutputPath(output);
    const auto result = runWithProgress(e, quiet, session);

    if (!output.empty()) {
        try {
            writeFileAtomically(output, renderForFile(result, output));
            if (!quiet) std::cerr << "result written to " << output << '\n';
        } catch (const std::exception& ex) {
            std::cerr << "coreduel-cli: could not write " << output << ": " << ex.what()
                      << " (nothing was written)\n";
            return 1;
        }
    }
    switch (format) {
        case Format::Json:
            std::cout << toJson(result).dump(2) << '\n';
            break;
        case Format::Csv:
            std::cout << toCsv(result);
            break;
        case Format::Markdown:
            std::cout << toMarkdown(result);
            break;
        case Format::Table:
            std::cout << formatTable(result) << '\n'
                      << formatAnalysis(result) << formatVerdict(result);
    }
    std::cout.flush();
    if (result.cancelled) return 130;
    return result.allOk() ? 0 : 1;
}

}  // namespace coreduel::app
