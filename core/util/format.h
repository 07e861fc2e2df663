#pragma once
// printf-style text of one number for the text reports and the verdict ("%.2fx" -> "1.83x"):
// one helper, so every sentence rounds a value the same way.

#include <cstdio>
#include <string>

namespace coreduel {

inline std::string formatNumber(const char* format, double value) {
    char buf[64];
    std::snprintf(buf, sizeof buf, format, value);
    return buf;
}

}  // namespace coreduel
