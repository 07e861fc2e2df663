// coreduel: the desktop app. The Qt window arrives with the desktop-app issue; until then (and
// always without a display) it runs a headless demo and prints the comparison table.

#include <iostream>
#include <thread>

#include "app/run_command.h"
#include "core/workloads/params.h"

int main(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "-h" || a == "--help") {
            std::cout
                << "usage: coreduel\n"
                   "Runs the demo: primes under sequential, threads, gil-threads and processes\n"
                   "with 1 and all cores, then sleep (I/O-bound) the same way. For any other\n"
                   "experiment use coreduel-cli run (see coreduel-cli run --help).\n";
            return 0;
        }
    }
    std::cout << "CoreDuel headless demo (the desktop window is not built yet).\n\n";
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    std::vector<unsigned> workers = {1};
    if (cores > 1) workers.push_back(cores);
    try {
        coreduel::Experiment cpu;
        cpu.workload = "primes";
        cpu.workerCounts = workers;
        std::cout << "== CPU-bound: count primes below 6,000,000 ==\n";
        int rc = coreduel::app::runExperimentInTerminal(cpu, coreduel::app::Format::Table, false);
        if (rc == 130) return rc;

        coreduel::Experiment io;
        io.workload = "sleep";
        io.params = {{"tasks", "16"}, {"ms", "50"}};
        io.workerCounts = {1, std::max(4u, cores)};
        std::cout << "\n== I/O-bound: 16 waits of 50 ms ==\n";
        const int rc2 =
            coreduel::app::runExperimentInTerminal(io, coreduel::app::Format::Table, false);
        return rc != 0 ? rc : rc2;
    } catch (const std::exception& e) {
        std::cerr << "coreduel: " << e.what() << '\n';
        return 1;
    }
}
