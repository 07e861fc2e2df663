// coreduel: the desktop app. With a display it opens the main window; without one it runs a
// headless demo and prints the comparison table (or, given --run, runs that experiment with
// the offscreen platform so --export-report and --screenshot still work).

#include <QApplication>
#include <QFileInfo>
#include <QIcon>
#include <QTimer>
#include <cstdlib>
#include <iostream>
#include <map>
#include <thread>

#include "app/gui_usage.h"
#include "app/run_command.h"
#include "core/report/schema.h"
#include "core/util/version.h"
#include "core/workloads/params.h"
#include "ui/experiment_panel.h"
#include "ui/exporter.h"
#include "ui/lessons_panel.h"
#include "ui/main_window.h"
#include "ui/presentation_window.h"

namespace {

struct Args {
    QString open, run, report, result, screenshot, show, theme, lesson, handout, baseline;
    bool quick = false;
    bool present = false;
    int timelineRun = 0;
    int part = 0;  ///< --part N (from 1); 0: not given
    bool quit = false;
    bool headless = false;
};

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

/// Parses argv; exits with a message for --help and for mistakes.
Args parseArgs(int argc, char** argv) {
    Args a;
    for (int i = 1; i < argc; ++i) {
        const std::string s = argv[i];
        auto value = [&](QString& out) {
            if (i + 1 >= argc) {
                std::cerr << "coreduel: " << s << " needs a value\n" << coreduel::app::guiUsage();
                std::exit(2);
            }
            out = QString::fromLocal8Bit(argv[++i]);
        };
        // Options that take a value, and plain switches.
        const std::map<std::string, QString*> valued = {{"--run", &a.run},
                                                        {"--export-report", &a.report},
                                                        {"--export-result", &a.result},
                                                        {"--screenshot", &a.screenshot},
                                                        {"--show", &a.show},
                                                        {"--theme", &a.theme},
                                                        {"--lesson", &a.lesson},
                                                        {"--export-handout", &a.handout},
                                                        {"--baseline", &a.baseline}};
        const std::map<std::string, bool*> switches = {{"--present", &a.present},
                                                       {"--quick", &a.quick},
                                                       {"--quit-when-done", &a.quit},
                                                       {"--headless", &a.headless}};
        if (s == "-h" || s == "--help") {
            std::cout << coreduel::app::guiUsage();
            std::exit(0);
        } else if (s == "--version") {
            std::cout << "coreduel " << coreduel::versionString() << '\n';
            std::exit(0);
        } else if (auto v = valued.find(s); v != valued.end()) {
            value(*v->second);
        } else if (auto f = switches.find(s); f != switches.end()) {
            *f->second = true;
        } else if (s == "--part") {
            QString n;
            value(n);
            bool ok = false;
            a.part = n.toInt(&ok);
            if (!ok || a.part < 1) {
                std::cerr << "coreduel: --part takes a part number from 1\n";
                std::exit(2);
            }
        } else if (s == "--timeline-run") {
            QString n;
            value(n);
            bool ok = false;
            a.timelineRun = n.toInt(&ok);
            if (!ok || a.timelineRun < 1) {
                std::cerr << "coreduel: --timeline-run takes a run number from 1\n";
                std::exit(2);
            }
        } else if (!s.empty() && s[0] == '-') {
            std::cerr << "coreduel: unknown option " << s << "\n" << coreduel::app::guiUsage();
            std::exit(2);
        } else {
            a.open = QString::fromLocal8Bit(argv[i]);
        }
    }
    if (!a.lesson.isEmpty() && !a.run.isEmpty()) {
        std::cerr << "coreduel: --lesson and --run both choose the experiment: give one\n";
        std::exit(2);
    }
    if (a.part > 0 && a.open.isEmpty()) {
        std::cerr << "coreduel: --part picks a part of the session FILE: give one\n";
        std::exit(2);
    }
    if (!a.handout.isEmpty() && a.lesson.isEmpty()) {
        std::cerr << "coreduel: --export-handout needs --lesson\n";
        std::exit(2);
    }
    if (!a.theme.isEmpty() && a.theme != QLatin1String("light") &&
        a.theme != QLatin1String("dark")) {
        std::cerr << "coreduel: --theme must be light or dark\n";
        std::exit(2);
    }
    for (const QString& path : {a.report, a.result, a.screenshot, a.handout}) {
        if (path.isEmpty()) continue;
        const QFileInfo dir(QFileInfo(path).absolutePath());
        if (!dir.isDir() || !dir.isWritable()) {
            std::cerr << "coreduel: cannot write " << path.toStdString() << ": folder "
                      << dir.filePath().toStdString() << " is missing or not writable\n";
            std::exit(2);
        }
    }
    const QString ext = QFileInfo(a.report).suffix().toLower();
    if (!a.report.isEmpty() && ext != QLatin1String("pdf") && ext != QLatin1String("html")) {
        std::cerr << "coreduel: --export-report takes a .pdf or .html file\n";
        std::exit(2);
    }
    return a;
}

}  // namespace

int main(int argc, char** argv) {
    const Args args = parseArgs(argc, argv);
    const bool scripted = !args.run.isEmpty() || !args.lesson.isEmpty();
    if (args.headless || (!haveDisplay() && !scripted && args.open.isEmpty())) {
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
    options.persistSettings = options.confirmQuit = !scripted;  // scripts: no settings, no asking
    options.theme = args.theme;
    coreduel::ui::MainWindow window(options);
    window.show();

    int exitCode = 0;
    auto afterRun = [&](bool ok) {
        if (!ok) {
            exitCode = 1;
            std::cerr << "coreduel: " << window.statusText().toStdString() << '\n';
        }
        if (!args.show.isEmpty()) window.showChart(args.show);
        if (args.timelineRun > 0) window.showTimelineRun(args.timelineRun - 1);
        // Let docks settle and charts replot before anything is captured.
        QTimer::singleShot(400, &window, [&] {
            try {
                if (!args.report.isEmpty()) {
                    window.exportReport(args.report, /*everyPart=*/args.part == 0);
                    std::cerr << "coreduel: report written to " << args.report.toStdString()
                              << '\n';
                }
                if (!args.result.isEmpty()) {
                    if (!window.result())
                        throw coreduel::ui::ExportError("no result to write: nothing was run");
                    coreduel::ui::exportResult(*window.result(), args.result);
                    std::cerr << "coreduel: result written to " << args.result.toStdString()
                              << '\n';
                }
                if (!args.handout.isEmpty()) {
                    window.exportHandout(args.handout);
                    std::cerr << "coreduel: handout written to " << args.handout.toStdString()
                              << '\n';
                }
                if (!args.screenshot.isEmpty()) {
                    window.saveScreenshot(args.screenshot);
                    std::cerr << "coreduel: screenshot written to " << args.screenshot.toStdString()
                              << '\n';
                }
            } catch (const std::exception& e) {
                std::cerr << "coreduel: " << e.what() << '\n';
                exitCode = 1;
            }
            std::cerr << "coreduel: GUI thread stalled at most "
                      << window.stallMonitor().maxStallMs() << " ms during the run and used "
                      << window.guiCpuPercent() << " % of one core\n";
            if (args.quit) QApplication::exit(exitCode);
        });
    };
    // The run, the lesson or the exports, once the file and the baseline are in.
    auto begin = [&] {
        if (!args.lesson.isEmpty()) {
            if (!window.lessonsPanel()->selectLesson(args.lesson)) {
                std::cerr << "coreduel: no lesson '" << args.lesson.toStdString()
                          << "' (coreduel-cli lesson lists them)\n";
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
        } else if (!args.run.isEmpty()) {
            coreduel::Experiment experiment;
            try {
                experiment = coreduel::loadExperimentFile(args.run.toStdString());
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
            QObject::connect(&window, &coreduel::ui::MainWindow::experimentDone, &window, afterRun);
            QTimer::singleShot(0, &window, [&window, experiment] {
                if (!window.runExperiment(experiment)) {
                    std::cerr << "coreduel: " << window.statusText().toStdString() << '\n';
                    QApplication::exit(2);
                }
            });
        } else if (args.quit) {
            // An opened result or session: its exports, as after a run (coreduel-cli report
            // FILE -o x.pdf comes here, offscreen).
            QTimer::singleShot(0, &window, [&] { afterRun(true); });
        }
    };
    // A session (file or baseline) is read off the GUI thread: what follows waits for it.
    // Everything starts from the event loop, so a failure can end it with QApplication::exit.
    auto withBaseline = [&] {
        if (args.baseline.isEmpty()) return begin();
        try {
            window.loadBaseline(args.baseline, [&](const QString& error) {
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
                std::cerr << "coreduel: --part " << args.part << ": " << args.open.toStdString()
                          << " has " << std::max(1, window.partCount()) << " part(s)\n";
                QApplication::exit(2);
                return;
            }
            window.showPart(args.part - 1);
        }
        withBaseline();
    };
    QTimer::singleShot(0, &window, [&] {
        if (args.open.isEmpty()) return withBaseline();
        try {
            window.openFile(args.open, opened);
        } catch (const std::exception& e) {
            opened(QString::fromUtf8(e.what()));
        }
    });
    const int rc = QApplication::exec();
    return rc != 0 ? rc : exitCode;
}
