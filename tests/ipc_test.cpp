// Every transport carries what it is given, the empty message and 4 MiB alike, there and back
// through a real echo process (the IPC lab compares every byte of the echo).

#include <gtest/gtest.h>

#include <filesystem>

#include "core/measure/ipc_lab.h"
#include "core/workloads/params.h"
#include "test_support.h"

using namespace coreduel;

TEST(Transports, RoundTripEmptyAndLargeMessages) {
    IpcLabOptions o;
    o.mechanisms = {"pipe", "unix", "mqueue", "shm", "thread-queue"};
    o.sizes = {0, 1, 8191, 8193, 4 << 20};  // around the message-queue fragment size, and 4 MiB
    o.secondsPerPoint = 0.001;
    o.minRoundTrips = 2;
    o.maxRoundTrips = 3;
    const auto shmBefore = coreduel::test::shmEntries();
    const auto fds = countOpenFds();
    const auto results = runIpcLab(o, {});
    ASSERT_EQ(results.size(), plannedIpcRows(o));  // a row per placement (both by default)
    for (const auto& r : results) {
        EXPECT_GE(r.roundTrips, 2u) << r.mechanism << " " << r.bytes;
        EXPECT_GT(r.p50Us, 0.0) << r.mechanism << " " << r.bytes;
    }
    EXPECT_EQ(countOpenFds(), fds);
    EXPECT_EQ(coreduel::test::shmEntries(), shmBefore);
    EXPECT_TRUE(coreduel::test::childPids().empty());
}

TEST(Transports, UnknownNamesAreRefused) {
    EXPECT_THROW(parseTransport("carrier-pigeon"), InvalidArgument);
}
