#include "core/lessons/explanation_parts.h"

#include <algorithm>
#include <cstdlib>

namespace coreduel {

namespace {

/// The pieces of `text` that end a sentence or a line, each with the white space after it.
std::vector<std::string> sentences(const std::string& text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    int marker = 0;  // inside "[[ … ]]"
    int brace = 0;   // inside "{ … }"
    const auto endAt = [&](std::size_t last) {
        std::size_t next = last + 1;
        while (next < text.size() && text[next] == ' ') ++next;
        if (next < text.size() && text[next] == '\n') ++next;
        out.push_back(text.substr(start, next - start));
        start = next;
        return next;
    };
    for (std::size_t i = 0; i < text.size();) {
        const char c = text[i];
        const bool spaceAfter = i + 1 >= text.size() || text[i + 1] == ' ' || text[i + 1] == '\n';
        if (text.compare(i, 2, "[[") == 0) {
            ++marker;
            i += 2;
        } else if (marker > 0 && text.compare(i, 2, "]]") == 0) {
            --marker;
            // A claim written as a whole sentence ends one.
            const bool whole = i > 0 && text[i - 1] == '.' && marker == 0;
            i = whole && (i + 2 >= text.size() || text[i + 2] == ' ' || text[i + 2] == '\n')
                    ? endAt(i + 1)
                    : i + 2;
        } else if (c == '{') {
            ++brace;
            ++i;
        } else if (c == '}') {
            brace = std::max(0, brace - 1);
            ++i;
        } else if (marker == 0 && brace == 0 &&
                   (c == '\n' || ((c == '.' || c == '!' || c == '?') && spaceAfter))) {
            i = endAt(i);
        } else {
            ++i;
        }
    }
    if (start < text.size()) out.push_back(text.substr(start));
    return out;
}

/// The last part (1-based) a sentence quotes; 0 when it quotes none.
std::size_t lastPartQuoted(const std::string& s, const Lesson& lesson) {
    std::size_t part = 0;
    for (std::size_t open = s.find('{'); open != std::string::npos; open = s.find('{', open + 1)) {
        const std::size_t close = s.find('}', open);
        if (close == std::string::npos) break;
        const std::string p = s.substr(open + 1, close - open - 1);
        const std::size_t at = p.find('@');
        if (at != std::string::npos)
            part = std::max<std::size_t>(part, std::strtoul(p.c_str() + at + 1, nullptr, 10));
        else if (p.find(':') != std::string::npos)
            part = std::max<std::size_t>(part, 1);
    }
    for (std::size_t open = s.find("[["); open != std::string::npos;
         open = s.find("[[", open + 2)) {
        const char* p = s.c_str() + open + 2;
        while (true) {
            char* end = nullptr;
            const unsigned long n = std::strtoul(p, &end, 10);
            if (end == p) break;
            if (n >= 1 && n <= lesson.expectations.size()) {
                const Expectation& e = lesson.expectations[n - 1];
                part = std::max(part, e.ref.part);
                if (e.than) part = std::max(part, e.than->part);
            }
            if (*end != ',') break;
            p = end + 1;
        }
    }
    return part;
}

}  // namespace

std::vector<std::string> explanationByPart(const std::string& text, const Lesson& lesson) {
    std::vector<std::string> out(std::max<std::size_t>(1, lesson.parts.size()));
    std::size_t current = 1;
    for (const std::string& s : sentences(text)) {
        const std::size_t quoted = lastPartQuoted(s, lesson);
        if (quoted != 0) current = std::min(quoted, out.size());
        out[current - 1] += s;
    }
    for (std::string& s : out)
        while (!s.empty() && (s.back() == ' ' || s.back() == '\n')) s.pop_back();
    return out;
}

}  // namespace coreduel
