#include "app/ipc_command.h"

#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "core/exec/mpi_executor.h"
#include "core/measure/ipc_lab.h"
#include "core/run/experiment.h"
#include "core/util/errors.h"
#include "core/vocab/model.h"

namespace coreduel::app {

std::size_t parseSize(const std::string& text) {
    std::size_t used = 0;
    unsigned long long v = 0;
    try {
        v = std::stoull(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    std::string suffix = text.substr(used);
    std::size_t mult = suffix.empty()                   ? 1
                       : suffix == "K" || suffix == "k" ? 1024
                       : suffix == "M"                  ? 1 << 20
                                                        : 0;
    if (used == 0 || mult == 0 || text[0] == '-' || v * mult > (64ull << 20) || v == 0)
        throw InvalidArgument("bad message size '" + text +
                              "' (allowed: 1 B to 64M, e.g. 8, 4K, 1M)");
    return static_cast<std::size_t>(v * mult);
}

int ipcCommand(const std::string& mechanisms, const std::string& sizes, double seconds, bool json) {
    IpcLabOptions o;
    o.mechanisms = splitList(mechanisms);
    for (const auto& m : o.mechanisms)
        if (m == "mpi") {
            if (const auto why = mpiUnavailableReason(); !why.empty()) throw InvalidArgument(why);
        } else if (m != "thread-queue" && m != "spin") {
            parseTransport(m);  // refuse unknown names up front
        }
    o.sizes.clear();
    for (const auto& s : splitList(sizes)) o.sizes.push_back(parseSize(s));
    o.secondsPerPoint = seconds;
    if (!json)
        std::printf("%-13s %9s %7s %11s %11s %12s %14s %14s\n", "mechanism", "size [B]", "trips",
                    "p50 [us]", "p99 [us]", "thru [MiB/s]", "cpu send [us]", "cpu echo [us]");
    const auto results = runIpcLab(o, [&](const IpcMeasurement& m) {
        if (json) return;
        std::printf("%-13s %9zu %7zu %11.2f %11.2f %12.1f %14.2f %14.2f\n", m.mechanism.c_str(),
                    m.bytes, m.roundTrips, m.p50Us, m.p99Us, m.throughputMiBs, m.engineCpuUs,
                    m.peerCpuUs);
        std::fflush(stdout);
    });
    if (json) {
        nlohmann::json j;
        j["schema"] = "coreduel.ipc/1";
        j["units"] = {{"latency", "microseconds per round trip, steady clock"},
                      {"throughput", "MiB/s = 2 x size / median round trip"},
                      {"cpu", "microseconds of CPU per round trip (thread CPU clock)"}};
        for (const auto& m : results)
            j["results"].push_back({{"mechanism", m.mechanism},
                                    {"bytes", m.bytes},
                                    {"round_trips", m.roundTrips},
                                    {"p50_us", m.p50Us},
                                    {"p99_us", m.p99Us},
                                    {"mean_us", m.meanUs},
                                    {"throughput_mib_s", m.throughputMiBs},
                                    {"cpu_send_us", m.engineCpuUs},
                                    {"cpu_echo_us", m.peerCpuUs}});
        std::cout << j.dump(2) << '\n';
    } else {
        std::printf(
            "\nround trip = message there and back (echo process for pipe/unix/mqueue/shm; a "
            "second thread "
            "for the baselines); thru = 2 x size / p50; cpu from CLOCK_THREAD_CPUTIME_ID on each "
            "side.\n");
    }
    return 0;
}

}  // namespace coreduel::app
