// Test helper for `profile`: forks N children that spin for MS milliseconds, then waits.
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>

int main(int argc, char** argv) {
    const int n = argc > 1 ? std::atoi(argv[1]) : 2;
    const int ms = argc > 2 ? std::atoi(argv[2]) : 300;
    for (int i = 0; i < n; ++i) {
        if (::fork() == 0) {  // single-threaded here: fork without exec is fine
            const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
            volatile unsigned long x = 0;
            while (std::chrono::steady_clock::now() < until) x = x + 1;
            ::_exit(0);
        }
    }
    while (::wait(nullptr) > 0) {
    }
}
