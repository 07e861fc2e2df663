#include "app/man_page.h"

#include <algorithm>
#include <cctype>
#include <regex>
#include <sstream>

#include "core/util/version.h"

namespace coreduel::app {

namespace {

std::string upper(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return s;
}

std::string header(const std::string& name) {
    // No date: the page is the same for the same version (reproducible builds).
    return ".TH \"" + upper(roffEscape(name)) + "\" \"1\" \"\" \"CoreDuel " +
           std::string(versionNumber()) + "\" \"User Commands\"\n";
}

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);) out.push_back(l);
    return out;
}

std::string trimmed(std::string s) {
    s.erase(0, s.find_first_not_of(' '));
    s.erase(s.find_last_not_of(' ') + 1);
    return s;
}

/// Verbatim lines (examples, synopses typed as text), kept unfilled and unadjusted.
std::string verbatim(const std::vector<std::string>& block) {
    std::string out = ".nf\n";
    for (const auto& l : block) out += roffEscape(l) + "\n";
    return out + ".fi\n";
}

/// A CLI11 footer: prose first (notes, exit status), then "example(s):" and the examples.
std::string footerSections(const std::string& footer) {
    std::vector<std::string> prose, examples;
    bool inExamples = false;
    for (const auto& l : lines(footer)) {
        if (!inExamples && l.rfind("example", 0) == 0) {
            inExamples = true;
            continue;
        }
        (inExamples ? examples : prose).push_back(inExamples ? l : trimmed(l));
    }
    std::string out;
    if (!prose.empty()) {
        out += ".SH NOTES\n";
        for (const auto& l : prose) out += roffEscape(l) + "\n";
    }
    if (!examples.empty()) out += ".SH EXAMPLES\n" + verbatim(examples);
    return out;
}

std::string seeAlso(const std::vector<std::string>& pages) {
    std::string out = ".SH SEE ALSO\n";
    for (std::size_t i = 0; i < pages.size(); ++i)
        out += ".BR " + roffEscape(pages[i]) + " (1)" + (i + 1 < pages.size() ? "," : "") + "\n";
    return out;
}

std::string optionNames(const CLI::Option& o) {
    std::string s;
    for (const auto& n : o.get_snames()) s += (s.empty() ? "" : ", ") + ("-" + n);
    for (const auto& n : o.get_lnames()) s += (s.empty() ? "" : ", ") + ("--" + n);
    return s;
}

std::string optionItem(const CLI::Option& o) {
    std::string out = ".TP\n";
    if (o.get_positional()) {
        out += "\\fI" + roffEscape(upper(o.get_name(true))) + "\\fR\n";
    } else {
        out += "\\fB" + roffEscape(optionNames(o)) + "\\fR";
        if (o.get_type_size() != 0) out += " \\fI" + roffEscape(o.get_type_name()) + "\\fR";
        out += "\n";
    }
    std::string what = o.get_description();
    if (o.get_required()) what += " (required)";
    if (!o.get_default_str().empty()) what += " (default: " + o.get_default_str() + ")";
    return out + roffEscape(what) + "\n";
}

}  // namespace

std::string roffEscape(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (c == '\\')
            out += "\\e";
        else if (c == '-')
            out += "\\-";
        else
            out += c;
    }
    // A line that starts with '.' or '\'' would be read as a request.
    std::string safe;
    bool lineStart = true;
    for (char c : out) {
        if (lineStart && (c == '.' || c == '\'')) safe += "\\&";
        safe += c;
        lineStart = c == '\n';
    }
    return safe;
}

ManPage cliOverviewPage(const CLI::App& app,
                        const std::vector<std::pair<std::string, std::string>>& extraCommands) {
    const std::string program = app.get_name().empty() ? "coreduel-cli" : app.get_name();
    std::string t = header(program);
    t += ".SH NAME\n" + roffEscape(program) +
         " \\- measure the same workload as sequential code, threads, GIL-threads and processes\n";
    t += ".SH SYNOPSIS\n.B " + roffEscape(program) +
         "\n\\fICOMMAND\\fR [\\fIOPTIONS\\fR]\n.br\n.B " + roffEscape(program) +
         "\n\\-\\-help | \\-\\-version\n";
    t += ".SH DESCRIPTION\n" + roffEscape(app.get_description()) + "\n";
    t += ".PP\nEach command has its own page, and prints its options with \\fB\\-\\-help\\fR.\n";
    t += ".SH COMMANDS\n";
    std::vector<std::string> pages;
    auto& mutableApp = const_cast<CLI::App&>(app);  // get_subcommands(filter) is not const
    for (const CLI::App* sub : mutableApp.get_subcommands([](CLI::App*) { return true; })) {
        t += ".TP\n\\fB" + roffEscape(sub->get_name()) + "\\fR\n" +
             roffEscape(sub->get_description()) + " (see \\fB" + roffEscape(program) + "\\-" +
             roffEscape(sub->get_name()) + "\\fR(1))\n";
        pages.push_back(program + "-" + sub->get_name());
    }
    for (const auto& [name, summary] : extraCommands) {
        t += ".TP\n\\fB" + roffEscape(name) + "\\fR\n" + roffEscape(summary) + " (see \\fB" +
             roffEscape(program) + "\\-" + roffEscape(name) + "\\fR(1))\n";
        pages.push_back(program + "-" + name);
    }
    t += ".SH OPTIONS\n";
    for (const CLI::Option* o : app.get_options()) t += optionItem(*o);
    t += ".SH ENVIRONMENT\n"
         ".TP\n\\fBCOREDUEL_WORKER\\fR\nthe worker program to start (default: "
         "coreduel\\-worker next to this program, or in ../libexec/coreduel)\n"
         ".TP\n\\fBCOREDUEL_DATA_DIR\\fR\nthe folder with lessons/ and examples/ (default: "
         "../share/coreduel next to this program)\n"
         ".TP\n\\fBCOREDUEL_LESSONS\\fR\nthe lessons folder alone\n";
    t += ".SH EXIT STATUS\n"
         ".TP\n\\fB0\\fR\nevery run finished and verified\n"
         ".TP\n\\fB1\\fR\na run failed or its result was wrong, a goal was missed (bench), or a "
         "session read was damaged (report, export\\-trace: what survived was written)\n"
         ".TP\n\\fB2\\fR\nbad usage or a file that cannot be read or written; nothing ran\n"
         ".TP\n\\fB130\\fR\nstopped by Ctrl\\-C; what finished was kept\n";
    pages.insert(pages.begin(), "coreduel");
    t += seeAlso(pages);
    return {program, t};
}

namespace {

/// A page for one CLI11 tree: `invocation` is what the synopsis starts with ("coreduel-cli
/// run", "coreduel"), then its options and positionals, each option described.
ManPage treePage(const CLI::App& app, const std::string& name, const std::string& invocation,
                 const std::string& summary, const std::string& description,
                 const std::vector<std::string>& seeAlsoPages) {
    std::string t = header(name);
    t += ".SH NAME\n" + roffEscape(name) + " \\- " + roffEscape(summary) + "\n";
    t += ".SH SYNOPSIS\n.B " + roffEscape(invocation) + "\n";
    bool hasOptions = false;
    std::string positionals;
    for (const CLI::Option* o : app.get_options()) {
        if (o->get_positional()) {
            const std::string p = "\\fI" + roffEscape(upper(o->get_name(true))) + "\\fR";
            positionals += " " + (o->get_required() ? p : "[" + p + "]");
        } else {
            hasOptions = true;
        }
    }
    t += std::string(hasOptions ? "[\\fIOPTIONS\\fR]" : "") + positionals + "\n";
    t += ".SH DESCRIPTION\n" + roffEscape(description) + "\n";
    t += ".SH OPTIONS\n";
    for (const CLI::Option* o : app.get_options()) t += optionItem(*o);
    t += footerSections(app.get_footer());
    t += seeAlso(seeAlsoPages);
    return {name, t};
}

}  // namespace

ManPage subcommandPage(const CLI::App& sub, const std::string& program) {
    return treePage(sub, program + "-" + sub.get_name(), program + " " + sub.get_name(),
                    sub.get_description(), sub.get_description() + ".", {program, "coreduel"});
}

ManPage programPage(const CLI::App& app, const std::string& summary,
                    const std::vector<std::string>& seeAlsoPages) {
    return treePage(app, app.get_name(), app.get_name(), summary, app.get_description(),
                    seeAlsoPages);
}

ManPage pageFromUsage(const std::string& name, const std::string& summary, const std::string& usage,
                      const std::vector<std::string>& seeAlsoPages) {
    static const std::regex option(R"(^  (-\S.*?)\s{2,}(\S.*)$)");
    static const std::regex continuation(R"(^\s{10,}(\S.*)$)");
    std::vector<std::string> synopsis, description, notes, examples;
    std::vector<std::pair<std::string, std::string>> options;
    enum { Synopsis, Text, Options, Examples } where = Text;
    for (const auto& l : lines(usage)) {
        std::smatch m;
        if (l.rfind("usage: ", 0) == 0) {
            synopsis.push_back(l.substr(7));
            where = Synopsis;
        } else if (where == Synopsis && !l.empty() && l[0] == ' ') {
            synopsis.push_back(trimmed(l));
        } else if (l.rfind("example", 0) == 0 && l.back() == ':') {
            where = Examples;
        } else if (where == Examples) {
            examples.push_back(l);
        } else if (l == "options:") {
            where = Options;
        } else if (std::regex_match(l, m, option)) {
            options.emplace_back(m[1], m[2]);
            where = Options;
        } else if (where == Options && !options.empty() && std::regex_match(l, m, continuation)) {
            options.back().second += " " + m[1].str();
        } else {
            (where == Options ? notes : description).push_back(trimmed(l));
            if (where == Synopsis) where = Text;
        }
    }
    std::string t = header(name);
    t += ".SH NAME\n" + roffEscape(name) + " \\- " + roffEscape(summary) + "\n";
    t += ".SH SYNOPSIS\n" + verbatim(synopsis);
    t += ".SH DESCRIPTION\n";
    for (const auto& l : description) t += roffEscape(l) + "\n";
    if (!options.empty()) {
        t += ".SH OPTIONS\n";
        for (const auto& [names, what] : options) {
            // "-r, --repetitions N": the flags bold, their argument italic.
            std::string item;
            std::istringstream words(names);
            for (std::string w; words >> w;)
                item += (item.empty() ? "" : " ") + std::string(w[0] == '-' ? "\\fB" : "\\fI") +
                        roffEscape(w) + "\\fR";
            t += ".TP\n" + item + "\n" + roffEscape(what) + "\n";
        }
    }
    if (!notes.empty()) {
        t += ".SH NOTES\n";
        for (const auto& l : notes) t += roffEscape(l) + "\n";
    }
    if (!examples.empty()) t += ".SH EXAMPLES\n" + verbatim(examples);
    t += seeAlso(seeAlsoPages);
    return {name, t};
}

}  // namespace coreduel::app
