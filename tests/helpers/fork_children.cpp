// Test helper for `profile`: forks N children that each burn MS milliseconds of CPU time (not
// of wall time: on a busy machine each still uses exactly that much), then waits.
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>

static long cpuMs(clockid_t clock) {
    timespec ts{};
    ::clock_gettime(clock, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1'000'000;
}

int main(int argc, char** argv) {
    const int n = argc > 1 ? std::atoi(argv[1]) : 2;
    const int ms = argc > 2 ? std::atoi(argv[2]) : 300;
    for (int i = 0; i < n; ++i) {
        if (::fork() == 0) {  // single-threaded here: fork without exec is fine
            // A new process's CPU clock starts at zero.
            volatile unsigned long x = 0;
            while (cpuMs(CLOCK_PROCESS_CPUTIME_ID) < ms) x = x + 1;
            ::_exit(0);
        }
    }
    while (::wait(nullptr) > 0) {
    }
}
