#include "core/workloads/params.h"

#include <charconv>
#include <cmath>
#include <sstream>

namespace coreduel {

namespace {

bool parseInt(const std::string& text, std::int64_t& out) {
    const char* first = text.data();
    const char* last = first + text.size();
    auto [ptr, ec] = std::from_chars(first, last, out);
    return ec == std::errc() && ptr == last && !text.empty();
}

bool parseDouble(const std::string& text, double& out) {
    if (text.empty()) return false;
    std::size_t used = 0;
    try {
        out = std::stod(text, &used);
    } catch (const std::exception&) {
        return false;
    }
    return used == text.size() && std::isfinite(out);
}

std::vector<std::string> splitList(const std::string& text) {
    std::vector<std::string> parts;
    std::stringstream ss(text);
    std::string item;
    while (std::getline(ss, item, ',')) parts.push_back(item);
    if (!text.empty() && text.back() == ',') parts.emplace_back();
    return parts;
}

std::string formatNumber(double v) {
    if (v == std::floor(v) && std::fabs(v) < 1e18) return std::to_string(static_cast<long long>(v));
    std::ostringstream os;
    os << v;
    return os.str();
}

}  // namespace

std::pair<std::string, std::string> splitKeyValue(const std::string& text) {
    const auto eq = text.find('=');
    if (eq == std::string::npos || eq == 0)
        throw InvalidArgument("parameter '" + text + "' must be written as name=value");
    return {text.substr(0, eq), text.substr(eq + 1)};
}

ParamValues::ParamValues(std::string workload, std::vector<ParamSpec> specs,
                         const std::map<std::string, std::string>& given, bool passThrough)
    : m_workload(std::move(workload)), m_specs(std::move(specs)) {
    for (const auto& [name, value] : given) {
        bool known = false;
        for (const auto& s : m_specs) known = known || s.name == name;
        if (!known && passThrough) {
            m_values[name] = value;
        } else if (!known) {
            std::string allowed;
            for (const auto& s : m_specs) allowed += (allowed.empty() ? "" : ", ") + s.name;
            throw InvalidArgument(m_workload + ": unknown parameter '" + name +
                                  "' (allowed: " + (allowed.empty() ? "none" : allowed) + ")");
        }
    }
    for (const auto& s : m_specs) {
        auto it = given.find(s.name);
        const std::string text = it != given.end() ? it->second : s.defaultValue;
        validate(s, text);
        m_values[s.name] = text;
    }
}

std::string ParamValues::rangeText(const ParamSpec& s) const {
    std::string unit = s.unit.empty() ? "" : " " + s.unit;
    return formatNumber(s.min) + " to " + formatNumber(s.max) + unit;
}

void ParamValues::validate(const ParamSpec& s, const std::string& text) const {
    const std::string where = m_workload + ": parameter '" + s.name + "'";
    auto checkRange = [&](double v, const std::string& shown) {
        if (v < s.min || v > s.max)
            throw InvalidArgument(where + " must be from " + rangeText(s) + " (got " + shown + ")");
    };
    switch (s.kind) {
        case ParamKind::Int: {
            std::int64_t v = 0;
            if (!parseInt(text, v))
                throw InvalidArgument(where + " must be an integer from " + rangeText(s) +
                                      " (got '" + text + "')");
            checkRange(static_cast<double>(v), text);
            break;
        }
        case ParamKind::Double: {
            double v = 0;
            if (!parseDouble(text, v))
                throw InvalidArgument(where + " must be a number from " + rangeText(s) + " (got '" +
                                      text + "')");
            checkRange(v, text);
            break;
        }
        case ParamKind::IntList: {
            const auto parts = splitList(text);
            if (parts.empty())
                throw InvalidArgument(where + " must be a comma-separated list of integers");
            for (const auto& p : parts) {
                std::int64_t v = 0;
                if (!parseInt(p, v))
                    throw InvalidArgument(where +
                                          " must be a comma-separated list of integers from " +
                                          rangeText(s) + " (got '" + p + "')");
                checkRange(static_cast<double>(v), p);
            }
            if (parts.size() > static_cast<std::size_t>(1) << 20)
                throw InvalidArgument(where + " has more than 1048576 elements");
            break;
        }
        case ParamKind::String:
        case ParamKind::Path:
            break;
    }
}

const ParamSpec& ParamValues::spec(const std::string& name) const {
    for (const auto& s : m_specs)
        if (s.name == name) return s;
    throw std::logic_error(m_workload + ": no parameter '" + name + "' declared");
}

std::int64_t ParamValues::getInt(const std::string& name) const {
    (void)spec(name);
    std::int64_t v = 0;
    parseInt(m_values.at(name), v);
    return v;
}

double ParamValues::getDouble(const std::string& name) const {
    (void)spec(name);
    double v = 0;
    parseDouble(m_values.at(name), v);
    return v;
}

std::vector<std::int64_t> ParamValues::getIntList(const std::string& name) const {
    (void)spec(name);
    std::vector<std::int64_t> out;
    for (const auto& p : splitList(m_values.at(name))) {
        std::int64_t v = 0;
        parseInt(p, v);
        out.push_back(v);
    }
    return out;
}

const std::string& ParamValues::getString(const std::string& name) const {
    (void)spec(name);
    return m_values.at(name);
}

}  // namespace coreduel
