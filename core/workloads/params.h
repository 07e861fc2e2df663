#pragma once
// Workload parameters: each workload declares what it accepts (type, default, range, unit),
// and user input is checked against that before anything runs.

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/util/errors.h"

namespace coreduel {

enum class ParamKind { Int, Double, IntList, String, Path };

struct ParamSpec {
    std::string name;
    ParamKind kind = ParamKind::Int;
    std::string defaultValue;  ///< as the user would type it
    double min = 0;            ///< inclusive; for IntList: per element
    double max = 0;            ///< inclusive; ignored for String and Path
    std::string unit;          ///< "ms", "KiB", "" for plain counts
    std::string help;
    /// Not typed: recorded by a run (which file ran: its hash and size) or set from elsewhere
    /// (the experiment's interpreter). Shown, never edited, in the window.
    bool recorded = false;
};

/// Validated parameter values, every declared parameter present (defaults filled in).
class ParamValues {
public:
    ParamValues() = default;
    /// `passThrough`: names not declared are kept as given text instead of refused (a native
    /// kernel's own parameters, which only the kernel can check).
    ParamValues(std::string workload, std::vector<ParamSpec> specs,
                const std::map<std::string, std::string>& given, bool passThrough = false);

    [[nodiscard]] std::int64_t getInt(const std::string& name) const;
    [[nodiscard]] double getDouble(const std::string& name) const;
    [[nodiscard]] std::vector<std::int64_t> getIntList(const std::string& name) const;
    [[nodiscard]] const std::string& getString(const std::string& name) const;
    /// Every parameter as text, defaults included: what a worker process needs to rebuild
    /// the same workload, and what a result file records.
    [[nodiscard]] const std::map<std::string, std::string>& all() const { return m_values; }

private:
    [[nodiscard]] const ParamSpec& spec(const std::string& name) const;
    [[nodiscard]] std::string rangeText(const ParamSpec& s) const;
    void validate(const ParamSpec& s, const std::string& text) const;

    std::string m_workload;
    std::vector<ParamSpec> m_specs;
    std::map<std::string, std::string> m_values;
};

/// "a=1" -> {"a","1"}; throws InvalidArgument for text without '='.
std::pair<std::string, std::string> splitKeyValue(const std::string& text);

}  // namespace coreduel
