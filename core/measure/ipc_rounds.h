#pragma once
// The IPC lab's arithmetic, apart from any clock or peer so that it can be tested on numbers:
// the interleaved schedule of rounds, the aggregation of a row's round medians, and the
// detection of a latency distribution with two modes.
//
// Why rounds: on a small VM a round trip costs ~2 µs while both vCPUs stay awake and ~50 µs
// when the peer's vCPU halted and has to be woken. Which of the two a row of back-to-back trips
// lands in depends on what ran just before, so one long run per row gave a median in either
// mode at random. Every row measured in every round, in a fresh order each round, and the
// median of the round medians with their spread, is a number that repeats or says it does not.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace coreduel {

/// One (mechanism, size) cell of the lab, as indices into the options' lists.
struct IpcCell {
    std::size_t mechanism = 0;
    std::size_t size = 0;
    friend bool operator==(const IpcCell&, const IpcCell&) = default;
};

/// Every cell once per round, each round in its own order, drawn from `seed` (the same seed
/// gives the same schedule, so a run can be repeated exactly).
std::vector<std::vector<IpcCell>> interleavedSchedule(std::size_t mechanisms, std::size_t sizes,
                                                      std::size_t rounds, std::uint64_t seed);

/// A row's central value over rounds: the median of the per-round medians, with the range and
/// the quartiles of those medians.
struct RoundSpread {
    std::size_t rounds = 0;
    double medianUs = 0;
    double minUs = 0;
    double maxUs = 0;
    double q1Us = 0;
    double q3Us = 0;
};

RoundSpread aggregateRounds(std::vector<double> roundMedians);

/// Two latency modes, when the round trips fall into two well-separated clusters. What the
/// modes *mean* (both CPUs awake vs the peer woken from sleep) is a reading of the latency, not
/// something the lab observes.
struct LatencyModes {
    bool twoModes = false;
    double fastUs = 0;  ///< median of the fast cluster (or of all samples with one mode)
    double slowUs = 0;  ///< median of the slow cluster (0 with one mode)
    double fastShare = 1;
    double slowShare = 0;
    double separation = 0;  ///< Ashman's D of the two clusters, in log space
};

/// Criteria of detectModes, public so that tests and docs name the same numbers.
inline constexpr double kModeMinRatio = 3.0;       ///< slow centre / fast centre
inline constexpr double kModeMinShare = 0.10;      ///< each cluster's share of samples
inline constexpr double kModeMinSeparation = 3.0;  ///< Ashman's D (a halved normal gives 2.65)
inline constexpr std::size_t kModeMinSamples = 20;

/// How the two modes are read, for every view to say the same words. A reading, not an
/// observation: the lab sees latencies, not CPU sleep states.
inline constexpr const char* kFastModeReading = "both CPUs awake";
inline constexpr const char* kSlowModeReading = "peer woken from sleep";
inline constexpr const char* kModeReadingNote =
    "the modes' names are a reading of the latency (a ~2 us trip with both CPUs awake, tens of "
    "us when one had halted and must be woken), not observed; on a busy machine the slow mode "
    "is as likely a peer waiting for a CPU, and for large messages the gap may have other causes "
    "(page faults, caches)";

/// Splits the samples in two in log space at the point that minimises the within-cluster sum
/// of squares (exact 2-means in one dimension), and calls it two modes only when the centres
/// are at least kModeMinRatio apart, each cluster holds kModeMinShare of the samples, and the
/// clusters are separated (Ashman's D >= kModeMinSeparation): a single heavy tail, however
/// long, splits with D below that and stays one mode.
LatencyModes detectModes(std::vector<double> samplesUs);

}  // namespace coreduel
