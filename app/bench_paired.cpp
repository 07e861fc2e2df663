#include "app/bench_paired.h"

#include <algorithm>
#include <chrono>
#include <cmath>
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
                    const std::vector<double>& reference, std::vector<double> ratios) {
    ModeStats s;
    s.pairs = ratios.size();
    if (ratios.empty()) return s;
    std::sort(ratios.begin(), ratios.end());
    s.ratio = quantileSorted(ratios, 0.5);
    s.low = ratios.front();
    s.high = ratios.back();
    const std::size_t k = medianIntervalRank(ratios.size());
    s.ciLow = ratios[k - 1];
    s.ciHigh = ratios[ratios.size() - k];
    s.ours = median(ours);
    s.anchor = median(anchor);
    s.reference = median(reference);
    s.ratios = std::move(ratios);
    return s;
}

std::string describe(const char* mode, const ModeStats& s, int precision) {
    char buf[200];
    std::snprintf(buf, sizeof buf, "%s %.*f (%zu pair%s, %.*f-%.*f", mode, precision, s.ratio,
                  s.pairs, s.pairs == 1 ? "" : "s", precision, s.low, precision, s.high);
    std::string text = buf;
    if (s.pairs >= kMinPairs && (s.ciLow != s.low || s.ciHigh != s.high)) {
        std::snprintf(buf, sizeof buf, "; %.0f %% interval %.*f-%.*f", 100 * kConfidence, precision,
                      s.ciLow, precision, s.ciHigh);
        text += buf;
    }
    return text + ")";
}

/// A pair's mode: 0 fast, 1 slow, -1 not comparable (its probes or its values disagree, or a
/// side failed to measure), -2 taken while other programs kept the CPUs busy.
struct Round {
    double ours = 0, anchor = 0, reference = 0;
    double p0 = 0, p1 = 0, p2 = 0;
    double others = -1;
};

int modeOf(const Round& r, double thresholdUs, bool valuesAreRoundTrips) {
    if (r.others > kBusyOtherProgramsPct) return -2;  // the ratio would be the machine's
    int slow = 0;
    for (double p : {r.p0, r.p1, r.p2}) slow += p > thresholdUs ? 1 : 0;
    // Both measurements of the pair lie between probes of one mode, or none is compared.
    if ((slow != 0 && slow != 3) || r.ours <= 0 || r.anchor <= 0) return -1;
    if (!valuesAreRoundTrips) return slow == 3 ? 1 : 0;
    const bool oursSlow = r.ours > thresholdUs, anchorSlow = r.anchor > thresholdUs;
    if (oursSlow != anchorSlow) return -1;
    return oursSlow ? 1 : 0;
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

std::size_t medianIntervalRank(std::size_t n) {
    // P(fewer than k of n values fall below the median) = P(Binomial(n, 1/2) < k); the interval
    // [x_(k), x_(n+1-k)] covers the median with 1 - 2 P(...). The largest k that keeps >= 90 %.
    std::size_t best = 1;
    double below = 0, term = std::pow(0.5, static_cast<double>(n));  // P(X = 0)
    for (std::size_t k = 1; 2 * k <= n; ++k) {
        below += term;  // P(X < k)
        term *= static_cast<double>(n - (k - 1)) / static_cast<double>(k);
        if (1 - 2 * below >= kConfidence) best = k;
    }
    return best;
}

namespace {

/// A mode judged (kMinPairs pairs or more) whose interval of the median lies across `limit`.
bool undecided(std::vector<double> ratios, double limit, bool atMost) {
    if (ratios.size() < kMinPairs) return false;
    std::sort(ratios.begin(), ratios.end());
    const std::size_t k = medianIntervalRank(ratios.size());
    auto meets = [&](double x) { return atMost ? x <= limit : x >= limit; };
    return meets(ratios[k - 1]) != meets(ratios[ratios.size() - k]);
}

}  // namespace

PairedResult PairedBench::run(const PairedSpec& spec) {
    std::vector<Round> rounds;
    const auto start = std::chrono::steady_clock::now();
    // More pairs while a mode that occurred has fewer than kMinPairs (judged with the probes'
    // threshold as it stands), within the goal's cap.
    auto wantMore = [&] {
        if (rounds.size() < spec.rounds) return true;
        const std::chrono::duration<double> ran = std::chrono::steady_clock::now() - start;
        const bool pairsLeft = rounds.size() < kMaxPairsFactor * spec.rounds;
        const bool undecidedPairsLeft = rounds.size() < kUndecidedPairsFactor * spec.rounds;
        if (!undecidedPairsLeft) return false;
        std::vector<double> ratios[2];
        for (const auto& r : rounds)
            if (const int m = modeOf(r, thresholdUs(), spec.valuesAreRoundTrips); m >= 0)
                ratios[m].push_back(spec.ratio ? spec.ratio(r.ours, r.anchor) : r.ours / r.anchor);
        const bool tooFew = ratios[0].size() + ratios[1].size() == 0 ||
                            (!ratios[0].empty() && ratios[0].size() < kMinPairs) ||
                            (!ratios[1].empty() && ratios[1].size() < kMinPairs);
        if (tooFew) return pairsLeft && ran.count() < spec.capSeconds;
        if (!spec.limit) return false;
        return undecided(ratios[0], *spec.limit, spec.atMost) ||
                       undecided(ratios[1], *spec.limit, spec.atMost)
                   ? ran.count() < kUndecidedCapFactor * spec.capSeconds
                   : false;
    };
    while (wantMore()) {
        Round& r = rounds.emplace_back();
        // A B, B A, ...: neither side always runs first (warm caches, a drifting machine).
        const bool oursFirst = rounds.size() % 2 == 1;
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
        if (spec.reference) r.reference = spec.reference();
    }
    PairedResult out;
    out.thresholdUs = thresholdUs();
    // [2]: the pairs beside busy programs, summarised for the report only.
    std::vector<double> ours[3], anchor[3], reference[3], ratios[3], others;
    for (const auto& r : rounds)
        if (r.others >= 0) others.push_back(r.others);
    if (!others.empty()) out.othersBusyPct = median(others);
    for (const auto& r : rounds) {
        out.probesUs.insert(out.probesUs.end(), {r.p0, r.p1, r.p2});
        for (double p : {r.p0, r.p1, r.p2}) m_slowProbes += p > out.thresholdUs ? 1 : 0;
        m_pairedProbes += 3;
        const int m = modeOf(r, out.thresholdUs, spec.valuesAreRoundTrips);
        if (m == -1) {
            ++out.mixed;
            continue;
        }
        if (m == -2) ++out.busyPairs;
        const auto i = static_cast<std::size_t>(m < 0 ? 2 : m);
        if (m == -2 && (r.ours <= 0 || r.anchor <= 0)) continue;
        ours[i].push_back(r.ours);
        anchor[i].push_back(r.anchor);
        if (r.reference > 0) reference[i].push_back(r.reference);
        ratios[i].push_back(spec.ratio ? spec.ratio(r.ours, r.anchor) : r.ours / r.anchor);
    }
    out.fast = summarise(ours[0], anchor[0], reference[0], ratios[0]);
    out.slow = summarise(ours[1], anchor[1], reference[1], ratios[1]);
    out.busy = summarise(ours[2], anchor[2], reference[2], ratios[2]);
    return out;
}

const char* outcomeText(const Verdict& v) {
    return v.busy         ? "NOT JUDGED (busy machine)"
           : v.pass       ? "PASS"
           : v.conclusive ? "FAIL"
                          : "CANNOT TELL";
}

Verdict judge(const PairedResult& r, double limit, bool atMost, int precision) {
    Verdict v;
    auto meets = [&](double x) { return atMost ? x <= limit : x >= limit; };
    std::string parts;
    bool missed = false, undecided = false, judged = false;
    for (const auto& [name, s] : {std::pair{"fast", &r.fast}, std::pair{"slow", &r.slow}}) {
        if (s->pairs == 0) continue;
        if (!parts.empty()) parts += ", ";
        parts += describe(name, *s, precision);
        if (s->pairs < kMinPairs) {
            parts += " too few to judge";
            continue;
        }
        judged = true;
        if (meets(s->ciLow) && meets(s->ciHigh)) continue;
        if (!meets(s->ciLow) && !meets(s->ciHigh)) {
            missed = true;
            parts += " MISSED";
        } else {
            undecided = true;
            parts += " interval across the limit";
        }
    }
    if (r.mixed > 0) {
        parts += (parts.empty() ? "" : ", ") + std::to_string(r.mixed) + " pair" +
                 (r.mixed == 1 ? "" : "s") + " across modes not compared";
    }
    if (r.busyPairs > 0) {
        parts += (parts.empty() ? "" : ", ") + std::to_string(r.busyPairs) + " pair" +
                 (r.busyPairs == 1 ? "" : "s") + " beside busy programs not compared";
    }
    v.conclusive = missed || (judged && !undecided);
    v.pass = judged && !missed && !undecided;
    v.detail = parts;
    // Busy only when the busy pairs are what kept the goal from a verdict: pairs that crossed
    // wake-up modes on a quiet machine are this VM's, and the goal cannot tell.
    if (!judged && r.busyPairs > 0 && r.busyPairs >= r.mixed) {
        // No quiet mode with enough pairs because other programs kept the CPUs busy: the
        // machine's verdict, not ours.
        v.busy = true;
        char buf[160];
        std::snprintf(buf, sizeof buf,
                      "; other programs used %.0f %% of the CPUs around the pairs (median)",
                      r.othersBusyPct);
        v.detail += buf;
    }
    return v;
}

}  // namespace coreduel::app
