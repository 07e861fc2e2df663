#pragma once
// The window's command line (coreduel), defined once as a CLI11 tree: the parser, --help, the
// man page and the bash completion all come from it. Qt-free, so coreduel-docgen reads it too.

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <utility>

namespace coreduel::app {

struct GuiArgs {
    std::string open;  ///< an experiment, result or session file to open
    std::string run, report, result, screenshot, show, theme, lesson, handout, baseline;
    std::string charts;                   ///< --export-charts DIR
    std::string chartFormat = "png";      ///< --export-format
    std::string chartSize = "1920x1080";  ///< --export-size WIDTHxHEIGHT
    bool quick = false;
    bool present = false;
    bool quit = false;
    bool headless = false;
    bool ipcLab = false;  ///< --ipc-lab
    int timelineRun = 0;  ///< --timeline-run N (from 1); 0: not given
    int part = 0;         ///< --part N (from 1); 0: not given
};

/// The window's options on `app` (its name, description and footer too), filling `args`.
void defineGuiOptions(CLI::App& app, GuiArgs& args);

/// "1366x768" as pixels; nullopt unless WIDTHxHEIGHT, each 320 to 7680.
std::optional<std::pair<int, int>> chartSize(const std::string& text);

/// What coreduel --help prints: the tree's own help.
std::string guiUsage();

/// The checks between options that CLI11 cannot express ("--part needs FILE", writable
/// folders, report formats): the first problem as one line, or empty.
std::string guiArgsProblem(const GuiArgs& args);

}  // namespace coreduel::app
