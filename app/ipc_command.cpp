#include "app/ipc_command.h"

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <random>
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

namespace {

/// "1.9 us 64 % (both CPUs awake) + 47 us 36 % (peer woken from sleep)", or "" for one mode.
std::string modesText(const LatencyModes& m) {
    if (!m.twoModes) return "";
    char buf[160];
    std::snprintf(buf, sizeof buf, "%.2f us %.0f %% (%s) + %.2f us %.0f %% (%s)", m.fastUs,
                  100 * m.fastShare, kFastModeReading, m.slowUs, 100 * m.slowShare,
                  kSlowModeReading);
    return buf;
}

nlohmann::json toJson(const IpcMeasurement& m) {
    nlohmann::json modes = {{"two_modes", m.modes.twoModes}, {"separation", m.modes.separation}};
    if (m.modes.twoModes) {
        modes["fast"] = {
            {"us", m.modes.fastUs}, {"share", m.modes.fastShare}, {"reading", kFastModeReading}};
        modes["slow"] = {
            {"us", m.modes.slowUs}, {"share", m.modes.slowShare}, {"reading", kSlowModeReading}};
    }
    return {{"mechanism", m.mechanism},
            {"placement", toString(m.placement)},
            {"placement_label", placementLabel(m.placement)},
            {"bytes", m.bytes},
            {"round_trips", m.roundTrips},
            {"spin_us", m.spinUs},
            {"p50_us", m.p50Us},
            {"round_medians_us", m.roundMediansUs},
            {"spread_us",
             {{"rounds", m.spread.rounds},
              {"min", m.spread.minUs},
              {"q1", m.spread.q1Us},
              {"q3", m.spread.q3Us},
              {"max", m.spread.maxUs}}},
            {"modes", modes},
            {"p99_us", m.p99Us},
            {"mean_us", m.meanUs},
            {"throughput_mib_s", m.throughputMiBs},
            {"cpu_send_us", m.engineCpuUs},
            {"cpu_echo_us", m.peerCpuUs}};
}

void printJson(const IpcLabOptions& o, const std::vector<IpcMeasurement>& results) {
    nlohmann::json j;
    // 3: a row per placement ("placement" on every result; /2 rows were all unpinned).
    j["schema"] = "coreduel.ipc/3";
    j["rounds"] = o.rounds;
    j["seed"] = o.seed;
    j["seconds_per_point"] = o.secondsPerPoint;
    j["spin_us"] = o.spinUs;
    j["placement"] = toString(o.placement);
    j["units"] = {
        {"latency", "microseconds per round trip, steady clock"},
        {"p50_us", "median of the round medians (mpi: of its one run, outside the rounds)"},
        {"spread_us", "range and quartiles of the round medians"},
        {"placement",
         "where the row's two sides ran: same (one CPU: a context switch per hop), split "
         "(engine and peer on two CPUs: a cross-CPU wake-up per hop), any (unpinned)"},
        {"modes",
         "two clusters of the pooled round trips, if any; their readings are "
         "inferred from the latency, not observed"},
        {"throughput", "MiB/s = 2 x size / p50_us"},
        {"cpu", "microseconds of CPU per round trip (thread CPU clock), spinning included"}};
    j["mode_criteria"] = {{"min_ratio", kModeMinRatio},
                          {"min_share", kModeMinShare},
                          {"min_separation_ashman_d", kModeMinSeparation}};
    j["results"] = nlohmann::json::array();
    for (const auto& m : results) j["results"].push_back(toJson(m));
    std::cout << j.dump(2) << '\n';
}

const char* whereText(IpcPlacement p) {
    return p == IpcPlacement::Same ? "same" : p == IpcPlacement::Split ? "across" : "any";
}

/// With a spin: what it costs, per placement, as CPU per round trip (both sides together),
/// the median over the transport rows (the baselines do not spin).
void printSpinCost(const IpcLabOptions& o, const std::vector<IpcMeasurement>& results) {
    if (o.spinUs == 0) return;
    for (auto p : {IpcPlacement::Same, IpcPlacement::Split, IpcPlacement::Any}) {
        std::vector<double> cpu, lat;
        for (const auto& m : results)
            if (m.placement == p && m.spinUs > 0) {
                cpu.push_back(m.engineCpuUs + m.peerCpuUs);
                lat.push_back(m.p50Us);
            }
        if (cpu.empty()) continue;
        std::sort(cpu.begin(), cpu.end());
        std::printf(
            "spin %u us, %s: %.1f us of CPU per round trip, both sides (median over %zu "
            "transport rows)\n",
            o.spinUs, placementLabel(p), cpu[cpu.size() / 2], cpu.size());
    }
}

void printRow(const IpcMeasurement& m) {
    char spread[48], centre[24];
    std::snprintf(spread, sizeof spread, "%.2f-%.2f", m.spread.minUs, m.spread.maxUs);
    if (m.modes.twoModes)
        std::snprintf(centre, sizeof centre, "2 modes");
    else
        std::snprintf(centre, sizeof centre, "%.2f", m.p50Us);
    std::printf("%-13s %-6s %9zu %7zu %5zu %11s %19s %11.2f %12.1f %9.2f %9.2f  %s\n",
                m.mechanism.c_str(), whereText(m.placement), m.bytes, m.roundTrips, m.spread.rounds,
                centre, spread, m.p99Us, m.throughputMiBs, m.engineCpuUs, m.peerCpuUs,
                modesText(m.modes).c_str());
}

}  // namespace

int ipcCommand(const IpcCommandOptions& options) {
    IpcLabOptions o;
    o.mechanisms = splitList(options.mechanisms);
    for (const auto& m : o.mechanisms)
        if (m == "mpi") {
            if (const auto why = mpiUnavailableReason(); !why.empty()) throw InvalidArgument(why);
        } else if (m != "thread-queue" && m != "spin") {
            parseTransport(m);  // refuse unknown names up front
        }
    o.sizes.clear();
    for (const auto& s : splitList(options.sizes)) o.sizes.push_back(parseSize(s));
    o.secondsPerPoint = options.seconds;
    o.rounds = options.rounds;
    o.spinUs = options.spinUs;
    o.placement = parseIpcPlacement(options.placement);
    // A fresh order each run unless asked for one; printed either way, so a run can be repeated.
    o.seed = options.seed != 0 ? options.seed : (std::random_device{}() | 1u);
    if (!options.json) {
        const std::string spin =
            o.spinUs == 0
                ? "off (receivers block at once)"
                : std::to_string(o.spinUs) +
                      " us before blocking (pipe, unix, mqueue, shm; it costs CPU: see the cpu "
                      "columns)";
        std::printf(
            "%zu interleaved rounds, order seed %llu (--seed to repeat); placement %s (%s); "
            "spin %s\n",
            o.rounds, static_cast<unsigned long long>(o.seed), toString(o.placement),
            placementLabel(o.placement), spin.c_str());
        std::printf("%-13s %-6s %9s %7s %5s %11s %19s %11s %12s %9s %9s  %s\n", "mechanism",
                    "where", "size [B]", "trips", "rnds", "median [us]", "rounds min-max [us]",
                    "p99 [us]", "thru [MiB/s]", "cpu send", "cpu echo", "modes");
        std::fflush(stdout);
    }
    // Rows are printed in order once measured: with rounds they all finish in the last one.
    const auto results = runIpcLab(o, {});
    if (!options.json)
        for (const auto& m : results) printRow(m);
    if (options.json) {
        printJson(o, results);
    } else {
        printSpinCost(o, results);
        std::printf(
            "\nwhere = same: engine and peer pinned to one CPU (each hop a context switch); "
            "across: pinned to two CPUs (each hop wakes the other CPU: fast while it is awake, "
            "tens of us when it had halted); any: unpinned. With both (the default) every "
            "round measures each row in both, re-pinning the peer before each slice.\n"
            "round trip = message there and back (echo process for pipe/unix/mqueue/shm; a "
            "second thread for the baselines; mpi: two ranks, one run outside the rounds).\n"
            "median = median of the round medians; min-max = range of the round medians; p99 "
            "over all trips; thru = 2 x size / median; cpu [us per trip] from "
            "CLOCK_THREAD_CPUTIME_ID on each side, spinning included.\n"
            "2 modes = the trips fall into two clusters (ratio >= %.0f, each >= %.0f %%, "
            "Ashman's D >= %.0f): %s.\n",
            kModeMinRatio, 100 * kModeMinShare, kModeMinSeparation, kModeReadingNote);
    }
    return 0;
}

}  // namespace coreduel::app
