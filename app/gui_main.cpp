// coreduel: the desktop app. With a display it opens the main window; without one it runs a
// headless demo and prints the comparison table (or, given --run, runs that experiment with
// the offscreen platform so --export-report and --screenshot still work).

#include <QApplication>
#include <QFileInfo>
#include <QIcon>
#include <QTimer>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <map>
#include <thread>

#include "app/gui_options.h"
#include "app/run_command.h"
#include "core/lessons/lesson.h"
#include "core/report/schema.h"
#include "core/util/version.h"
#include "core/workloads/params.h"
#include "ui/export/exporter.h"
#include "ui/panels/experiment_panel.h"
#include "ui/panels/lessons_panel.h"
#include "ui/panels/presentation_window.h"
#include "ui/window/main_window.h"

namespace {

bool haveDisplay() {
    auto set = [](const char* name) {
        const char* v = std::getenv(name);
        return v != nullptr && *v != '\0';
    };
    return set("DISPLAY") || set("WAYLAND_DISPLAY") || set("QT_QPA_PLATFORM");
}

int headlessDemo() {
    std::cout << "CoreDuel headless demo (no display found; set DISPLAY or use xvfb-run for the "
                 "window).\n\n";
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    std::vector<unsigned> workers = {1};
    if (cores > 1) workers.push_back(cores);
    try {
        // Three repetitions: with fewer the verdict can name no cause (core/run/evidence.h).
        coreduel::Experiment cpu;
        cpu.workload = "primes";
        cpu.workerCounts = workers;
        cpu.repetitions = 3;
        std::cout << "== CPU-bound: count primes below 6,000,000 ==\n";
        int rc = coreduel::app::runExperimentInTerminal(cpu, coreduel::app::Format::Table, false);
        if (rc == 130) return rc;
        coreduel::Experiment io;
        io.workload = "sleep";
        io.params = {{"tasks", "16"}, {"ms", "50"}};
        io.workerCounts = {1, std::max(4u, cores)};
        io.repetitions = 3;
        std::cout << "\n== I/O-bound: 16 waits of 50 ms ==\n";
        const int rc2 =
            coreduel::app::runExperimentInTerminal(io, coreduel::app::Format::Table, false);
        return rc != 0 ? rc : rc2;
    } catch (const std::exception& e) {
        std::cerr << "coreduel: " << e.what() << '\n';
        return 1;
    }
}

/// Parses argv into `args`; an exit status for --help, --version and mistakes, else -1.
int parseArgs(int argc, char** argv, coreduel::app::GuiArgs& args) {
    CLI::App app;
    coreduel::app::defineGuiOptions(app, args);
    try {
        app.parse(argc, argv);
    } catch (const CLI::Success& e) {  // --help, --version
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        std::cerr << "coreduel: " << e.what() << " (see --help)\n";
        return 2;
    }
    if (const std::string problem = coreduel::app::guiArgsProblem(args); !problem.empty()) {
        std::cerr << "coreduel: " << problem << '\n';
        return 2;
    }
    return -1;
}

QString q(const std::string& s) {
    return QString::fromStdString(s);
}

/// What --export-report, --export-result, --export-handout and --screenshot ask for, once the
/// run (or the opened file) is in; false if one could not be written.
bool writeExports(coreduel::ui::MainWindow& window, const coreduel::app::GuiArgs& args) {
    try {
        if (!args.report.empty()) {
            window.exportReport(q(args.report), /*everyPart=*/args.part == 0);
            std::cerr << "coreduel: report written to " << args.report << '\n';
        }
        if (!args.result.empty()) {
            if (!window.result())
                throw coreduel::ui::ExportError("no result to write: nothing was run");
            coreduel::ui::exportResult(*window.result(), q(args.result));
            std::cerr << "coreduel: result written to " << args.result << '\n';
        }
        if (!args.handout.empty()) {
            window.exportHandout(q(args.handout));
            std::cerr << "coreduel: handout written to " << args.handout << '\n';
        }
        if (!args.charts.empty()) {
            const auto [w, h] =
                coreduel::app::chartSize(args.chartSize).value_or(std::pair{1920, 1080});
            const QStringList files =
                window.exportCharts(q(args.charts), q(args.chartFormat), QSize(w, h));
            std::cerr << "coreduel: " << files.size() << " chart(s) written to " << args.charts
                      << '\n';
        }
        if (!args.screenshot.empty()) {
            window.saveScreenshot(q(args.screenshot));
            std::cerr << "coreduel: screenshot written to " << args.screenshot << '\n';
        }
    } catch (const std::exception& e) {
        std::cerr << "coreduel: " << e.what() << '\n';
        return false;
    }
    // What the window cost a run it measured (an opened file or the IPC lab measures none).
    if (window.slowestLiveRefreshMs() > 0)
        std::cerr << "coreduel: GUI thread stalled at most " << window.stallMonitor().maxStallMs()
                  << " ms during the run and used " << window.guiCpuPercent()
                  << " % of one core (live charts redrawn every "
                  << window.slowestLiveRefreshMs() / 1000.0 << " s at the slowest)\n";
    return true;
}

}  // namespace

namespace {

/// Why `name` is not a lesson, in the loader's own words (a lesson file that did not load
/// says why; an unknown name lists the lessons).
std::string lessonError(const std::string& name) {
    try {
        (void)coreduel::findLesson(name);
    } catch (const std::exception& e) {
        return e.what();
    }
    return "no lesson '" + name + "' (coreduel-cli lesson lists them)";
}

/// --run: the experiment file in the panel, run; `done` when it ends. Exits the event loop
/// with status 2 where the file cannot be read or the run cannot start.
void runExperimentFile(coreduel::ui::MainWindow& window, const std::string& file,
                       const std::function<void(bool)>& done) {
    coreduel::Experiment experiment;
    try {
        experiment = coreduel::loadExperimentFile(file);
        if (experiment.startMethod == coreduel::StartMethod::Fork) {
            std::cerr << "coreduel: the desktop app does not fork without exec; using "
                         "forkserver (coreduel-cli runs fork)\n";
            experiment.startMethod = coreduel::StartMethod::ForkServer;
        }
    } catch (const std::exception& e) {
        std::cerr << "coreduel: " << e.what() << '\n';
        QApplication::exit(2);
        return;
    }
    window.panel()->setExperiment(experiment);
    QObject::connect(&window, &coreduel::ui::MainWindow::experimentDone, &window, done);
    QTimer::singleShot(0, &window, [&window, experiment] {
        if (!window.runExperiment(experiment)) {
            std::cerr << "coreduel: " << window.statusText().toStdString() << '\n';
            QApplication::exit(2);
        }
    });
}

/// --ipc-lab: the lab at once; `done` when it ends (false if it failed).
void runIpcLab(coreduel::ui::MainWindow& window, const std::function<void(bool)>& done) {
    QObject::connect(&window, &coreduel::ui::MainWindow::ipcLabDone, &window,
                     [done](const QString& error) {
                         if (!error.isEmpty())
                             std::cerr << "coreduel: IPC lab: " << error.toStdString() << '\n';
                         done(error.isEmpty());
                     });
    QTimer::singleShot(0, &window, [&window] { window.runIpcLab(); });
}

}  // namespace

int main(int argc, char** argv) {
    coreduel::app::GuiArgs args;
    if (const int rc = parseArgs(argc, argv, args); rc >= 0) return rc;
    const bool scripted = !args.run.empty() || !args.lesson.empty() || args.ipcLab;
    if (args.headless || (!haveDisplay() && !scripted && args.open.empty())) {
        return headlessDemo();
    }
    if (!haveDisplay()) {
        // Scripted use without a display: draw into memory, exports work the same.
        std::cerr << "coreduel: no display; running offscreen\n";
        qputenv("QT_QPA_PLATFORM", "offscreen");
    }
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("CoreDuel"));
    QApplication::setApplicationName(QStringLiteral("coreduel"));
    QApplication::setApplicationVersion(QString::fromLatin1(coreduel::versionNumber()));
    // The installed .desktop file's name: lets a Wayland shell match the window to its launcher.
    QApplication::setDesktopFileName(QStringLiteral("org.coreduel.CoreDuel"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/coreduel/coreduel.svg")));

    coreduel::ui::MainWindow::Options options;
    // A script ends the window itself (--quit-when-done): no settings, no history, no asking,
    // whether it runs something or opens a file (its pictures must not depend on the layout
    // and theme the user left behind).
    options.persistSettings = options.confirmQuit = !args.quit;
    options.theme = q(args.theme);
    coreduel::ui::MainWindow window(options);
    window.show();

    int exitCode = 0;
    auto afterRun = [&](bool ok) {
        if (!ok) {
            exitCode = 1;
            std::cerr << "coreduel: " << window.statusText().toStdString() << '\n';
        }
        if (!args.show.empty()) window.showChart(q(args.show));
        if (args.timelineRun > 0) window.showTimelineRun(args.timelineRun - 1);
        // Let docks settle and charts replot before anything is captured.
        QTimer::singleShot(400, &window, [&] {
            if (!writeExports(window, args)) exitCode = 1;
            if (args.quit) QApplication::exit(exitCode);
        });
    };
    // The run, the lesson or the exports, once the file and the baseline are in.
    auto begin = [&] {
        if (!args.lesson.empty()) {
            if (!window.lessonsPanel()->selectLesson(q(args.lesson))) {
                std::cerr << "coreduel: " << lessonError(args.lesson) << "\n";
                QApplication::exit(2);
                return;
            }
            window.lessonsPanel()->setQuick(args.quick);
            window.showChart(QStringLiteral("lessons"));
            QObject::connect(&window, &coreduel::ui::MainWindow::lessonDone, &window, afterRun);
            QTimer::singleShot(0, &window, [&window, present = args.present] {
                if (present) {
                    window.present();
                    if (window.presentation() != nullptr) {
                        window.presentation()->next();  // predict -> run
                        return;
                    }
                }
                if (!window.runLesson()) {
                    std::cerr << "coreduel: " << window.statusText().toStdString() << '\n';
                    QApplication::exit(2);
                }
            });
        } else if (!args.run.empty()) {
            runExperimentFile(window, args.run, afterRun);
        } else if (args.ipcLab) {
            runIpcLab(window, afterRun);
        } else if (args.quit) {
            // An opened result or session: its exports, as after a run (coreduel-cli report
            // FILE -o x.pdf comes here, offscreen).
            QTimer::singleShot(0, &window, [&] { afterRun(true); });
        }
    };
    // A session (file or baseline) is read off the GUI thread: what follows waits for it.
    // Everything starts from the event loop, so a failure can end it with QApplication::exit.
    auto withBaseline = [&] {
        if (args.baseline.empty()) return begin();
        try {
            window.loadBaseline(q(args.baseline), [&](const QString& error) {
                if (!error.isEmpty()) {
                    std::cerr << "coreduel: --baseline: " << error.toStdString() << '\n';
                    QApplication::exit(2);
                    return;
                }
                begin();
            });
        } catch (const std::exception& e) {
            std::cerr << "coreduel: --baseline: " << e.what() << '\n';
            QApplication::exit(2);
        }
    };
    auto opened = [&](const QString& error) {
        if (!error.isEmpty()) {
            std::cerr << "coreduel: " << error.toStdString() << '\n';
            if (args.quit) {
                QApplication::exit(2);
                return;
            }
        } else if (args.part > 0) {
            if (args.part > window.partCount()) {
                std::cerr << "coreduel: --part " << args.part << ": " << args.open << " has "
                          << std::max(1, window.partCount()) << " part(s)\n";
                QApplication::exit(2);
                return;
            }
            window.showPart(args.part - 1);
        }
        withBaseline();
    };
    QTimer::singleShot(0, &window, [&] {
        if (args.open.empty()) return withBaseline();
        try {
            window.openFile(q(args.open), opened);
        } catch (const std::exception& e) {
            opened(QString::fromUtf8(e.what()));
        }
    });
    const int rc = QApplication::exec();
    return rc != 0 ? rc : exitCode;
}
