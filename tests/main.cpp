// Test entry point: makes sure the engine finds the coreduel-worker built with these tests.

#include <gtest/gtest.h>
#include <signal.h>

#include <cstdlib>

int main(int argc, char** argv) {
    ::setenv("COREDUEL_WORKER", COREDUEL_WORKER_PATH, /*overwrite=*/0);
#ifdef COREDUEL_MPI_WORKER_PATH
    // The mpi model's rank program, where Open MPI was found (the lessons run it too).
    ::setenv("COREDUEL_MPI_WORKER", COREDUEL_MPI_WORKER_PATH, /*overwrite=*/0);
#endif
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
