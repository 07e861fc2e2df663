#include "core/vocab/interpreter_spec.h"

#include <algorithm>

#include "core/util/errors.h"

namespace coreduel {

InterpreterSpec parseInterpreterSpec(const std::string& text) {
    InterpreterSpec spec;
    spec.python = text;
    // ":gil=N" at the end only: a path may hold colons elsewhere.
    const auto colon = text.rfind(":gil=");
    if (colon == std::string::npos) return spec;
    const std::string value = text.substr(colon + 5);
    if (value != "0" && value != "1")
        throw InvalidArgument("interpreter '" + text + "': gil= takes 0 or 1 (PYTHON_GIL), not '" +
                              value + "'");
    spec.python = text.substr(0, colon);
    spec.gil = value == "1";
    return spec;
}

std::vector<std::string> splitInterpreters(const std::string& list) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (true) {
        const auto comma = list.find(',', start);
        std::string part =
            list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        while (!part.empty() && part.front() == ' ') part.erase(part.begin());
        while (!part.empty() && part.back() == ' ') part.pop_back();
        if (part.empty() && !(list.empty() && out.empty()) && list.find(',') != std::string::npos)
            throw InvalidArgument("interpreters '" + list + "': an empty one in the list");
        (void)parseInterpreterSpec(part);
        if (std::find(out.begin(), out.end(), part) == out.end()) out.push_back(part);
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return out;
}

std::vector<std::string> interpreterOptions(const InterpreterSpec& spec) {
    if (!spec.gil) return {};
    return {"-X", *spec.gil ? "gil=1" : "gil=0"};
}

std::string interpreterLabel(const std::string& implementation, int major, int minor,
                             bool freeThreadedBuild, std::optional<bool> gilOption) {
    std::string name = implementation == "cpython" ? "CPython" : implementation;
    name += " " + std::to_string(major) + "." + std::to_string(minor);
    if (!freeThreadedBuild) return name;
    name += "t";
    if (gilOption) return name + (*gilOption ? " (PYTHON_GIL=1)" : " (PYTHON_GIL=0)");
    return name + " (no GIL)";
}

}  // namespace coreduel
