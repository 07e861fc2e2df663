#pragma once
// A lesson's explanation told part by part (presentation mode shows each part's words over
// that part's chart): which sentences quote which part.

#include <string>
#include <vector>

#include "core/lessons/lesson.h"

namespace coreduel {

/// Splits `text` (a lesson's explanation, placeholders and claim markers still unfilled) into
/// one text per part of `lesson`, in order. A sentence (or a line of a table) belongs to the
/// last part it quotes — a placeholder's "@N" ({speedup@2:…}; one without "@" but with a model
/// reads part 1) or the parts a claim marker's expectations compare ([[N: …]]); a sentence that
/// quotes none continues the one before it (the first goes with part 1). A comparison across
/// parts is therefore told with the later part, once both have been shown.
[[nodiscard]] std::vector<std::string> explanationByPart(const std::string& text,
                                                         const Lesson& lesson);

}  // namespace coreduel
