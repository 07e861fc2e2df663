#include "core/report/formats.h"

#include <cstdio>
#include <sstream>

#include "core/report/json_report.h"
#include "core/report/run_columns.h"
#include "core/report/table_report.h"
#include "core/workloads/params.h"

namespace coreduel {

namespace {

std::string csvField(const std::string& s) {
    if (s.find_first_of(",\"\n") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

std::string num(double v, const char* f = "%.6f") {
    char buf[64];
    std::snprintf(buf, sizeof buf, f, v);
    return buf;
}

std::string htmlEscape(const std::string& s) {
    std::string out;
    for (char c : s) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

}  // namespace

std::string toCsv(const ExperimentResult& r) {
    std::ostringstream os;
    const auto columns = runColumnsFor(kCsv, r.experiment.workload);
    for (std::size_t i = 0; i < columns.size(); ++i) os << (i ? "," : "") << columns[i]->key;
    os << '\n';
    for (const RunResult* run : r.runsInDisplayOrder()) {
        for (std::size_t i = 0; i < columns.size(); ++i) {
            const auto* c = columns[i];
            os << (i ? "," : "")
               << csvField(c->raw != nullptr ? c->raw(*run, r) : c->text(*run, r));
        }
        os << '\n';
    }
    return os.str();
}

std::string toMarkdown(const ExperimentResult& r) {
    std::ostringstream os;
    os << "# CoreDuel: " << r.experiment.workload << "\n\n";
    if (!r.experiment.params.empty()) {
        os << "Parameters:";
        for (const auto& [k, v] : r.experiment.params) os << " `" << k << "=" << v << "`";
        os << "\n\n";
    }
    const auto columns = runColumnsFor(kDocument, r.experiment.workload);
    std::string rule = "|";
    os << '|';
    for (const auto* c : columns) {
        os << ' ' << c->title << " |";
        rule += c->left ? " --- |" : " ---: |";
    }
    os << '\n' << rule << '\n';
    for (const RunResult* run : r.runsInDisplayOrder()) {
        os << '|';
        for (const auto* c : columns) os << ' ' << c->text(*run, r) << " |";
        os << '\n';
    }
    os << "\n## Verdict\n\n"
       << formatVerdict(r) << "\n## Analysis\n\n```\n"
       << formatAnalysis(r) << "```\n\n";
    const auto& env = r.environment;
    os << "## Machine\n\n"
       << env.cpuModel << ", " << env.logicalCpus << " logical CPUs (" << env.physicalCores
       << " cores), " << env.kernel << ", governor " << env.governor << ", load average "
       << num(env.loadAverage1m, "%.2f") << " at the start.\n\n"
       << "wall = steady clock around each run (worker start-up and teardown included); cpu = "
          "getrusage of the "
          "engine thread and every worker; "
       << kSpeedupEstimator << "; only for runs whose checksum matches the sequential one.\n";
    return os.str();
}

namespace {

/// The verdict's "- " lines as a list, other lines as paragraphs: sentences, not console text.
std::string verdictHtml(const std::string& verdict) {
    std::ostringstream os;
    std::istringstream in(verdict);
    std::string line;
    bool list = false;
    while (std::getline(in, line)) {
        const bool item = line.rfind("- ", 0) == 0;
        if (item != list) os << (item ? "<ul>\n" : "</ul>\n");
        list = item;
        if (item)
            os << "<li>" << htmlEscape(line.substr(2)) << "</li>\n";
        else if (!line.empty())
            os << "<p>" << htmlEscape(line) << "</p>\n";
    }
    if (list) os << "</ul>\n";
    return os.str();
}

}  // namespace

std::string toHtml(const ExperimentResult& r) {
    std::ostringstream os;
    os << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>CoreDuel: "
       << htmlEscape(r.experiment.workload)
       << "</title>\n<style>"
          "body{font-family:sans-serif;max-width:1200px;margin:2em auto;color:#222}"
          "table{border-collapse:collapse}td,th{padding:4px 10px;border-bottom:1px solid "
          "#ddd;text-align:right}"
          "td:first-child,th:first-child{text-align:left}.fail{color:#b00}pre{background:#f6f6f6;"
          "padding:1em;white-space:pre-wrap}"
          "</style></head><body>\n<h1>CoreDuel: "
       << htmlEscape(r.experiment.workload) << "</h1>\n<table><tr>";
    const auto columns = runColumnsFor(kDocument, r.experiment.workload);
    for (const auto* c : columns)
        os << "<th title=\"" << htmlEscape(c->how) << "\">" << htmlEscape(c->title) << "</th>";
    os << "</tr>\n";
    for (const RunResult* run : r.runsInDisplayOrder()) {
        os << "<tr>";
        for (const auto* c : columns)
            os << (std::string(c->key) == "status" && !run->ok ? "<td class=\"fail\">" : "<td>")
               << htmlEscape(c->text(*run, r)) << "</td>";
        os << "</tr>\n";
    }
    // The analysis and the method keep their aligned columns (pre), wrapped to the page.
    os << "</table>\n<h2>Verdict</h2>\n"
       << verdictHtml(formatVerdict(r)) << "<h2>Analysis</h2>\n<pre>"
       << htmlEscape(formatAnalysis(r)) << "</pre>\n<h2>Machine and method</h2>\n<pre>"
       << htmlEscape(formatMethod(r)) << "</pre>\n</body></html>\n";
    return os.str();
}

std::string toText(const ExperimentResult& r) {
    return formatTable(r) + "\n" + formatAnalysis(r) + formatVerdict(r);
}

const std::vector<Reporter>& reporters() {
    static const std::vector<Reporter> kReporters = {
        {"Markdown", {".md"}, &toMarkdown},
        {"HTML", {".html", ".htm"}, &toHtml},
        {"CSV", {".csv"}, &toCsv},
        {"JSON", {".json"}, [](const ExperimentResult& r) { return toJson(r).dump(2) + "\n"; }},
        {"text", {".txt"}, &toText},
    };
    return kReporters;
}

const Reporter* reporterFor(const std::string& path) {
    for (const Reporter& reporter : reporters())
        for (const std::string suffix : reporter.suffixes)
            if (path.size() >= suffix.size() &&
                path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0)
                return &reporter;
    return nullptr;
}

std::string renderForFile(const ExperimentResult& r, const std::string& path) {
    if (const Reporter* reporter = reporterFor(path)) return reporter->render(r);
    throw InvalidArgument("cannot tell the format of '" + path +
                          "' (allowed extensions: .md, .html, .csv, .json, .txt)");
}

}  // namespace coreduel
