// The evidence rules (see evidence.h): what a run needs before a lesson may state a cause or
// an agreement, and the plain sentence it gets when it lacks it.

#include "core/lessons/evidence.h"

#include <cstdio>
#include <cstdlib>

#include "core/run/machine_load.h"
#include "core/stats/summary.h"

namespace coreduel {

namespace {

std::string format(double v, int decimals) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, v);
    return buffer;
}

bool meets(double v, const ClaimBound& b) {
    return (!b.atLeast || v >= *b.atLeast) && (!b.atMost || v <= *b.atMost);
}

Judgement cannot(Finding f, const std::string& claim, const std::string& why) {
    return {f, "this run cannot tell whether " + claim + ": " + why, why};
}

/// Rule 4: an interval that reaches across a bound leaves both sides possible.
bool straddles(const Interval& i, const ClaimBound& b) {
    if (!i.hasRange) return false;
    const auto across = [&](double bound) { return i.low < bound && i.high >= bound; };
    return (b.atLeast && across(*b.atLeast)) || (b.atMost && across(*b.atMost));
}

}  // namespace

bool isTiming(const std::string& quantity) {
    return quantity == "speedup" || quantity == "wall" || quantity == "cpu" ||
           quantity == "startup" || quantity == "launch";
}

Judgement judgeClaim(const std::string& claim, const Evidence& e, const ClaimBound& bound) {
    if (e.stopped)
        return {Finding::Stopped,
                "the run was stopped before its end, so it says nothing about whether " + claim,
                "the run was stopped"};
    const bool held = meets(e.value, bound);
    if (isTiming(e.quantity)) {
        if (e.repetitions < kMinRepetitionsForInterval)
            return cannot(Finding::CannotTell, claim,
                          "each configuration ran " + std::to_string(e.repetitions) +
                              (e.repetitions == 1 ? " time" : " times") + ", and it takes " +
                              std::to_string(kMinRepetitionsForInterval) +
                              " to tell a difference from the scatter between runs");
        // A start-up is its own measurement; speedups and times are read against the baseline.
        const bool againstBaseline = e.quantity != "startup" && e.quantity != "launch";
        if (againstBaseline && e.baselineWallSeconds >= 0 && e.baselineWallSeconds < e.floorSeconds)
            return cannot(Finding::CannotTell, claim,
                          "the sequential baseline took " + format(e.baselineWallSeconds * 1e3, 0) +
                              " ms, below the " + format(e.floorSeconds * 1e3, 0) +
                              " ms where start-up and clock resolution outweigh the work");
        // Other programs slow the parallel runs most (they need several cores at once): a
        // speedup reached despite them stands; anything else they could have caused.
        const bool despiteLoad =
            held && e.quantity == "speedup" && !e.ratio && bound.atLeast && !bound.atMost;
        if (e.otherProgramsCpuPct >= kBusyOtherProgramsPct && !despiteLoad)
            return cannot(Finding::Busy, claim,
                          "other programs used " + format(e.otherProgramsCpuPct, 0) +
                              " % of the CPUs during it, enough to explain the numbers either "
                              "way");
    }
    if (e.interval && straddles(*e.interval, bound))
        return cannot(Finding::CannotTell, claim,
                      "the 95 % interval of the measurement, " + format(e.interval->low, 2) +
                          " to " + format(e.interval->high, 2) +
                          ", reaches both sides of the bound");
    if (held) return {Finding::Shown, claim, ""};
    return {Finding::NotShown, "this run did not show that " + claim, "the measurement did not"};
}

std::string applyClaimMarkers(const std::string& text, const std::vector<Judgement>& judgements) {
    std::string out;
    std::size_t at = 0;
    while (true) {
        const std::size_t open = text.find("[[", at);
        const std::size_t close = open == std::string::npos ? open : text.find("]]", open);
        const std::size_t colon = close == std::string::npos ? close : text.find(':', open);
        if (open == std::string::npos || close == std::string::npos || colon > close) break;
        out += text.substr(at, open - at);
        const std::string sentence = text.substr(colon + 1, close - colon - 1);
        std::string list = text.substr(open + 2, colon - open - 2);
        const Judgement* against = nullptr;
        bool known = !list.empty();
        for (std::size_t p = 0; known && p < list.size();) {
            char* end = nullptr;
            const unsigned long n = std::strtoul(list.c_str() + p, &end, 10);
            if (end == list.c_str() + p || n < 1 || n > judgements.size()) {
                known = false;
                break;
            }
            if (against == nullptr && judgements[n - 1].finding != Finding::Shown)
                against = &judgements[n - 1];
            p = static_cast<std::size_t>(end - list.c_str());
            if (p < list.size() && list[p] == ',') ++p;
        }
        const std::size_t lead = sentence.find_first_not_of(' ');
        if (known && against == nullptr)
            out += lead == std::string::npos ? std::string() : sentence.substr(lead);
        else if (known && !against->sentence.empty())
            out += "(" + against->sentence + ")";
        at = close + 2;
    }
    return out + text.substr(at);
}

}  // namespace coreduel
