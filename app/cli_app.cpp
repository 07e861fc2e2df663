#include "app/cli_app.h"

#include "core/util/version.h"

namespace coreduel::app {

namespace {

// What `report --help` and `export-trace --help` say after their options (and their man pages).
constexpr const char* kReportFooter =
    "a damaged session (bytes changed inside it, not cut short) is still reported with\n"
    "everything that survived; each damaged stretch is named on stderr and at the top of a\n"
    ".txt or .md report, and the exit status is 1.\n"
    "examples:\n  coreduel-cli report result.json -o report.html\n"
    "  coreduel-cli report primes.coreduel -o report.pdf\n"
    "  coreduel-cli report gil-lesson.coreduel --part 2 -o part2.md";
constexpr const char* kExportTraceFooter =
    "one process per run (in a lesson's session, per run of each part, named by part and\n"
    "run), one thread per worker, tasks as slices with their numbers, GIL holds and waits\n"
    "nested in the tasks, per-core utilization as counter tracks. A damaged session is\n"
    "written with everything that survived, its damage named on stderr, exit status 1.\n"
    "example:\n  coreduel-cli export-trace primes.coreduel -o primes-trace.json";

}  // namespace

CliApp::CliApp() {
    app.set_version_flag("--version", std::string("coreduel-cli ") + versionString(),
                         "print the version and exit");
    app.require_subcommand(1);
    app.footer(
        "also: coreduel-cli profile [--label NAME] [-r N] [--shell] -- CMD ARGS... [--vs -- CMD2 "
        "ARGS...]\n"
        "      (see coreduel-cli profile --help)");

    list = app.add_subcommand("list", "workloads with their parameters, models, start methods");
    list->add_flag("--json", listJson, "machine-readable output");
    list->footer(
        "examples:\n  coreduel-cli list\n  coreduel-cli list --json | jq '.workloads[].name'");

    run = app.add_subcommand("run", "run one experiment and print the comparison");
    addExperimentOptions(*run, flags);
    run->add_flag("--json", json, "print the results as JSON (schema coreduel.result/2)");
    run->add_flag("--csv", csv, "print one CSV row per run");
    run->add_flag("--markdown", markdown, "print a Markdown report");
    run->add_flag("-q,--quiet", quiet, "no progress lines on stderr");
    run->add_option("-o,--output", output,
                    "also write the result to this file, atomically; the extension picks the "
                    "format (.json .csv .md "
                    ".html .txt)");
    run->add_option("--session", session,
                    "also stream everything to this session file while it runs: every task "
                    "event, GIL interval and per-core sample (reopen it in the window, "
                    "export-trace it, report it); readable even after Ctrl-C or a crash");
    run->footer(
        "examples:\n"
        "  coreduel-cli run -w primes -m all -n 1,2\n"
        "  coreduel-cli run -w sleep -p tasks=32 -p ms=50 -n 1,2,8\n"
        "  coreduel-cli run -w square -m sequential,processes --chunksize 1,16,256 --json\n"
        "  coreduel-cli run -f experiment.json -n 1-4 -r 5 -o result.json\n"
        "  coreduel-cli run -w primes -m gil-threads,processes -n 2 --session primes.coreduel");

    addIpcCommand();

    compare =
        app.add_subcommand("compare", "compare two saved results configuration by configuration");
    compare->add_option("base", cmpBase, "the earlier result (coreduel.result/2 or /1)")
        ->required()
        ->check(CLI::ExistingFile);
    compare->add_option("new", cmpNext, "the later result")->required()->check(CLI::ExistingFile);
    compare
        ->add_option(
            "--fail-if-slower", failIfSlower,
            "exit 1 when a configuration got significantly slower by more than this many percent")
        ->check(CLI::Range(0.0, 1000.0));
    compare->add_flag("--json", cmpJson, "machine-readable output");
    compare->footer("example:\n  coreduel-cli compare before.json after.json --fail-if-slower 5");

    report = app.add_subcommand(
        "report", "render a saved result or session as a PDF, HTML, Markdown, CSV, JSON or text");
    report
        ->add_option("result", reportIn,
                     "a saved result (coreduel.result/2 or /1) or session (coreduel.session/2 "
                     "or /1)")
        ->required()
        ->check(CLI::ExistingFile);
    report
        ->add_option("-o,--output", reportOut,
                     "where to write it; the extension picks the format (.pdf: the window's "
                     "report with its charts, drawn offscreen by coreduel; .html .md .csv .json "
                     ".txt)")
        ->required();
    report
        ->add_option("--part", reportPart,
                     "a lesson's session: only this part (from 1); without it every part is "
                     "reported, one after another (a .json result holds one part: name it)")
        ->check(CLI::Range(1, 1000));
    report->footer(kReportFooter);

    exportTrace = app.add_subcommand(
        "export-trace",
        "write a session as a Chrome trace (JSON) for Perfetto, chrome://tracing or speedscope");
    exportTrace
        ->add_option("session", traceIn,
                     "a session file (coreduel-cli run --session or lesson --session)")
        ->required()
        ->check(CLI::ExistingFile);
    exportTrace->add_option("-o,--output", traceOut, "the trace file to write (.json)")->required();
    exportTrace->footer(kExportTraceFooter);

    bench = app.add_subcommand(
        "bench", "check the performance goals; prints each as a ratio measured in this run");
    bench->add_flag("--quick", benchQuick, "fewer repetitions");
    bench->footer(
        "exit status 1 when a goal is missed, 2 when none is missed but some could not\nbe judged "
        "because other programs kept the CPUs busy.\nexample:\n  coreduel-cli bench --quick");

    sample = app.add_subcommand(
        "sample", "print per-core utilization once a second (compare with mpstat -P ALL 1)");
    sample->add_option("--seconds", sampleSeconds, "how long to sample")
        ->capture_default_str()
        ->check(CLI::Range(1.0, 86400.0));
    sample->add_option("--hz", sampleHz, "sampling rate")
        ->capture_default_str()
        ->check(CLI::Range(0.5, 1000.0));
    sample->footer(
        "example (compare the two):\n  coreduel-cli sample --seconds 5 & mpstat -P ALL 1 5");

    lesson = app.add_subcommand(
        "lesson",
        "a lesson: question, your predictions, the run, the explanation with its numbers");
    lesson->add_option("name", lessonOptions.name, "lesson name (none: list the lessons)");
    lesson->add_flag("--quick", lessonOptions.quick, "a reduced size: seconds instead of a minute");
    lesson->add_option("--predict", lessonPredictions,
                       "your predicted speedup before the run, e.g. --predict processes=2");
    lesson->add_option("-o,--output", lessonOptions.output,
                       "also save the result (.json .csv .md .html)");
    lesson->add_option("--session", lessonOptions.session,
                       "also stream every part to this session file while it runs (reopen it "
                       "in the window with a part picker, export-trace it, report it); readable "
                       "even after Ctrl-C or a crash");
    lesson->footer(
        "examples:\n  coreduel-cli lesson\n  coreduel-cli lesson gil --predict "
        "threads=2 --predict gil-threads=1.5 --predict processes=2\n"
        "  coreduel-cli lesson isolation --quick --session isolation.coreduel");
}

void CliApp::addIpcCommand() {
    ipc = app.add_subcommand(
        "ipc", "the IPC lab: round-trip latency and throughput per transport and size");
    ipc->add_option("--transports", ipcOptions.mechanisms,
                    "pipe, unix, mqueue, shm, the baselines thread-queue and spin, and mpi (Open "
                    "MPI's own ping-pong between two ranks)")
        ->capture_default_str();
    ipc->add_option("--sizes", ipcOptions.sizes,
                    "message sizes, with K and M suffixes (1 KiB = 1024 B)")
        ->capture_default_str();
    ipc->add_option("--seconds-per-point", ipcOptions.seconds,
                    "time budget per transport and size, all rounds and placements together")
        ->capture_default_str()
        ->check(CLI::Range(0.001, 60.0));
    ipc->add_option("--rounds", ipcOptions.rounds,
                    "interleaved rounds: each measures every transport and size once, in a "
                    "shuffled order; a row's value is the median of its round medians")
        ->capture_default_str()
        ->check(CLI::Range(1, 100));
    ipc->add_option("--seed", ipcOptions.seed,
                    "seed of the rounds' order (0: a fresh one, printed so that a run can be "
                    "repeated)")
        ->capture_default_str();
    ipc->add_option("--spin-us", ipcOptions.spinUs,
                    "pipe/unix/mqueue/shm: both sides poll this many microseconds before "
                    "blocking on a receive (0: block at once); its CPU cost shows in the cpu "
                    "columns")
        ->capture_default_str()
        ->check(CLI::Range(0, 100000));
    ipc->add_option("--placement", ipcOptions.placement,
                    "both: every row twice, pinned on one CPU and across two, each round re-pins "
                    "the peer (a row per placement); same: engine and peers on one CPU (context "
                    "switches); split: peers on another CPU than the engine (cross-CPU "
                    "wake-ups); any: where the scheduler puts them, which on a small VM decides "
                    "per run which of the two a row shows")
        ->capture_default_str()
        ->check(CLI::IsMember({"both", "same", "split", "any"}));
    ipc->add_flag("--json", ipcOptions.json, "machine-readable output");
    ipc->footer(
        "examples:\n  coreduel-cli ipc\n  coreduel-cli ipc --transports pipe,shm --sizes 8,1M "
        "--seconds-per-point 1\n  coreduel-cli ipc --spin-us 50 --seed 7");
}

}  // namespace coreduel::app
