#include "core/lessons/claim_markers.h"

#include <cctype>
#include <cstdlib>
#include <set>

namespace coreduel {

namespace {

/// A marker's expectation numbers: the first one the run did not show (null when all were),
/// and whether every number names a judgement.
struct MarkerList {
    const Judgement* against = nullptr;
    bool known = false;
};

MarkerList readList(const std::string& list, const std::vector<Judgement>& judgements) {
    MarkerList m{nullptr, !list.empty()};
    for (std::size_t p = 0; m.known && p < list.size();) {
        char* end = nullptr;
        const unsigned long n = std::strtoul(list.c_str() + p, &end, 10);
        if (end == list.c_str() + p || n < 1 || n > judgements.size()) {
            m.known = false;
            break;
        }
        if (m.against == nullptr && judgements[n - 1].finding != Finding::Shown)
            m.against = &judgements[n - 1];
        p = static_cast<std::size_t>(end - list.c_str());
        if (p < list.size() && list[p] == ',') ++p;
    }
    return m;
}

/// Ends the sentence a refused claim was the tail of ("… reached 0.84x: [[3: clause]]"): the
/// clause's lead-in punctuation goes, a full stop closes what was measured.
void closeSentence(std::string& out) {
    while (!out.empty() &&
           (out.back() == ' ' || out.back() == ':' || out.back() == ',' || out.back() == ';'))
        out.pop_back();
    if (!out.empty() && out.back() != '.' && out.back() != '\n' && out.back() != '?' &&
        out.back() != '!' && out.back() != ')')
        out += '.';
}

/// What followed the refused claim starts a sentence of its own: its joining punctuation goes
/// (". Processes …" keeps its stop, ": look at …" becomes "Look at …").
std::size_t skipJoint(const std::string& text, std::size_t at, std::string& out,
                      bool sentenceClosed) {
    if (at < text.size() &&
        (text[at] == '.' || text[at] == ':' || text[at] == ';' || text[at] == ','))
        ++at;
    while (at < text.size() && text[at] == ' ') ++at;
    if (at < text.size() && text[at] != '\n') {
        out += sentenceClosed ? " " : "";
        if (std::islower(static_cast<unsigned char>(text[at])) && text[at] != '{') {
            out += static_cast<char>(std::toupper(static_cast<unsigned char>(text[at])));
            ++at;
        }
    }
    return at;
}

}  // namespace

std::string applyClaimMarkers(const std::string& text, const std::vector<Judgement>& judgements,
                              bool reasonsToldAbove) {
    std::string out;
    std::set<const Judgement*> said;  // a reason is given once, not after every claim it refuses
    std::size_t at = 0;
    while (true) {
        const std::size_t open = text.find("[[", at);
        const std::size_t close = open == std::string::npos ? open : text.find("]]", open);
        const std::size_t colon = close == std::string::npos ? close : text.find(':', open);
        if (open == std::string::npos || close == std::string::npos || colon > close) break;
        out += text.substr(at, open - at);
        const std::string sentence = text.substr(colon + 1, close - colon - 1);
        const MarkerList m = readList(text.substr(open + 2, colon - open - 2), judgements);
        at = close + 2;
        if (m.known && m.against == nullptr) {
            const std::size_t lead = sentence.find_first_not_of(' ');
            out += lead == std::string::npos ? std::string() : sentence.substr(lead);
            continue;
        }
        // The claim goes. Its reason, when it has one not given yet, becomes a sentence of its
        // own (never a parenthesis hung on the measured number it would seem to explain).
        closeSentence(out);
        if (m.known && !m.against->sentence.empty() && said.insert(m.against).second) {
            std::string reason = m.against->sentence;
            const std::string& why = m.against->why;
            if (reasonsToldAbove && !why.empty() && reason.size() > why.size() + 2 &&
                reason.compare(reason.size() - why.size() - 2, std::string::npos, ": " + why) == 0)
                reason.resize(reason.size() - why.size() - 2);
            reason[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(reason[0])));
            if (reason.back() != '.') reason += '.';
            out += (out.empty() || out.back() == '\n' ? "" : " ") + reason;
        }
        at = skipJoint(text, at, out, !out.empty() && out.back() != '\n');
    }
    return out + text.substr(at);
}

}  // namespace coreduel
