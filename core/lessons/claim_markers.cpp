#include "core/lessons/claim_markers.h"

#include <cstdlib>

namespace coreduel {

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
