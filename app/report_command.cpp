#include "app/report_command.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <vector>

#include "core/report/formats.h"
#include "core/report/schema.h"
#include "core/session/chrome_trace.h"
#include "core/session/session.h"
#include "core/util/errors.h"
#include "core/util/install_paths.h"

extern char** environ;

namespace coreduel::app {

namespace {

bool endsWith(const std::string& s, const std::string& tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

/// The PDF and HTML reports are drawn by the window's renderer (Qt); coreduel-cli stays Qt-free and
/// lets the coreduel program next to it draw it offscreen, without a display.
int throughTheWindowProgram(const std::string& input, const std::string& output) {
    const std::string gui = (std::filesystem::path(executableDirectory()) / "coreduel").string();
    if (!std::filesystem::exists(gui))
        throw InvalidArgument("a PDF report needs the coreduel program next to coreduel-cli (" +
                              gui + " is missing); .html, .md, .csv, .json and .txt do not");
    std::vector<std::string> args = {gui, input, "--export-report", output, "--quit-when-done"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<std::string> env = {"QT_QPA_PLATFORM=offscreen"};
    for (char** e = environ; *e != nullptr; ++e)
        if (std::string(*e).rfind("QT_QPA_PLATFORM=", 0) != 0) env.emplace_back(*e);
    std::vector<char*> envp;
    for (auto& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
    // Its chatter (Qt's platform notes, its own timings) is shown only if it fails.
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> log(std::tmpfile(), &std::fclose);
    if (!log) throwSystemError("tmpfile");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, ::fileno(log.get()), 2);
    pid_t pid = -1;
    const int rc = ::posix_spawn(&pid, gui.c_str(), &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throwSystemError("posix_spawn " + gui, rc);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) throwSystemError("waitpid " + gui);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        std::cerr << "wrote " << output << '\n';
        return 0;
    }
    std::rewind(log.get());
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, log.get())) > 0;)
        std::cerr.write(buf, static_cast<std::streamsize>(n));
    std::cerr << "coreduel-cli: the report was not written (coreduel "
              << (WIFEXITED(status) ? "exited with " + std::to_string(WEXITSTATUS(status))
                                    : "was killed by signal " + std::to_string(WTERMSIG(status)))
              << ")\n";
    return 1;
}

}  // namespace

int reportCommand(const std::string& inputPath, const std::string& outputPath) {
    if (endsWith(outputPath, ".pdf")) return throughTheWindowProgram(inputPath, outputPath);
    // A session's HTML report is the window's (its charts embedded, drawn from the session's
    // samples and events) wherever the window program is installed next to this one; without
    // it, the text report as HTML, and a note saying so. A result file has no charts' data.
    if ((endsWith(outputPath, ".html") || endsWith(outputPath, ".htm")) &&
        looksLikeSession(inputPath)) {
        const auto gui = std::filesystem::path(executableDirectory()) / "coreduel";
        if (std::filesystem::exists(gui)) return throughTheWindowProgram(inputPath, outputPath);
        std::cerr << "coreduel-cli: note: " << gui.string()
                  << " is missing: the HTML report has tables and text, no charts\n";
    }
    const auto result =
        looksLikeSession(inputPath) ? loadSession(inputPath).result : loadResultFile(inputPath);
    writeFileAtomically(outputPath, renderForFile(result, outputPath));
    std::cerr << "wrote " << outputPath << '\n';
    return 0;
}

int exportTraceCommand(const std::string& sessionPath, const std::string& outputPath) {
    const Session session = loadSession(sessionPath);
    if (!session.truncation.empty())
        std::cerr << "coreduel-cli: note: " << session.truncation << '\n';
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
    std::cerr << "wrote " << outputPath << ": " << stats.slices << " slices, " << stats.counters
              << " counter samples, " << session.runs.size()
              << " runs (open it in ui.perfetto.dev, chrome://tracing or speedscope)\n";
    return 0;
}

}  // namespace coreduel::app
