#include "app/gui_options.h"

#include <unistd.h>

#include <cctype>
#include <filesystem>
#include <sstream>

#include "core/util/version.h"

namespace coreduel::app {

void defineGuiOptions(CLI::App& app, GuiArgs& a) {
    app.name("coreduel");
    app.description(
        "Opens the CoreDuel window. FILE: an experiment, a saved result or a session to open.");
    app.set_version_flag("--version", std::string("coreduel ") + versionString(),
                         "print the version and exit");
    app.add_option("FILE", a.open, "an experiment, result or session file to open");
    app.add_option("--run", a.run, "run this experiment at once")->type_name("EXPERIMENT.json");
    app.add_option("--export-report", a.report, "when it is done, write a report (.pdf or .html)")
        ->type_name("FILE");
    app.add_option("--export-result", a.result,
                   "when it is done, write the result (.json .csv .md .html .txt, as "
                   "coreduel-cli run -o): what the window measured")
        ->type_name("FILE");
    app.add_option("--export-charts", a.charts,
                   "when it is done, write every chart with data into DIR (as Export › All "
                   "charts: one file per chart, named by chart and workload)")
        ->type_name("DIR");
    app.add_option("--export-format", a.chartFormat, "with --export-charts: png, svg or pdf")
        ->type_name("FORMAT")
        ->check(CLI::IsMember({"png", "svg", "pdf"}));
    app.add_option("--export-size", a.chartSize,
                   "with --export-charts: the picture's size in pixels (PNG; SVG and PDF at "
                   "144 dpi), e.g. 1366x768; default 1920x1080")
        ->type_name("WxH");
    app.add_option("--screenshot", a.screenshot, "when it is done, save the main window as PNG")
        ->type_name("FILE.png");
    app.add_option("--show", a.show,
                   "raise a chart first: cores, timeline, speedup, breakdown, resources, ipc, "
                   "table")
        ->type_name("CHART");
    app.add_option("--lesson", a.lesson,
                   "select a lesson (see coreduel-cli lesson) and run it at once")
        ->type_name("NAME");
    app.add_flag("--ipc-lab", a.ipcLab,
                 "run the IPC lab at once (round trips per transport and size, ~5 s); with FILE, "
                 "after it is open");
    app.add_flag("--quick", a.quick, "with --lesson: the reduced size");
    app.add_flag("--present", a.present,
                 "with --lesson: in presentation mode (the screenshot shows it)");
    app.add_option("--export-handout", a.handout,
                   "with --lesson: when it is done, write its one-page PDF")
        ->type_name("FILE");
    app.add_option("--baseline", a.baseline,
                   "a saved result or session drawn behind every chart and compared in the table")
        ->type_name("FILE");
    app.add_option("--timeline-run", a.timelineRun,
                   "show run N (counted from 1, as in the run list) on the timeline")
        ->type_name("N")
        ->check(CLI::PositiveNumber);
    app.add_option("--part", a.part,
                   "a lesson's session (FILE): show part N (from 1); with --export-report, "
                   "report that part only (else every part)")
        ->type_name("N")
        ->check(CLI::PositiveNumber);
    app.add_flag("--quit-when-done", a.quit,
                 "exit when the run and the exports are done (status 0 when every run "
                 "verified, 1 otherwise)");
    app.add_option("--theme", a.theme, "chart and window colours")
        ->type_name("THEME")
        ->check(CLI::IsMember({"light", "dark"}));
    app.add_flag("--headless", a.headless, "run the text demo even with a display");
    app.footer(
        "Without a display (no DISPLAY or WAYLAND_DISPLAY) and without --run it runs the text\n"
        "demo: primes and sleep under every model. For scripted runs see coreduel-cli.");
}

std::optional<std::pair<int, int>> chartSize(const std::string& text) {
    int w = 0, h = 0;
    char x = 0;
    std::istringstream in(text);
    if (!(in >> w >> x >> h) || (x != 'x' && x != 'X') || !in.eof()) return std::nullopt;
    if (w < 320 || h < 320 || w > 7680 || h > 7680) return std::nullopt;
    return std::pair{w, h};
}

std::string guiUsage() {
    CLI::App app;
    GuiArgs ignored;
    defineGuiOptions(app, ignored);
    return app.help();
}

std::string guiArgsProblem(const GuiArgs& a) {
    if (!a.lesson.empty() && !a.run.empty())
        return "--lesson and --run both choose the experiment: give one";
    if (a.ipcLab && (!a.lesson.empty() || !a.run.empty()))
        return "--ipc-lab runs on its own (or after FILE is open): not with --run or --lesson";
    if (a.part > 0 && a.open.empty()) return "--part picks a part of the session FILE: give one";
    if (!a.handout.empty() && a.lesson.empty()) return "--export-handout needs --lesson";
    for (const std::string& path : {a.report, a.result, a.screenshot, a.handout}) {
        if (path.empty()) continue;
        const auto dir = std::filesystem::absolute(path).parent_path();
        std::error_code ec;
        if (!std::filesystem::is_directory(dir, ec) || ::access(dir.c_str(), W_OK) != 0)
            return "cannot write " + path + ": folder " + dir.string() +
                   " is missing or not writable";
    }
    if (!a.charts.empty()) {
        std::error_code ec;
        if (!std::filesystem::is_directory(a.charts, ec) || ::access(a.charts.c_str(), W_OK) != 0)
            return "cannot write charts into " + a.charts + ": not a writable folder";
    }
    if (!chartSize(a.chartSize))
        return "--export-size takes WIDTHxHEIGHT in pixels, each 320 to 7680 (e.g. 1366x768), "
               "not '" +
               a.chartSize + "'";
    std::string ext = std::filesystem::path(a.report).extension().string();
    for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (!a.report.empty() && ext != ".pdf" && ext != ".html")
        return "--export-report takes a .pdf or .html file";
    return {};
}

}  // namespace coreduel::app
