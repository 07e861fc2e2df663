// The native workload from the command line: a bad library is bad input (exit status 2, one
// line naming it), a task the kernel fails is a failed run (exit status 1), `list` shows it.

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

#include "helpers/cli_run.h"

namespace {

using Outcome = coreduel::test::CliOutcome;

Outcome cli(const std::string& args) {
    return coreduel::test::runCli(args);
}

}  // namespace

TEST(NativeCli, ABadLibraryExitsWithTwoInOneLineNamingIt) {
    for (const std::string& lib :
         {std::string("/nonexistent/libmine.so"), std::string(TEST_KERNEL_NOCOMPUTE_PATH),
          std::string(TEST_KERNEL_ABI99_PATH)}) {
        const auto o = cli("run -w native -p library=" + lib + " -n 1 -q");
        EXPECT_EQ(o.exitCode, 2) << o.out;
        EXPECT_EQ(o.out.rfind("coreduel-cli: native: '" + lib + "'", 0), 0u) << o.out;
        EXPECT_EQ(o.out.find('\n'), o.out.size() - 1) << o.out;
    }
    const auto o = cli("run -w native -p library=" SUM_KERNEL_PATH " -p task=3 -n 1 -q");
    EXPECT_EQ(o.exitCode, 2) << o.out;
    EXPECT_NE(o.out.find("sumkernel: unknown parameter 'task' (allowed: tasks, steps)"),
              std::string::npos)
        << o.out;
}

TEST(NativeCli, AKernelErrorInATaskExitsWithOne) {
    const auto o =
        cli("run -w native -p library=" TEST_KERNEL_PATH " -p fail_task=3 -m threads -n 2 -q");
    EXPECT_EQ(o.exitCode, 1) << o.out;
    EXPECT_NE(o.out.find("task 3 failed on purpose"), std::string::npos) << o.out;
}

TEST(NativeCli, ListShowsTheNativeWorkloadAndItsLibraryParameter) {
    const auto o = cli("list");
    EXPECT_EQ(o.exitCode, 0);
    EXPECT_NE(o.out.find("native (cpu-bound)"), std::string::npos) << o.out;
    EXPECT_NE(o.out.find("library = \"\"  (path)"), std::string::npos) << o.out;
}
