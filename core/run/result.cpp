#include "core/run/result.h"

#include <sys/utsname.h>

#include <cstdlib>
#include <fstream>
#include <thread>

namespace coreduel {

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
    utsname u{};
    if (::uname(&u) == 0) env.kernel = std::string(u.sysname) + " " + u.release;
    double load[1] = {0};
    if (::getloadavg(load, 1) == 1) env.loadAverage1m = load[0];
    return env;
}

bool ExperimentResult::allOk() const {
    if (cancelled) return false;
    for (const auto& r : runs)
        if (!r.ok) return false;
    return true;
}

}  // namespace coreduel
