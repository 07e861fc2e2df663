#include "app/program_run.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "core/util/errors.h"
#include "core/util/install_paths.h"
#include "core/util/sys.h"

extern char** environ;

namespace coreduel::app {

ProgramRun runProgram(const std::vector<std::string>& args,
                      const std::vector<std::string>& setEnv) {
    std::vector<std::string> env = setEnv;
    for (char** e = environ; *e != nullptr; ++e) {
        const std::string entry(*e);
        bool replaced = false;
        for (const std::string& s : setEnv)
            replaced = replaced || entry.rfind(s.substr(0, s.find('=') + 1), 0) == 0;
        if (!replaced) env.push_back(entry);
    }
    std::vector<char*> argv, envp;
    std::vector<std::string> a = args;
    for (auto& s : a) argv.push_back(s.data());
    argv.push_back(nullptr);
    for (auto& s : env) envp.push_back(s.data());
    envp.push_back(nullptr);
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> log(std::tmpfile(), &std::fclose);
    if (!log) throwSystemError("tmpfile");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, ::fileno(log.get()), 2);
    pid_t pid = -1;
    const int rc =
        ::posix_spawn(&pid, a.front().c_str(), &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throwSystemError("posix_spawn " + a.front(), rc);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) throwSystemError("waitpid " + a.front());
    ProgramRun out;
    out.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    out.how = WIFEXITED(status) ? "exited with " + std::to_string(WEXITSTATUS(status))
                                : "was killed by signal " + std::to_string(WTERMSIG(status));
    std::rewind(log.get());
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, log.get())) > 0;)
        out.stderrText.append(buf, n);
    return out;
}

std::string siblingProgram(const std::string& name, const std::string& why) {
    const std::string path = (std::filesystem::path(executableDirectory()) / name).string();
    if (!std::filesystem::exists(path))
        throw InvalidArgument(why + " needs the " + name + " program next to coreduel-cli (" +
                              path + " is missing)");
    return path;
}

}  // namespace coreduel::app
