#pragma once
// Further renderings of a result, next to the text table and JSON: CSV (one row per run),
// Markdown and a self-contained HTML page (for reports and slides).

#include <string>

#include "core/run/result.h"

namespace coreduel {

std::string toCsv(const ExperimentResult& r);
std::string toMarkdown(const ExperimentResult& r);
std::string toHtml(const ExperimentResult& r);

/// Picks the renderer from a file name's extension (.md .html .csv .json .txt); throws
/// InvalidArgument naming the allowed ones.
std::string renderForFile(const ExperimentResult& r, const std::string& path);

}  // namespace coreduel
