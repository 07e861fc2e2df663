#pragma once
// Paired measurements for `coreduel-cli bench`. A goal compares ours with an anchor (CPython,
// the bare kernel mechanism, sequential code). On a VM whose wake-ups are bimodal (a round trip
// of ~2 us while both vCPUs stay awake, ~50 us once one halts) two numbers taken a second apart
// can sit in different modes, and their ratio then says more about the hypervisor than about
// us. So ours and the anchor alternate in pairs (A B, B A, ...), a cheap probe of the bare
// pipe ping-pong before, between and after the two tells the mode each ran in, and only
// measurements of the same mode are compared: ratios per pair, medians per mode.

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace coreduel::app {

enum class WakeMode { Fast, Slow, Mixed };

/// The share of all CPUs (%) busy over `window` from /proc/stat, taken while the caller
/// idles: other programs' use. -1 when /proc/stat cannot be read.
double othersBusyPct(std::chrono::milliseconds window);

/// Median round trip of a short bare ping-pong over two pipes with a forked child, in us.
/// Call only from a single-threaded process (it forks without exec).
double probeWakeUs();

/// A goal on a paired comparison: `what` is the metric, measured per pair as ours against the
/// anchor; the raw values of both are printed side by side for every mode.
struct PairedGoal {
    std::string what;
    double limit = 0;
    bool atMost = true;  ///< pass when the metric is <= limit (else >=)
    std::string unit;    ///< of the metric ("x", or "ms" for an absolute goal)
    std::string ours;    ///< names and unit of the raw values, for the side-by-side line
    std::string anchor;  ///< empty: an absolute goal with no anchor
    std::string valueUnit;
    std::string how;
};

/// One mode's share of a paired comparison.
struct ModeStats {
    std::size_t pairs = 0;
    double ratio = 0;  ///< median of the per-pair ratios
    double low = 0;    ///< smallest and largest per-pair ratio
    double high = 0;
    double ours = 0;  ///< medians of the raw values, for the report
    double anchor = 0;
};

struct PairedResult {
    ModeStats fast, slow;
    std::size_t mixed = 0;   ///< pairs whose probes disagreed: not compared
    double thresholdUs = 0;  ///< probe round trips below this are the fast mode
    std::vector<double> probesUs;
    /// Other programs' CPU use, % of all CPUs, measured for a moment before each pair while
    /// the bench itself idles (the median over the pairs); -1: not measured.
    double othersBusyPct = -1;
};

struct PairedSpec {
    unsigned rounds = 6;
    std::function<double()> ours;
    std::function<double()> anchor;  ///< empty: an absolute goal, ours alone per round
    /// The goal's metric from one pair; ours / anchor unless given.
    std::function<double(double ours, double anchor)> ratio;
    /// Both values are round trips in us: each is also classified by its own value (the
    /// most direct sign of the mode it ran in), and a pair whose two values fall in different
    /// modes is not compared.
    bool valuesAreRoundTrips = false;
};

/// Runs paired comparisons and remembers every probe, so that the fast mode's floor (and with
/// it the threshold between the modes) is learnt once for the whole bench.
class PairedBench {
public:
    /// A few probes spread over `seconds` before the first goal: the fast floor.
    void calibrate(double seconds);
    PairedResult run(const PairedSpec& spec);
    /// Probes above kModeGap x the fastest probe seen belong to the slow mode.
    static constexpr double kModeGap = 4.0;
    [[nodiscard]] double thresholdUs() const;
    /// Probes taken around paired measurements so far, and how many of them were slow.
    [[nodiscard]] std::size_t pairedProbes() const { return m_pairedProbes; }
    [[nodiscard]] std::size_t slowProbes() const { return m_slowProbes; }

private:
    double probe();
    double m_minProbeUs = 0;
    std::size_t m_pairedProbes = 0;
    std::size_t m_slowProbes = 0;
};

/// The verdict of a goal on its paired comparison: every mode with at least kMinPairs pairs
/// must meet the limit, and at least one mode must have them.
struct Verdict {
    bool pass = false;
    bool conclusive = false;  ///< some mode had enough pairs
    /// Other programs used more than kBusyOtherProgramsPct of the CPUs around the pairs: the
    /// ratio is the machine's, not ours, and the goal is neither passed nor missed.
    bool busy = false;
    std::string detail;  ///< "fast 0.081x (7 pairs, 0.07-0.09), slow 0.095x (3 pairs ...)"
};
inline constexpr std::size_t kMinPairs = 2;
Verdict judge(const PairedResult& r, double limit, bool atMost, int precision = 3);

}  // namespace coreduel::app
