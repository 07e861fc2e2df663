// `coreduel-cli ipc --json`: the default measures each row on one CPU and across two, and says
// which row is which (schema coreduel.ipc/3), so that a script can compare runs row by row.

#include <gtest/gtest.h>
#include <sched.h>

#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "helpers/cli_run.h"

namespace {

TEST(IpcCli, TheJsonHasARowPerPlacement) {
    const auto r = coreduel::test::runCli(
        "ipc --json --transports pipe,spin --sizes 8,64 --seconds-per-point 0.01 --rounds 2 "
        "--seed 5");
    ASSERT_EQ(r.exitCode, 0) << r.out;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j.at("schema"), "coreduel.ipc/3");
    EXPECT_EQ(j.at("placement"), "both");
    cpu_set_t allowed;
    ASSERT_EQ(::sched_getaffinity(0, sizeof allowed, &allowed), 0);
    const bool two = CPU_COUNT(&allowed) >= 2;
    std::set<std::string> rows;
    for (const auto& row : j.at("results")) {
        const std::string where = row.at("placement");
        EXPECT_TRUE(where == "same" || where == "split") << where;
        EXPECT_FALSE(row.at("placement_label").get<std::string>().empty());
        if (row.at("mechanism") == "spin") EXPECT_EQ(where, "split") << "no spin on one CPU";
        rows.insert(row.at("mechanism").get<std::string>() + " " + where + " " +
                    std::to_string(row.at("bytes").get<int>()));
    }
    EXPECT_EQ(rows.size(), j.at("results").size()) << "one row per mechanism, placement, size";
    EXPECT_EQ(rows.size(), two ? 6u : 2u);
    EXPECT_TRUE(rows.count("pipe same 8"));
    if (two) EXPECT_TRUE(rows.count("pipe split 8"));
}

TEST(IpcCli, AnUnknownPlacementIsRefused) {
    const auto r = coreduel::test::runCli("ipc --placement elsewhere");
    EXPECT_NE(r.exitCode, 0);
    EXPECT_NE(r.out.find("placement"), std::string::npos) << r.out;
}

}  // namespace
