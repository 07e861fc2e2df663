#include "core/report/formats.h"

#include <cstdio>
#include <sstream>

#include "core/report/json_report.h"
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

std::string hex(std::uint64_t v) {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
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
    os << "workload,model,start_method,transport,workers,chunksize,repetition,wall_seconds,cpu_"
          "user_seconds,"
          "cpu_system_seconds,speedup,efficiency,peak_rss_kib,voluntary_switches,involuntary_"
          "switches,"
          "bytes_to_workers,bytes_from_workers,checksum,ok,error\n";
    for (const RunResult* runp : r.runsInDisplayOrder()) {
        const RunResult& run = *runp;
        const bool proc = run.config.model == Model::Processes;
        os << csvField(run.workload) << ',' << toString(run.config.model) << ','
           << (proc ? toString(run.config.startMethod) : "") << ','
           << (proc ? toString(run.config.transport) : "") << ',' << run.config.workers << ','
           << run.chunksize << ',' << run.config.repetition + 1 << ',' << num(run.wallSeconds)
           << ',' << num(run.cpuUserSeconds) << ',' << num(run.cpuSystemSeconds) << ','
           << (run.speedup ? num(*run.speedup, "%.4f") : "") << ','
           << (run.efficiency ? num(*run.efficiency, "%.4f") : "") << ','
           << run.enginePeakRssKib + run.workersPeakRssKib << ',' << run.voluntarySwitches << ','
           << run.involuntarySwitches << ',' << run.bytesToWorkers << ',' << run.bytesFromWorkers
           << ',' << (run.ok ? hex(run.checksum) : "") << ',' << (run.ok ? "true" : "false") << ','
           << csvField(run.error) << '\n';
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
    os << "| model | workers | rep | wall [s] | cpu user [s] | cpu sys [s] | speedup [x] | "
          "efficiency | peak RSS [MiB] | status |\n"
       << "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n";
    for (const RunResult* runp : r.runsInDisplayOrder()) {
        const RunResult& run = *runp;
        os << "| " << modelLabel(run.config) << " | " << run.config.workers << " | "
           << run.config.repetition + 1 << " | " << num(run.wallSeconds, "%.3f") << " | "
           << num(run.cpuUserSeconds, "%.3f") << " | " << num(run.cpuSystemSeconds, "%.3f") << " | "
           << (run.speedup ? num(*run.speedup, "%.2f") : "-") << " | "
           << (run.efficiency ? num(*run.efficiency * 100, "%.0f%%") : "-") << " | "
           << num(static_cast<double>(run.enginePeakRssKib + run.workersPeakRssKib) / 1024.0,
                  "%.1f")
           << " | " << (run.ok ? "ok" : "FAILED: " + run.error) << " |\n";
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
          "engine thread and every worker; speedup = median sequential wall / wall, only for runs "
          "whose checksum "
          "matches the sequential one.\n";
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
       << htmlEscape(r.experiment.workload)
       << "</h1>\n<table><tr><th>model</th><th>workers</th><th>rep</th>"
          "<th>wall [s]</th><th>cpu user [s]</th><th>cpu sys [s]</th><th>speedup "
          "[x]</th><th>efficiency</th>"
          "<th>peak RSS [MiB]</th><th>status</th></tr>\n";
    for (const RunResult* runp : r.runsInDisplayOrder()) {
        const RunResult& run = *runp;
        os << "<tr><td>" << htmlEscape(modelLabel(run.config)) << "</td><td>" << run.config.workers
           << "</td><td>" << run.config.repetition + 1 << "</td><td>"
           << num(run.wallSeconds, "%.3f") << "</td><td>" << num(run.cpuUserSeconds, "%.3f")
           << "</td><td>" << num(run.cpuSystemSeconds, "%.3f") << "</td><td>"
           << (run.speedup ? num(*run.speedup, "%.2f") : "-") << "</td><td>"
           << (run.efficiency ? num(*run.efficiency * 100, "%.0f%%") : "-") << "</td><td>"
           << num(static_cast<double>(run.enginePeakRssKib + run.workersPeakRssKib) / 1024.0,
                  "%.1f")
           << "</td><td" << (run.ok ? ">ok" : " class=\"fail\">FAILED: " + htmlEscape(run.error))
           << "</td></tr>\n";
    }
    // The analysis and the method keep their aligned columns (pre), wrapped to the page.
    os << "</table>\n<h2>Verdict</h2>\n"
       << verdictHtml(formatVerdict(r)) << "<h2>Analysis</h2>\n<pre>"
       << htmlEscape(formatAnalysis(r)) << "</pre>\n<h2>Machine and method</h2>\n<pre>"
       << htmlEscape(formatTable(r).substr(formatTable(r).find("\nworkload:") + 1))
       << "</pre>\n</body></html>\n";
    return os.str();
}

std::string renderForFile(const ExperimentResult& r, const std::string& path) {
    auto endsWith = [&](const char* ext) {
        const std::string e = ext;
        return path.size() >= e.size() && path.compare(path.size() - e.size(), e.size(), e) == 0;
    };
    if (endsWith(".md")) return toMarkdown(r);
    if (endsWith(".html") || endsWith(".htm")) return toHtml(r);
    if (endsWith(".csv")) return toCsv(r);
    if (endsWith(".json")) return toJson(r).dump(2) + "\n";
    if (endsWith(".txt")) return formatTable(r) + "\n" + formatAnalysis(r) + formatVerdict(r);
    throw InvalidArgument("cannot tell the format of '" + path +
                          "' (allowed extensions: .md, .html, .csv, .json, .txt)");
}

}  // namespace coreduel
