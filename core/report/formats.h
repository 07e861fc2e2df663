#pragma once
// Further renderings of a result, next to the text table and JSON: CSV (one row per run),
// Markdown and a self-contained HTML page (for reports and slides).

#include <string>
#include <vector>

#include "core/run/result.h"

namespace coreduel {

std::string toCsv(const ExperimentResult& r);
std::string toMarkdown(const ExperimentResult& r);
std::string toHtml(const ExperimentResult& r);
/// The text report: the table, the statistics and the verdict (what coreduel-cli prints).
std::string toText(const ExperimentResult& r);

/// One output format of a result, behind one interface (as Google Benchmark's console, JSON
/// and CSV reporters are): every file a result is written to goes through one of these.
struct Reporter {
    const char* name;                   ///< "Markdown"
    std::vector<const char*> suffixes;  ///< ".md"
    std::string (*render)(const ExperimentResult&);
};

/// Every reporter, in the order `--help` lists them.
const std::vector<Reporter>& reporters();
/// The reporter for a file name's suffix, or nullptr.
const Reporter* reporterFor(const std::string& path);

/// Picks the renderer from a file name's extension (.md .html .csv .json .txt); throws
/// InvalidArgument naming the allowed ones.
std::string renderForFile(const ExperimentResult& r, const std::string& path);

}  // namespace coreduel
