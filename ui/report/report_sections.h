#pragma once
// The report's tables and appendices, built from a result: per-configuration statistics and
// the scaling fits (the body), then every run, where the time went, kernel counters, how the
// statistics were made, the environment and the experiment (the appendices). Cells are plain
// text; report_pdf.cpp and report_html.cpp lay them out.

#include <vector>

#include "core/run/result.h"
#include "ui/report/report_document.h"

namespace coreduel::ui {

std::vector<ReportSection> resultSections(const ExperimentResult& result);
std::vector<ReportSection> appendixSections(const ExperimentResult& result);

}  // namespace coreduel::ui
