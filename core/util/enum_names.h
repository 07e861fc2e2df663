#pragma once
// One table per enum gives its names, its parser and the "allowed:" list of its error message,
// so the three can never disagree.

#include <span>
#include <string>
#include <string_view>

#include "core/util/errors.h"

namespace coreduel {

template <class E>
struct EnumName {
    E value;
    const char* name;
};

template <class E>
const char* enumName(std::span<const EnumName<E>> table, E value) {
    for (const auto& e : table)
        if (e.value == value) return e.name;
    return "?";
}

/// "a, b, c": what a user may type.
template <class E>
std::string enumAllowed(std::span<const EnumName<E>> table) {
    std::string s;
    for (const auto& e : table) s += (s.empty() ? "" : ", ") + std::string(e.name);
    return s;
}

/// The value named `text`; throws InvalidArgument("unknown <what> 'text' (allowed: ...)").
template <class E>
E parseEnum(std::span<const EnumName<E>> table, std::string_view text, std::string_view what) {
    for (const auto& e : table)
        if (text == e.name) return e.value;
    throw InvalidArgument("unknown " + std::string(what) + " '" + std::string(text) +
                          "' (allowed: " + enumAllowed(table) + ")");
}

}  // namespace coreduel
