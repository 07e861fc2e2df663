#pragma once
// Bash completion scripts written from the definitions the programs parse with. Debian's CLI11
// (2.1) has no completion generator, so this walks the App: its subcommands, their options,
// which options take a value; the values themselves (workloads, models, lessons) come from the
// engine's own tables and are passed in.

#include <CLI/CLI.hpp>

#include <map>
#include <set>
#include <string>
#include <vector>

namespace coreduel::app {

struct CompletionValues {
    /// Option name ("--workload") -> the words it takes.
    std::map<std::string, std::vector<std::string>> optionWords;
    /// Options whose value is a comma-separated list of those words ("--models").
    std::set<std::string> commaLists;
    /// Options that take a path ("--file", "--output").
    std::set<std::string> pathOptions;
    /// Subcommand -> the words its positional argument takes ("lesson" -> lesson names).
    std::map<std::string, std::vector<std::string>> positionalWords;
    /// Subcommands whose positional arguments are paths ("compare", "report").
    std::set<std::string> pathPositionals;
};

/// A command parsed outside CLI11 (profile): its options, and whether a command line follows "--".
struct HandParsedCommand {
    std::string name;
    std::vector<std::string> options;
    bool commandAfterDashes = false;
};

/// The script for coreduel-cli: `complete -F _coreduel_cli coreduel-cli`.
std::string cliCompletion(const CLI::App& app, const CompletionValues& values,
                          const std::vector<HandParsedCommand>& extra);

/// The script for the window program: its options (from its --help text) and files.
std::string guiCompletion(const std::string& program, const std::vector<std::string>& options,
                          const std::map<std::string, std::vector<std::string>>& optionWords);

/// Every "-x" / "--long" word on the option lines ("  --opt ARG   what") of a --help text.
std::vector<std::string> optionsInUsage(const std::string& usage);
/// Every option name of a CLI11 tree ("-h", "--help", "--run", ...), as it defines them.
std::vector<std::string> optionNamesOf(const CLI::App& app);

}  // namespace coreduel::app
