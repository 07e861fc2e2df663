#include "app/bash_completion.h"

#include <regex>
#include <sstream>

namespace coreduel::app {

namespace {

std::string joined(const std::vector<std::string>& words) {
    std::string s;
    for (const auto& w : words) s += (s.empty() ? "" : " ") + w;
    return s;
}

std::vector<std::string> namesOf(const CLI::Option& o) {
    std::vector<std::string> names;
    for (const auto& n : o.get_snames()) names.push_back("-" + n);
    for (const auto& n : o.get_lnames()) names.push_back("--" + n);
    return names;
}

/// `case "$sub $prev" in` patterns: "run -w"|"run --workload"
std::string pattern(const std::string& sub, const std::vector<std::string>& names) {
    std::string p;
    for (const auto& n : names) p += (p.empty() ? "" : "|") + ("\"" + sub + " " + n + "\"");
    return p;
}

constexpr const char* kHelpers = R"(# Offers the words of $1 for the current word.
_coreduel_words() {
    local IFS=$' \t\n'
    COMPREPLY=($(compgen -W "$1" -- "$cur"))
}

# Completes the last item of a comma-separated list ("threads,gil-t" -> "threads,gil-threads").
_coreduel_list() {
    local IFS=$' \t\n' prefix= last=$cur
    if [[ $cur == *,* ]]; then
        prefix=${cur%,*},
        last=${cur##*,}
    fi
    COMPREPLY=($(compgen -P "$prefix" -W "$1" -- "$last"))
    compopt -o nospace 2>/dev/null
}

_coreduel_files() {
    local IFS=$'\n'
    COMPREPLY=($(compgen -f -- "$cur"))
    compopt -o filenames 2>/dev/null
}
)";

}  // namespace

std::vector<std::string> optionsInUsage(const std::string& usage) {
    static const std::regex line(R"(^  (-\S.*?)(\s{2,}\S.*)?$)");
    static const std::regex word(R"(--?[A-Za-z][-A-Za-z0-9]*)");
    std::vector<std::string> out;
    std::istringstream in(usage);
    for (std::string l; std::getline(in, l);) {
        std::smatch m;
        if (!std::regex_match(l, m, line)) continue;
        const std::string names = m[1];
        for (auto it = std::sregex_iterator(names.begin(), names.end(), word);
             it != std::sregex_iterator(); ++it)
            out.push_back(it->str());
    }
    return out;
}

std::string cliCompletion(const CLI::App& app, const CompletionValues& values,
                          const std::vector<HandParsedCommand>& extra) {
    const std::string program = app.get_name().empty() ? "coreduel-cli" : app.get_name();
    auto& walkable = const_cast<CLI::App&>(app);  // get_subcommands(filter) is not const
    const auto subs = walkable.get_subcommands([](CLI::App*) { return true; });

    std::vector<std::string> commands;
    for (const CLI::App* s : subs) commands.push_back(s->get_name());
    for (const auto& e : extra) commands.push_back(e.name);
    std::vector<std::string> top = commands;
    for (const CLI::Option* o : app.get_options())
        for (const auto& n : namesOf(*o)) top.push_back(n);

    std::string cmdCase;
    for (const auto& c : commands) cmdCase += (cmdCase.empty() ? "" : "|") + c;

    std::string valueCases, optionLists, positionalCases;
    for (const CLI::App* s : subs) {
        const std::string sub = s->get_name();
        std::vector<std::string> opts;
        for (const CLI::Option* o : s->get_options()) {
            if (o->get_positional()) continue;
            const auto names = namesOf(*o);
            opts.insert(opts.end(), names.begin(), names.end());
            if (o->get_type_size() == 0) continue;  // a flag takes no value
            const std::string lname = names.back();
            std::string action = "return ;;  # a value with nothing to offer";
            if (auto w = values.optionWords.find(lname); w != values.optionWords.end())
                action = std::string(values.commaLists.count(lname) ? "_coreduel_list"
                                                                    : "_coreduel_words") +
                         " \"" + joined(w->second) + "\"; return ;;";
            else if (values.pathOptions.count(lname))
                action = "_coreduel_files; return ;;";
            valueCases += "        " + pattern(sub, names) + ")\n            " + action + "\n";
        }
        optionLists += "            " + sub + ") opts=\"" + joined(opts) + "\" ;;\n";
        if (auto w = values.positionalWords.find(sub); w != values.positionalWords.end())
            positionalCases +=
                "        " + sub + ") _coreduel_words \"" + joined(w->second) + "\" ;;\n";
        else if (values.pathPositionals.count(sub))
            positionalCases += "        " + sub + ") _coreduel_files ;;\n";
    }
    std::string extraCases;
    for (const auto& e : extra) {
        extraCases += "        " + e.name + ")\n";
        if (e.commandAfterDashes)
            extraCases +=
                "            for ((i = 2; i < COMP_CWORD; i++)); do\n"
                "                if [[ ${COMP_WORDS[i]} == -- ]]; then\n"
                "                    # after \"--\": a command line of its own\n"
                "                    if ((i == COMP_CWORD - 1)); then\n"
                "                        local IFS=$'\\n'\n"
                "                        COMPREPLY=($(compgen -c -- \"$cur\"))\n"
                "                    else\n"
                "                        _coreduel_files\n"
                "                    fi\n"
                "                    return\n"
                "                fi\n"
                "            done\n";
        extraCases += "            _coreduel_words \"" + joined(e.options) +
                      (e.commandAfterDashes ? " --" : "") + "\"\n            return ;;\n";
    }

    std::string t = "# bash completion for " + program +
                    "\n# Generated by coreduel-docgen from the definitions " + program +
                    " parses with: do not edit.\n\n";
    t += kHelpers;
    t += "\n_coreduel_cli() {\n"
         "    local cur=${COMP_WORDS[COMP_CWORD]} prev= sub= opts= i\n"
         "    ((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}\n"
         "    for ((i = 1; i < COMP_CWORD; i++)); do\n"
         "        case ${COMP_WORDS[i]} in\n"
         "            " +
         cmdCase +
         ") sub=${COMP_WORDS[i]}; break ;;\n"
         "        esac\n"
         "    done\n"
         "    case $sub in\n"
         "        \"\")\n"
         "            _coreduel_words \"" +
         joined(top) +
         "\"\n"
         "            return ;;\n" +
         extraCases +
         "    esac\n"
         "    case \"$sub $prev\" in\n" +
         valueCases +
         "    esac\n"
         "    if [[ $cur == -* ]]; then\n"
         "        case $sub in\n" +
         optionLists +
         "        esac\n"
         "        _coreduel_words \"$opts --help\"\n"
         "        return\n"
         "    fi\n"
         "    case $sub in\n" +
         positionalCases +
         "    esac\n"
         "}\n"
         "complete -F _coreduel_cli " +
         program + "\n";
    return t;
}

std::vector<std::string> optionNamesOf(const CLI::App& app) {
    std::vector<std::string> names;
    for (const CLI::Option* o : app.get_options()) {
        for (const auto& n : o->get_snames()) names.push_back("-" + n);
        for (const auto& n : o->get_lnames()) names.push_back("--" + n);
    }
    return names;
}

std::string guiCompletion(const std::string& program, const std::vector<std::string>& options,
                          const std::map<std::string, std::vector<std::string>>& optionWords) {
    std::string valueCases;
    for (const auto& [option, words] : optionWords)
        valueCases +=
            "        " + option + ") _coreduel_words \"" + joined(words) + "\"; return ;;\n";
    std::string t = "# bash completion for " + program +
                    "\n# Generated by coreduel-docgen from the definitions " + program +
                    " parses with: do not edit.\n\n";
    t += kHelpers;
    t += "\n_coreduel_gui() {\n"
         "    local cur=${COMP_WORDS[COMP_CWORD]} prev=\n"
         "    ((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}\n"
         "    case $prev in\n" +
         valueCases +
         "        --timeline-run) return ;;\n"
         "    esac\n"
         "    if [[ $cur == -* ]]; then\n"
         "        _coreduel_words \"" +
         joined(options) +
         "\"\n"
         "        return\n"
         "    fi\n"
         "    _coreduel_files\n"
         "}\n"
         "complete -F _coreduel_gui " +
         program + "\n";
    return t;
}

}  // namespace coreduel::app
