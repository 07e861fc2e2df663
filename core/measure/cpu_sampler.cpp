#include "core/measure/cpu_sampler.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <map>

#include "core/util/clock.h"
#include "core/util/sys.h"

namespace coreduel {

CpuSampler::CpuSampler(double hz, Emit emit)
    : m_emit(std::move(emit)), m_wake(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
    if (!m_wake.valid()) throwSystemError("eventfd");
    m_info.intervalSeconds = 1.0 / std::clamp(hz, 0.5, 1000.0);
    m_info.tickSeconds = 1.0 / static_cast<double>(userHz());
}

CpuSampler::~CpuSampler() {
    stop();
}

void CpuSampler::start() {
    if (m_thread.joinable()) return;
    m_thread = std::jthread([this](std::stop_token st) { loop(st); });
}

void CpuSampler::stop() {
    if (!m_thread.joinable()) return;
    m_thread.request_stop();
    const std::uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(m_wake.get(), &one, sizeof one);
    m_thread.join();
}

void CpuSampler::watch(std::vector<WatchedTask> tasks) {
    std::lock_guard lk(m_mutex);
    m_watched = std::move(tasks);
}

void CpuSampler::addWatched(const WatchedTask& task) {
    std::lock_guard lk(m_mutex);
    m_watched.push_back(task);
}

std::vector<CoreUsage> CpuSampler::usageBetween(const std::vector<CpuTimes>& before,
                                                const std::vector<CpuTimes>& after) {
    std::vector<CoreUsage> out(after.size());
    for (std::size_t c = 0; c < after.size() && c < before.size(); ++c) {
        const auto& a = before[c];
        const auto& b = after[c];
        const double total = static_cast<double>(b.total() - a.total());
        if (total <= 0) continue;
        auto frac = [&](std::uint64_t x, std::uint64_t y) {
            return static_cast<float>((y - x) / total);
        };
        auto& u = out[c];
        u.user = frac(a.user + a.nice, b.user + b.nice);
        u.system = frac(a.system + a.irq + a.softirq, b.system + b.irq + b.softirq);
        u.iowait = frac(a.iowait, b.iowait);
        u.steal = frac(a.steal, b.steal);
        u.idle = frac(a.idle, b.idle);
    }
    return out;
}

void CpuSampler::loop(std::stop_token stop) {
    const auto startNs = monotonicNs();
    const auto ownStart = threadCpuNs();
    const auto interval = static_cast<std::int64_t>(m_info.intervalSeconds * 1e9);
    auto prevTimes = readProcStat();
    auto prevNs = monotonicNs();
    std::map<pid_t, std::int64_t> prevRun;  // tid -> schedstat run ns at the previous sample
    std::uint64_t tick = 0;
    auto next = prevNs + interval;
    while (!stop.stop_requested()) {
        // Sleep to an absolute deadline so windows do not drift; stop() wakes us through the
        // eventfd at once. (A condition variable with a stop_token cost 3x more per tick.)
        const auto left = std::max<std::int64_t>(0, next - monotonicNs());
        timespec ts{left / 1'000'000'000, left % 1'000'000'000};
        pollfd p{m_wake.get(), POLLIN, 0};
        ::ppoll(&p, 1, &ts, nullptr);
        if (stop.stop_requested()) break;
        next += interval;
        const auto nowNs = monotonicNs();
        if (next < nowNs) next = nowNs + interval;  // we were late: skip, do not burst

        auto times = readProcStat();
        UtilizationSample s;
        s.timeNs = nowNs;
        s.windowNs = nowNs - prevNs;
        s.cores = usageBetween(prevTimes, times);
        if (s.windowNs > 0) {
            s.systemResolutionPct =
                100.0 * m_info.tickSeconds * 1e9 / static_cast<double>(s.windowNs);
            s.oursResolutionPct = 100.0 / static_cast<double>(s.windowNs);
        }

        std::vector<WatchedTask> watched;
        {
            std::lock_guard lk(m_mutex);
            watched = m_watched;
        }
        // The cheap counters every tick; switches and migrations every 5th; PSS (smaps_rollup
        // walks page tables) every 10th.
        const bool full = tick % 5 == 0;
        const bool withPss = tick % 10 == 0;
        std::map<pid_t, MemoryStat> memory;
        std::map<pid_t, std::int64_t> run;
        for (const auto& w : watched) {
            auto reader = m_readers.find(w.tid);
            if (reader == m_readers.end())
                reader = m_readers.emplace(w.tid, TaskReader(w.pid, w.tid)).first;
            auto st = reader->second.read(full);
            if (!st) continue;
            WorkerSample ws{w.worker, w.pid, w.tid, *st, 0, -1};
            if (!full) {
                // Carry the slow counters forward from the last full reading.
                if (auto it = m_lastFull.find(w.tid); it != m_lastFull.end()) {
                    ws.stat.voluntarySwitches = it->second.voluntarySwitches;
                    ws.stat.involuntarySwitches = it->second.involuntarySwitches;
                    ws.stat.migrations = it->second.migrations;
                }
            } else {
                m_lastFull[w.tid] = *st;
            }
            auto it = memory.find(w.pid);
            if (it == memory.end()) {
                if (auto m = readMemoryStat(w.pid, withPss)) it = memory.emplace(w.pid, *m).first;
            }
            if (it != memory.end()) {
                ws.rssKib = it->second.rssKib;
                ws.pssKib = it->second.pssKib;
            }
            run[w.tid] = st->runNs;
            if (auto p = prevRun.find(w.tid);
                p != prevRun.end() && st->lastCpu >= 0 &&
                static_cast<std::size_t>(st->lastCpu) < s.cores.size() && s.windowNs > 0) {
                s.cores[st->lastCpu].ours += static_cast<float>(
                    static_cast<double>(st->runNs - p->second) / static_cast<double>(s.windowNs));
            }
            s.workers.push_back(ws);
        }
        for (auto& c : s.cores) c.ours = std::min(c.ours, 1.0f);
        // Close the files of tasks no longer watched (their run ended).
        for (auto it = m_readers.begin(); it != m_readers.end();) {
            if (run.count(it->first) == 0)
                it = m_readers.erase(it);
            else
                ++it;
        }
        prevRun = std::move(run);
        prevTimes = std::move(times);
        prevNs = nowNs;
        ++tick;
        if (m_emit) m_emit(std::move(s));
        m_ownCpuNs.store(threadCpuNs() - ownStart);
        m_ranNs.store(monotonicNs() - startNs);
    }
}

}  // namespace coreduel
