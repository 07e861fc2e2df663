// Test helper for `profile`: N threads spin for MS milliseconds.
#include <chrono>
#include <cstdlib>
#include <thread>
#include <vector>

int main(int argc, char** argv) {
    const int n = argc > 1 ? std::atoi(argv[1]) : 2;
    const int ms = argc > 2 ? std::atoi(argv[2]) : 300;
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    std::vector<std::jthread> threads;
    for (int i = 0; i < n; ++i)
        threads.emplace_back([until] {
            volatile unsigned long x = 0;
            while (std::chrono::steady_clock::now() < until) x = x + 1;
        });
}
