#pragma once
// Man pages (roff, man(7) macros) written from the definitions the programs parse with: a CLI11
// App for coreduel-cli and its subcommands, the --help text for coreduel and `profile`. Used by
// coreduel-docgen at build time, so a page cannot say what --help does not.

#include <CLI/CLI.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace coreduel::app {

/// Text made safe for roff: backslashes, minus signs, and a '.' or '\'' opening a line.
std::string roffEscape(std::string_view text);

struct ManPage {
    std::string name;  ///< "coreduel-cli-run": the page (and file) name
    std::string text;  ///< the roff source
};

/// coreduel-cli(1): the commands, the global options, environment, files and exit status.
/// `extraCommands` are (name, summary) of commands parsed outside CLI11 (profile).
ManPage cliOverviewPage(const CLI::App& app,
                        const std::vector<std::pair<std::string, std::string>>& extraCommands);

/// coreduel-cli-SUB(1) for one subcommand: synopsis, every option with its argument type and
/// default, and the examples of its footer.
ManPage subcommandPage(const CLI::App& sub, const std::string& program);
/// The page of a program whose whole command line is one CLI11 tree (coreduel, the window).
ManPage programPage(const CLI::App& app, const std::string& summary,
                    const std::vector<std::string>& seeAlsoPages);

/// A page from a --help text laid out as "usage: ..." lines, description lines, option lines
/// ("  --opt ARG   what it does", continued by deeper-indented lines) and "examples:".
ManPage pageFromUsage(const std::string& name, const std::string& summary, const std::string& usage,
                      const std::vector<std::string>& seeAlso);

}  // namespace coreduel::app
