// `coreduel-cli list` finds the interpreters: python3 on PATH with its version and a GIL, and
// a free-threaded one (from COREDUEL_FREE_THREADED_PYTHON, PATH or the bootstrap cache) as a
// free-threaded build whose GIL is off; the text names both with their GIL state.

#include <gtest/gtest.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "tests/helpers/cli_run.h"
#include "tests/helpers/free_threaded.h"

using coreduel::test::runCli;

TEST(CliInterpreters, ListNamesEachInterpreterWithVersionAndGilState) {
    COREDUEL_FREE_THREADED_OR_SKIP(ft);
    ::setenv("COREDUEL_FREE_THREADED_PYTHON", ft.c_str(), 1);
    const auto json = runCli("list --json");
    ASSERT_EQ(json.exitCode, 0) << json.out;
    const auto j = nlohmann::json::parse(json.out);
    bool gilBuild = false, freeThreaded = false;
    for (const auto& i : j.at("interpreters")) {
        if (i.contains("error")) continue;
        EXPECT_FALSE(i.at("version").get<std::string>().empty()) << i.dump();
        if (!i.at("free_threaded_build").get<bool>() && i.at("gil_enabled") == true)
            gilBuild = true;
        if (i.at("path") == ft) {
            freeThreaded = true;
            EXPECT_TRUE(i.at("free_threaded_build").get<bool>()) << i.dump();
            EXPECT_EQ(i.at("gil_enabled"), false) << i.dump();
            EXPECT_EQ(i.at("version").get<std::string>().rfind("3.1", 0), 0u) << i.dump();
        }
    }
    EXPECT_TRUE(gilBuild) << "python3 (a GIL build) was not listed\n" << json.out;
    EXPECT_TRUE(freeThreaded) << ft << " was not listed\n" << json.out;
    const auto text = runCli("list");
    ASSERT_EQ(text.exitCode, 0) << text.out;
    EXPECT_NE(text.out.find(ft + "  "), std::string::npos) << text.out;
    EXPECT_NE(text.out.find("free-threaded build, GIL disabled"), std::string::npos) << text.out;
    EXPECT_NE(text.out.find("GIL build, GIL enabled"), std::string::npos) << text.out;
}
