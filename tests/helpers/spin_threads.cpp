// Test helper for `profile`: N threads each burn MS milliseconds of CPU time (their own thread
// CPU clock, so a busy machine stretches the run but not the CPU time it uses).
#include <time.h>
#include <chrono>
#include <cstdlib>
#include <thread>
#include <vector>

static long cpuMs(clockid_t clock) {
    timespec ts{};
    ::clock_gettime(clock, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1'000'000;
}

int main(int argc, char** argv) {
    const int n = argc > 1 ? std::atoi(argv[1]) : 2;
    const int ms = argc > 2 ? std::atoi(argv[2]) : 300;
    std::vector<std::jthread> threads;
    for (int i = 0; i < n; ++i)
        threads.emplace_back([ms] {
            volatile unsigned long x = 0;
            while (cpuMs(CLOCK_THREAD_CPUTIME_ID) < ms) x = x + 1;
        });
}
