#include "core/run/proc_self.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <string>

#include "core/util/clock.h"

namespace coreduel {

bool resetPeakRss() {
    const int fd = ::open("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC);
    if (fd < 0) return false;
    const bool ok = ::write(fd, "5", 1) == 1;
    ::close(fd);
    return ok;
}

std::int64_t peakRssKib() {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("VmHWM:", 0) == 0) return std::stoll(line.substr(6));
    }
    return 0;
}

ThreadUsage threadUsage() {
    rusage ru{};
    ::getrusage(RUSAGE_THREAD, &ru);
    return {toNs(ru.ru_utime), toNs(ru.ru_stime), static_cast<std::uint64_t>(ru.ru_nvcsw),
            static_cast<std::uint64_t>(ru.ru_nivcsw)};
}

}  // namespace coreduel
