#include "app/report_command.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <vector>

#include "app/program_run.h"
#include "core/report/formats.h"
#include "core/report/schema.h"
#include "core/session/chrome_trace.h"
#include "core/session/session.h"
#include "core/util/errors.h"
#include "core/util/install_paths.h"

namespace coreduel::app {

namespace {

bool endsWith(const std::string& s, const std::string& tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

/// The PDF and HTML reports are drawn by the window's renderer (Qt); coreduel-cli stays Qt-free and
/// lets the coreduel program next to it draw it offscreen, without a display.
int throughTheWindowProgram(const std::string& input, const std::string& output, std::size_t part) {
    const std::string gui =
        siblingProgram("coreduel", "a PDF report (.html, .md, .csv, .json and .txt do not)");
    std::vector<std::string> args = {gui, input, "--export-report", output, "--quit-when-done"};
    if (part > 0) {
        args.emplace_back("--part");
        args.push_back(std::to_string(part));
    }
    // Its chatter (Qt's platform notes, its own timings) is shown only if it fails.
    const ProgramRun run = runProgram(args, {"QT_QPA_PLATFORM=offscreen"});
    if (run.ok) {
        std::cerr << "wrote " << output << '\n';
        return 0;
    }
    std::cerr << run.stderrText << "coreduel-cli: the report was not written (coreduel " << run.how
              << ")\n";
    return 1;
}

}  // namespace

namespace {

/// Every line of a CSV with the part number in front (a header line gets "part").
std::string withPartColumn(const std::string& csv, std::size_t part, bool keepHeader) {
    std::string out;
    std::size_t pos = 0;
    bool header = true;
    while (pos < csv.size()) {
        const std::size_t end = std::min(csv.find('\n', pos), csv.size());
        const std::string line = csv.substr(pos, end - pos);
        if (!line.empty() && (!header || keepHeader))
            out += (header ? std::string("part") : std::to_string(part)) + "," + line + "\n";
        header = false;
        pos = end + 1;
    }
    return out;
}

/// A lesson's parts one after another, in a format that can hold several (.md .txt .csv).
std::string renderParts(const Session& s, const std::string& path) {
    const std::size_t n = s.parts.size();
    auto title = [&](std::size_t p) {
        const std::string& label = s.parts[p].label;
        return "Part " + std::to_string(p + 1) + " of " + std::to_string(s.plannedParts) +
               (label.empty() ? "" : ": " + label);
    };
    std::string out;
    if (endsWith(path, ".csv")) {
        for (std::size_t p = 0; p < n; ++p)
            out += withPartColumn(renderForFile(s.parts[p].result, path), p + 1, p == 0);
        return out;
    }
    const bool md = endsWith(path, ".md");
    const std::string lesson =
        s.lesson ? s.lesson->title : "a session of " + std::to_string(n) + " parts";
    out = md ? "# Lesson: " + lesson + "\n\n" : "== Lesson: " + lesson + " ==\n\n";
    for (std::size_t p = 0; p < n; ++p) {
        out += md ? "## " + title(p) + "\n\n" : "-- " + title(p) + " --\n";
        std::string body = renderForFile(s.parts[p].result, path);
        if (md) {
            // The part's own headings go two levels down, under "## Part N".
            for (std::size_t at = 0; at < body.size(); at = body.find('\n', at) + 1) {
                if (body[at] == '#') body.insert(at, "##");
                if (body.find('\n', at) == std::string::npos) break;
            }
        }
        out += body + "\n";
    }
    if (n < s.plannedParts)
        out += "(The lesson stopped after part " + std::to_string(n) + " of " +
               std::to_string(s.plannedParts) + ".)\n";
    if (!s.lessonOutcome.empty())
        out += (md ? "## What happened\n\n" : "What happened: ") + s.lessonOutcome + "\n";
    return out;
}

/// A damaged session's account on stderr, one line per damaged stretch (and the cut, if any):
/// never silent. True when the file is damaged, which the command's status says too.
bool warnAboutDamage(const Session& s) {
    for (const std::string& note : sessionLoadNotes(s))
        std::cerr << "coreduel-cli: " << (s.damaged() ? "warning: " : "note: ") << s.path << ": "
                  << note << '\n';
    if (s.damaged())
        std::cerr << "coreduel-cli: warning: " << s.path
                  << " is damaged: what survived is reported, what is listed above is lost\n";
    return s.damaged();
}

/// The damage in the report itself (.txt, .md), where a reader of the report sees it; formats
/// read by programs (.csv, .json) keep their shape, and the exit status tells.
std::string withDamage(std::string text, const Session& s, const std::string& path) {
    if (!s.damaged()) return text;
    const bool md = endsWith(path, ".md");
    if (!md && !endsWith(path, ".txt")) return text;
    std::string head = md ? "> **Damaged session**: " + std::to_string(s.damage.size()) +
                                " damaged stretch" + (s.damage.size() == 1 ? "" : "es") + " in " +
                                s.path + "; what was in them is lost.\n"
                          : "Damaged session: " + s.path + "\n";
    for (const SessionDamage& d : s.damage) head += (md ? ">\n> - " : "  - ") + d.text + "\n";
    return head + "\n" + text;
}

/// The window program draws it; a session is read here too, so its damage is told the same
/// way (the window shows it in the report's status).
int reportThroughWindow(const std::string& input, const std::string& output, std::size_t part) {
    const bool damaged = looksLikeSession(input) && warnAboutDamage(loadSession(input));
    const int status = throughTheWindowProgram(input, output, part);
    return status != 0 ? status : damaged ? 1 : 0;
}

}  // namespace

int reportCommand(const std::string& inputPath, const std::string& outputPath, std::size_t part) {
    const bool session = looksLikeSession(inputPath);
    if (part > 0 && !session)
        throw InvalidArgument("--part picks a part of a lesson's session; " + inputPath +
                              " is a result file");
    if (endsWith(outputPath, ".pdf")) return reportThroughWindow(inputPath, outputPath, part);
    // The HTML report is the window's, the same document as its File › Export report (charts
    // embedded: a session's drawn from its samples and events, a result file's from its
    // numbers), wherever the window program is installed next to this one; without it, the
    // text report as HTML, and a note saying so.
    if (endsWith(outputPath, ".html") || endsWith(outputPath, ".htm")) {
        const auto gui = std::filesystem::path(executableDirectory()) / "coreduel";
        if (std::filesystem::exists(gui)) return reportThroughWindow(inputPath, outputPath, part);
        std::cerr << "coreduel-cli: note: " << gui.string()
                  << " is missing: the HTML report has tables and text, no charts\n";
    }
    std::string text;
    bool damaged = false;
    if (session) {
        const Session s = loadSession(inputPath);
        if (part > s.parts.size())
            throw InvalidArgument("--part " + std::to_string(part) + ": " + inputPath + " has " +
                                  std::to_string(s.parts.size()) + " part" +
                                  (s.parts.size() == 1 ? "" : "s"));
        if (part > 0 || s.parts.size() == 1) {
            text = renderForFile(s.parts[part > 0 ? part - 1 : 0].result, outputPath);
        } else if (endsWith(outputPath, ".md") || endsWith(outputPath, ".txt") ||
                   endsWith(outputPath, ".csv")) {
            text = renderParts(s, outputPath);
        } else {
            renderForFile(ExperimentResult{}, outputPath);  // an unknown extension says so first
            throw InvalidArgument(inputPath + " holds " + std::to_string(s.parts.size()) +
                                  " parts and a " +
                                  std::filesystem::path(outputPath).extension().string() +
                                  " file holds one: pick it with --part N (or write .md, .txt, "
                                  ".csv or .pdf, which hold them all)");
        }
        damaged = warnAboutDamage(s);
        text = withDamage(std::move(text), s, outputPath);
    } else {
        text = renderForFile(loadResultFile(inputPath), outputPath);
    }
    writeFileAtomically(outputPath, text);
    std::cerr << "wrote " << outputPath << '\n';
    // Like a run that did not verify: the report is there, and scripts notice.
    return damaged ? 1 : 0;
}

int exportTraceCommand(const std::string& sessionPath, const std::string& outputPath) {
    const Session session = loadSession(sessionPath);
    const bool damaged = warnAboutDamage(session);
    // Written next to the target and renamed, so a failed export leaves no half trace behind.
    const std::string tmp = outputPath + ".tmp";
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throwSystemError("open " + tmp);
    const ChromeTraceStats stats = writeChromeTrace(session, out);
    out.close();
    if (!out) {
        std::remove(tmp.c_str());
        throwSystemError("write " + tmp);
    }
    std::filesystem::rename(tmp, outputPath);
    std::size_t runs = 0;
    for (const SessionPart& part : session.parts) runs += part.runs.size();
    std::cerr << "wrote " << outputPath << ": " << stats.slices << " slices, " << stats.counters
              << " counter samples, " << runs << " runs"
              << (session.parts.size() > 1
                      ? " in " + std::to_string(session.parts.size()) + " parts"
                      : std::string())
              << " (open it in ui.perfetto.dev, chrome://tracing or speedscope)\n";
    return damaged ? 1 : 0;
}

}  // namespace coreduel::app
