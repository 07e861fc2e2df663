#include "app/bench_paired.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <limits>
#include <sstream>
#include <thread>

#include "core/measure/ipc_lab.h"
#include "core/run/machine_load.h"
#include "core/stats/summary.h"

namespace coreduel::app {

namespace {

double median(std::vector<double> v) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return quantileSorted(v, 0.5);
}

ModeStats summarise(const std::vector<double>& ours, const std::vector<double>& anchor,
                    const std::vector<double>& ratios) {
    ModeStats s;
    s.pairs = ratios.size();
    if (ratios.empty()) return s;
    s.ratio = median(ratios);
    s.low = *std::min_element(ratios.begin(), ratios.end());
    s.high = *std::max_element(ratios.begin(), ratios.end());
    s.ours = median(ours);
    s.anchor = median(anchor);
    return s;
}

std::string describe(const char* mode, const ModeStats& s, int precision) {
    char buf[160];
    std::snprintf(buf, sizeof buf, "%s %.*f (%zu pair%s, %.*f-%.*f)", mode, precision, s.ratio,
                  s.pairs, s.pairs == 1 ? "" : "s", precision, s.low, precision, s.high);
    return buf;
}

}  // namespace

double othersBusyPct(std::chrono::milliseconds window) {
    // The first line of /proc/stat: jiffies of all CPUs by state; idle and iowait are idle.
    auto read = [](double& busy, double& total) {
        std::ifstream in("/proc/stat");
        std::string line, cpu;
        if (!std::getline(in, line)) return false;
        std::istringstream is(line);
        is >> cpu;
        busy = total = 0;
        double v = 0;
        for (int i = 0; is >> v; ++i) {
            if (i >= 8) break;  // guest time is already in user
            total += v;
            if (i != 3 && i != 4) busy += v;
        }
        return cpu == "cpu" && total > 0;
    };
    double b0 = 0, t0 = 0, b1 = 0, t1 = 0;
    if (!read(b0, t0)) return -1;
    std::this_thread::sleep_for(window);
    if (!read(b1, t1) || t1 <= t0) return -1;
    return 100.0 * (b1 - b0) / (t1 - t0);
}

double probeWakeUs() {
    // 64 round trips: well under a millisecond in the fast mode, a few in the slow one.
    return rawPingPongUs(Transport::Pipe, 64);
}

double PairedBench::probe() {
    const double us = probeWakeUs();
    if (us > 0 && (m_minProbeUs == 0 || us < m_minProbeUs)) m_minProbeUs = us;
    return us;
}

double PairedBench::thresholdUs() const {
    return m_minProbeUs * kModeGap;
}

void PairedBench::calibrate(double seconds) {
    const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    while (std::chrono::steady_clock::now() < end) {
        probe();
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

PairedResult PairedBench::run(const PairedSpec& spec) {
    struct Round {
        double ours = 0, anchor = 0;
        double p0 = 0, p1 = 0, p2 = 0;
        double others = -1;
    };
    std::vector<Round> rounds(spec.rounds);
    for (unsigned i = 0; i < spec.rounds; ++i) {
        auto& r = rounds[i];
        // A B, B A, ...: neither side always runs first (warm caches, a drifting machine).
        const bool oursFirst = i % 2 == 0;
        // 50 ms: five scheduler ticks per CPU at USER_HZ 100, enough to see a busy neighbour.
        r.others = othersBusyPct(std::chrono::milliseconds(50));
        r.p0 = probe();
        if (!spec.anchor) {  // an absolute goal: one measurement between two probes
            r.ours = spec.ours();
            r.anchor = 1;
            r.p1 = r.p2 = probe();
            continue;
        }
        (oursFirst ? r.ours : r.anchor) = (oursFirst ? spec.ours : spec.anchor)();
        r.p1 = probe();
        (oursFirst ? r.anchor : r.ours) = (oursFirst ? spec.anchor : spec.ours)();
        r.p2 = probe();
    }
    PairedResult out;
    out.thresholdUs = thresholdUs();
    std::vector<double> ours[2], anchor[2], ratios[2], others;
    for (const auto& r : rounds)
        if (r.others >= 0) others.push_back(r.others);
    if (!others.empty()) out.othersBusyPct = median(others);
    for (const auto& r : rounds) {
        out.probesUs.insert(out.probesUs.end(), {r.p0, r.p1, r.p2});
        int slow = 0;
        for (double p : {r.p0, r.p1, r.p2}) slow += p > out.thresholdUs ? 1 : 0;
        m_slowProbes += static_cast<std::size_t>(slow);
        m_pairedProbes += 3;
        // Both measurements of the pair lie between probes of one mode, or none is compared.
        if (slow != 0 && slow != 3) {
            ++out.mixed;
            continue;
        }
        if (r.ours <= 0 || r.anchor <= 0) {
            ++out.mixed;  // a side failed to measure: nothing to compare
            continue;
        }
        int m = slow == 3 ? 1 : 0;
        if (spec.valuesAreRoundTrips) {
            const bool oursSlow = r.ours > out.thresholdUs, anchorSlow = r.anchor > out.thresholdUs;
            if (oursSlow != anchorSlow) {
                ++out.mixed;
                continue;
            }
            m = oursSlow ? 1 : 0;
        }
        ours[m].push_back(r.ours);
        anchor[m].push_back(r.anchor);
        ratios[m].push_back(spec.ratio ? spec.ratio(r.ours, r.anchor) : r.ours / r.anchor);
    }
    out.fast = summarise(ours[0], anchor[0], ratios[0]);
    out.slow = summarise(ours[1], anchor[1], ratios[1]);
    return out;
}

Verdict judge(const PairedResult& r, double limit, bool atMost, int precision) {
    Verdict v;
    v.pass = true;
    auto meets = [&](double x) { return atMost ? x <= limit : x >= limit; };
    std::string parts;
    for (const auto& [name, s] : {std::pair{"fast", &r.fast}, std::pair{"slow", &r.slow}}) {
        if (s->pairs == 0) continue;
        if (!parts.empty()) parts += ", ";
        parts += describe(name, *s, precision);
        if (s->pairs < kMinPairs) {
            parts += " too few to judge";
            continue;
        }
        v.conclusive = true;
        if (!meets(s->ratio)) {
            v.pass = false;
            parts += " MISSED";
        }
    }
    if (r.mixed > 0) {
        parts += (parts.empty() ? "" : ", ") + std::to_string(r.mixed) + " pair" +
                 (r.mixed == 1 ? "" : "s") + " across modes not compared";
    }
    v.pass = v.pass && v.conclusive;
    v.detail = parts;
    if (r.othersBusyPct > kBusyOtherProgramsPct) {
        v.busy = true;
        v.pass = false;
        char buf[160];
        std::snprintf(buf, sizeof buf, "; other programs used %.0f %% of the CPUs around the pairs",
                      r.othersBusyPct);
        v.detail += buf;
    }
    return v;
}

}  // namespace coreduel::app
