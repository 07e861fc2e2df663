#include "core/run/result.h"

#include <algorithm>
#include <cmath>

#include <sched.h>
#include <sys/utsname.h>

#include <cstdlib>
#include <fstream>
#include <set>
#include <thread>

namespace coreduel {

namespace {

std::string readLine(const std::string& path) {
    std::ifstream in(path);
    std::string s;
    std::getline(in, s);
    return s;
}

/// "0-3,6" from a CPU set.
std::string cpuList(const cpu_set_t& set) {
    std::string out;
    int runStart = -1;
    for (int c = 0; c <= CPU_SETSIZE; ++c) {
        const bool in = c < CPU_SETSIZE && CPU_ISSET(c, &set);
        if (in && runStart < 0) runStart = c;
        if (!in && runStart >= 0) {
            if (!out.empty()) out += ",";
            out += std::to_string(runStart);
            if (c - 1 > runStart) out += "-" + std::to_string(c - 1);
            runStart = -1;
        }
    }
    return out;
}

}  // namespace

std::optional<LatencySummary> summarizeLatency(std::vector<std::int64_t> delaysNs) {
    if (delaysNs.empty()) return std::nullopt;
    std::sort(delaysNs.begin(), delaysNs.end());
    // Nearest rank: the smallest delay that at least p % of the pings did not exceed.
    const auto rank = [&](double p) {
        const auto n = static_cast<double>(delaysNs.size());
        const auto k = static_cast<std::size_t>(std::ceil(p / 100.0 * n));
        return static_cast<double>(delaysNs[std::clamp<std::size_t>(k, 1, delaysNs.size()) - 1]) /
               1e6;
    };
    LatencySummary s;
    s.count = delaysNs.size();
    s.p50Ms = rank(50);
    s.p99Ms = rank(99);
    s.maxMs = static_cast<double>(delaysNs.back()) / 1e6;
    return s;
}

Environment probeEnvironment() {
    Environment env;
    std::ifstream cpuinfo("/proc/cpuinfo");
    std::string line;
    while (std::getline(cpuinfo, line)) {
        if (line.rfind("model name", 0) == 0) {
            env.cpuModel = line.substr(line.find(':') + 2);
            break;
        }
    }
    env.logicalCpus = std::thread::hardware_concurrency();
    std::set<std::string> cores;
    for (unsigned c = 0; c < env.logicalCpus; ++c) {
        const std::string base = "/sys/devices/system/cpu/cpu" + std::to_string(c) + "/topology/";
        cores.insert(readLine(base + "physical_package_id") + ":" + readLine(base + "core_id"));
    }
    env.physicalCores = static_cast<unsigned>(cores.size());
    env.threadsPerCore =
        env.physicalCores > 0 ? std::max(1u, env.logicalCpus / env.physicalCores) : 1;
    cpu_set_t set;
    CPU_ZERO(&set);
    if (::sched_getaffinity(0, sizeof set, &set) == 0) {
        env.allowedCpus = static_cast<unsigned>(CPU_COUNT(&set));
        env.affinity = cpuList(set);
    }
    env.governor = readLine("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor");
    if (env.governor.empty()) env.governor = "unknown (no cpufreq in this kernel or VM)";
    {
        std::ifstream mem("/proc/meminfo");
        std::string key;
        mem >> key >> env.memoryKib;
    }
    env.hardwareCounters = PerfCounters::hardwareAvailability();
    env.compiler = std::string("GCC ") + __VERSION__;
    utsname u{};
    if (::uname(&u) == 0) env.kernel = std::string(u.sysname) + " " + u.release;
    double load[1] = {0};
    if (::getloadavg(load, 1) == 1) env.loadAverage1m = load[0];
    return env;
}

std::vector<const RunResult*> ExperimentResult::runsInDisplayOrder() const {
    std::vector<const RunResult*> v;
    for (const auto& r : runs) v.push_back(&r);
    std::stable_sort(v.begin(), v.end(), [](const RunResult* a, const RunResult* b) {
        if (displayOrderLess(a->config, b->config)) return true;
        if (displayOrderLess(b->config, a->config)) return false;
        return a->config.repetition < b->config.repetition;
    });
    return v;
}

bool ExperimentResult::allOk() const {
    if (cancelled) return false;
    for (const auto& r : runs)
        if (!r.ok) return false;
    return true;
}

}  // namespace coreduel
