#pragma once
// The claim markers of a lesson's explanation: a sentence written "[[N: ...]]" stays only when
// expectation N was shown by the run's evidence (core/run/evidence.h, the one set of rules).

#include <string>
#include <vector>

#include "core/run/evidence.h"

namespace coreduel {

/// Replaces every "[[N: sentence]]" (N: 1-based expectation numbers, comma-separated) of a
/// lesson's explanation: the sentence stays when every expectation it names was Shown, and is
/// replaced otherwise by the first other judgement's plain sentence, as a sentence of its own
/// ("… reached 0.84x: [[3: clause]]." becomes "… reached 0.84x. This run cannot tell whether
/// …: why."), each reason once however many claims it refuses; so a claim written into the
/// explanation ("the real GIL does what the model does") appears only with its evidence.
/// A number that names no judgement keeps the sentence out (the run has nothing to back it).
/// `reasonsToldAbove`: the verdict before this text already gave every refused claim's reason
/// (tellUndecided), so each is named here without it ("This run cannot tell whether …."): on a
/// busy machine the same "other programs used 61 % …" followed every claim again.
[[nodiscard]] std::string applyClaimMarkers(const std::string& text,
                                            const std::vector<Judgement>& judgements,
                                            bool reasonsToldAbove = false);

}  // namespace coreduel
