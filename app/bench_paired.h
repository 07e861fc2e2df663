#pragma once
// Paired measurements for `coreduel-cli bench`. A goal compares ours with an anchor (CPython,
// the bare kernel mechanism, sequential code). On a VM whose wake-ups are bimodal (a round trip
// of ~2 us while both vCPUs stay awake, ~50 us once one halts) two numbers taken a second apart
// can sit in different modes, and their ratio then says more about the hypervisor than about
// us. So ours and the anchor alternate in pairs (A B, B A, ...), a cheap probe of the bare
// pipe ping-pong before, between and after the two tells the mode each ran in, and only
// measurements of the same mode are compared: ratios per pair, medians per mode.
//
// So that two runs give the same verdict: pairs are added until every mode that occurred has
// kMinPairs of them (within a time cap), a mode is judged on a distribution-free confidence
// interval of its median ratio rather than on the median alone, and a goal whose interval
// straddles its limit says "cannot tell", which is neither a pass nor a failure.

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
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
    std::string reference{};  ///< names a third value measured in every pair, shown, not judged
};

/// One mode's share of a paired comparison.
struct ModeStats {
    std::size_t pairs = 0;
    double ratio = 0;  ///< median of the per-pair ratios
    double low = 0;    ///< smallest and largest per-pair ratio
    double high = 0;
    double ours = 0;  ///< medians of the raw values, for the report
    double anchor = 0;
    double reference = 0;        ///< median of PairedSpec::reference's values (0: none)
    std::vector<double> ratios;  ///< every pair's metric, sorted
    /// The order statistics around the median that cover it with >= kConfidence (with fewer
    /// than kMinPairs pairs: the range).
    double ciLow = 0;
    double ciHigh = 0;
};

/// Confidence of ModeStats' interval of the median (binomial order statistics, no assumption
/// about the ratios' distribution): with 5 to 7 pairs it is the whole range (93.8 % and up).
inline constexpr double kConfidence = 0.90;
/// Ranks (1-based, from each end) of the order statistics that bound the median of `n` values
/// with at least kConfidence; 1 (the extremes) when no narrower pair does.
std::size_t medianIntervalRank(std::size_t n);

struct PairedResult {
    ModeStats fast, slow;
    std::size_t mixed = 0;  ///< pairs whose probes disagreed: not compared
    /// Pairs taken while other programs used more than kBusyOtherProgramsPct of the CPUs
    /// (measured for 50 ms before each pair): not compared either.
    std::size_t busyPairs = 0;
    ModeStats busy;          ///< those pairs together, for the report only (never judged)
    double thresholdUs = 0;  ///< probe round trips below this are the fast mode
    std::vector<double> probesUs;
    /// Other programs' CPU use, % of all CPUs, measured for a moment before each pair while
    /// the bench itself idles (the median over the pairs); -1: not measured.
    double othersBusyPct = -1;
};

struct PairedSpec {
    unsigned rounds = 6;  ///< pairs at least; more until each mode has kMinPairs (see run())
    std::function<double()> ours;
    std::function<double()> anchor;  ///< empty: an absolute goal, ours alone per round
    /// The goal's metric from one pair; ours / anchor unless given.
    std::function<double(double ours, double anchor)> ratio{};
    /// Both values are round trips in us: each is also classified by its own value (the
    /// most direct sign of the mode it ran in), and a pair whose two values fall in different
    /// modes is not compared.
    bool valuesAreRoundTrips = false;
    /// A third value measured in each pair (after both sides), reported per mode, not judged:
    /// e.g. CPython's cost where the goal is held to the physical limit instead.
    std::function<double()> reference{};
    /// After `rounds` pairs, pairs go on while a mode that occurred has fewer than kMinPairs,
    /// up to kMaxPairsFactor x rounds and until the goal has run this long (0: no more).
    double capSeconds = 0;
    /// The goal's limit (set by the bench for each goal): while a mode with kMinPairs pairs or
    /// more has its interval across it, pairs go on too, up to kUndecidedPairsFactor x rounds and
    /// kUndecidedCapFactor x capSeconds: five pairs give an interval from the lowest to the
    /// highest ratio, which a ratio near its limit straddles by chance.
    std::optional<double> limit{};
    bool atMost = false;
};
inline constexpr unsigned kMaxPairsFactor = 3;
/// While an interval lies across its limit: primes x2 at 1.90-1.95x against 1.9 needs ~30
/// pairs for an interval of +-0.03 (18 left it across in one run of two).
inline constexpr unsigned kUndecidedPairsFactor = 6;
inline constexpr double kUndecidedCapFactor = 3;

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

/// The verdict of a goal on its paired comparison. A mode with at least kMinPairs pairs is
/// judged on its interval (ModeStats::ciLow..ciHigh): met when the whole interval meets the
/// limit, missed when none of it does, undecided otherwise. The goal fails when a mode missed,
/// passes when every judged mode met it, and otherwise cannot tell (no mode with enough pairs,
/// or an interval across the limit): that is neither a pass nor a failure.
struct Verdict {
    bool pass = false;
    bool conclusive = false;  ///< a pass or a failure (false: cannot tell, or busy)
    /// No mode had enough quiet pairs, and some pairs were left out because other programs
    /// used more than kBusyOtherProgramsPct of the CPUs: neither passed nor missed.
    bool busy = false;
    std::string detail;  ///< "fast 0.081x (7 pairs, 0.07-0.09), slow 0.095x (3 pairs ...)"
};
inline constexpr std::size_t kMinPairs = 5;
/// "PASS", "FAIL", "CANNOT TELL", "NOT JUDGED (busy machine)".
const char* outcomeText(const Verdict& v);
Verdict judge(const PairedResult& r, double limit, bool atMost, int precision = 3);

}  // namespace coreduel::app
