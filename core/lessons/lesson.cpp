#include "core/lessons/lesson.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <regex>

#include "core/report/schema.h"
#include "core/workloads/params.h"

#ifndef COREDUEL_SOURCE_DIR
#define COREDUEL_SOURCE_DIR "."
#endif

namespace coreduel {
namespace fs = std::filesystem;

namespace {

std::string stringField(const nlohmann::json& j, const char* key, const std::string& where,
                        bool required = true) {
    if (!j.contains(key)) {
        if (required) throw FileFormatError(where + ": /" + key + ": missing");
        return {};
    }
    if (!j[key].is_string()) throw FileFormatError(where + ": /" + key + ": must be text");
    return j[key].get<std::string>();
}

/// The worker count a placeholder names, among those measured for `model`.
std::optional<unsigned> resolveWorkers(const ExperimentResult& r, Model model,
                                       const std::string& workers) {
    std::vector<unsigned> measured;
    for (const ConfigSummary& c : r.analysis.configs) {
        if (c.model == model && c.wall.n > 0) measured.push_back(c.workers);
    }
    if (measured.empty()) return std::nullopt;
    std::sort(measured.begin(), measured.end());
    if (workers == "max") return measured.back();
    if (workers == "cores") {
        const unsigned cores = std::max(1u, r.environment.logicalCpus);
        std::optional<unsigned> best;
        for (unsigned n : measured) {
            if (n <= cores) best = n;
        }
        return best ? best : measured.front();
    }
    char* end = nullptr;
    const unsigned long n = std::strtoul(workers.c_str(), &end, 10);
    if (end == workers.c_str() || *end != '\0') return std::nullopt;
    return static_cast<unsigned>(n);
}

std::string format(double v, int decimals) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, v);
    return buffer;
}

}  // namespace

Lesson loadLessonFile(const std::string& path) {
    const nlohmann::json j = readJsonFile(path);
    if (!j.is_object()) throw FileFormatError(path + ": a lesson is a JSON object");
    if (stringField(j, "schema", path) != kLessonSchema) {
        throw FileFormatError(path + ": /schema: must be \"" + kLessonSchema + "\"");
    }
    static const std::vector<std::string> known = {"schema",   "title",       "claim",
                                                   "question", "predictions", "experiment",
                                                   "quick",    "explanation", "chart"};
    for (const auto& [key, _] : j.items()) {
        if (std::find(known.begin(), known.end(), key) == known.end()) {
            throw FileFormatError(path + ": /" + key + ": unknown field");
        }
    }
    Lesson l;
    l.name = fs::path(path).stem().string();
    l.title = stringField(j, "title", path);
    l.claim = stringField(j, "claim", path);
    l.question = stringField(j, "question", path);
    l.explanation = stringField(j, "explanation", path);
    if (j.contains("chart")) {
        l.chart = stringField(j, "chart", path);
        static const std::vector<std::string> charts = {"cores", "timeline", "speedup", "breakdown",
                                                        "resources"};
        if (std::find(charts.begin(), charts.end(), l.chart) == charts.end()) {
            throw FileFormatError(path + ": /chart: must be cores, timeline, speedup, breakdown "
                                         "or resources");
        }
    }
    if (!j.contains("experiment")) throw FileFormatError(path + ": /experiment: missing");
    l.experiment = experimentFromJson(j["experiment"], path + ": /experiment");
    if (j.contains("predictions")) {
        if (!j["predictions"].is_array())
            throw FileFormatError(path + ": /predictions: must be a list");
        for (std::size_t i = 0; i < j["predictions"].size(); ++i) {
            const auto& p = j["predictions"][i];
            const std::string where = path + ": /predictions/" + std::to_string(i);
            Prediction pr;
            pr.prompt = stringField(p, "prompt", where);
            try {
                pr.model = parseModel(stringField(p, "model", where));
            } catch (const InvalidArgument& e) {
                throw FileFormatError(where + "/model: " + e.what());
            }
            if (p.contains("workers")) pr.workers = stringField(p, "workers", where);
            l.predictions.push_back(std::move(pr));
        }
    }
    if (j.contains("quick")) {
        const auto& q = j["quick"];
        if (q.contains("params")) {
            for (const auto& [k, v] : q["params"].items()) {
                if (!v.is_string())
                    throw FileFormatError(path + ": /quick/params/" + k + ": must be text");
                l.quickParams[k] = v.get<std::string>();
            }
        }
        if (q.contains("workers")) l.quickWorkers = q["workers"].get<std::vector<unsigned>>();
    }
    // Both sizes must be runnable experiments: a lesson that fails only in class is worse
    // than one that fails here.
    try {
        validate(lessonExperiment(l, false));
        validate(lessonExperiment(l, true));
    } catch (const InvalidArgument& e) {
        throw FileFormatError(path + ": " + e.what());
    }
    return l;
}

std::string lessonsDirectory() {
    if (const char* env = std::getenv("COREDUEL_LESSONS"); env != nullptr && *env != '\0')
        return env;
    return std::string(COREDUEL_SOURCE_DIR) + "/resources/lessons";
}

std::vector<Lesson> loadLessons(const std::string& dir) {
    std::vector<std::string> files;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        if (entry.path().extension() == ".json") files.push_back(entry.path().string());
    }
    if (ec) throw InvalidArgument("cannot read the lessons folder " + dir + ": " + ec.message());
    std::sort(files.begin(), files.end());
    std::vector<Lesson> lessons;
    for (const std::string& f : files) lessons.push_back(loadLessonFile(f));
    return lessons;
}

Lesson findLesson(const std::string& name, const std::string& dir) {
    std::string names;
    for (Lesson& l : loadLessons(dir)) {
        const auto dash = l.name.find('-');
        const std::string bare = dash == std::string::npos ? l.name : l.name.substr(dash + 1);
        if (name == l.name || name == bare) return std::move(l);
        names += (names.empty() ? "" : ", ") + bare;
    }
    throw InvalidArgument("no lesson '" + name + "' (lessons: " + names + ")");
}

Experiment lessonExperiment(const Lesson& lesson, bool quick) {
    Experiment e = lesson.experiment;
    if (quick) {
        for (const auto& [k, v] : lesson.quickParams) e.params[k] = v;
        if (!lesson.quickWorkers.empty()) e.workerCounts = lesson.quickWorkers;
        e.repetitions = 1;
        e.warmups = 0;
    }
    return e;
}

std::optional<double> lessonValue(const ExperimentResult& r, const std::string& quantity,
                                  Model model, const std::string& workers) {
    const auto n = resolveWorkers(r, model, workers);
    if (!n) return std::nullopt;
    const ConfigSummary* config = nullptr;
    for (const ConfigSummary& c : r.analysis.configs) {
        if (c.model == model && c.workers == *n && c.wall.n > 0) {
            config = &c;
            break;
        }
    }
    if (config == nullptr) return std::nullopt;
    if (quantity == "speedup") {
        if (model == Model::Sequential) return 1.0;
        return config->speedup ? std::optional<double>(config->speedup->value) : std::nullopt;
    }
    if (quantity == "efficiency") {
        if (model == Model::Sequential) return 100.0;
        return config->efficiency ? std::optional<double>(100 * config->efficiency->value)
                                  : std::nullopt;
    }
    if (quantity == "wall") return config->wall.median;
    if (quantity == "cpu") return config->cpu.median;
    // Per-run fields: the mean over that configuration's verified runs.
    double sum = 0;
    int count = 0;
    for (const RunResult& run : r.runs) {
        if (!run.ok || run.config.model != model || run.config.workers != *n) continue;
        if (quantity == "rss") {
            sum += static_cast<double>(run.enginePeakRssKib + run.workersPeakRssKib) / 1024.0;
        } else if (quantity == "startup") {
            sum += run.meanStartupSeconds * 1e3;
        } else {
            return std::nullopt;
        }
        ++count;
    }
    if (count == 0) return std::nullopt;
    return sum / count;
}

std::string fillExplanation(const std::string& text, const ExperimentResult& r) {
    static const std::regex placeholder(R"(\{([a-z]+)(?::([a-z-]+):([a-z0-9]+))?\})");
    std::string out;
    auto begin = std::sregex_iterator(text.begin(), text.end(), placeholder);
    std::size_t last = 0;
    for (auto it = begin; it != std::sregex_iterator(); ++it) {
        const std::smatch& m = *it;
        out += text.substr(last, static_cast<std::size_t>(m.position()) - last);
        last = static_cast<std::size_t>(m.position() + m.length());
        const std::string quantity = m[1];
        if (!m[2].matched) {
            if (quantity == "cores") {
                out += std::to_string(r.environment.logicalCpus);
            } else if (quantity == "tasks") {
                out += r.runs.empty() ? std::string("?") : std::to_string(r.runs.front().tasks);
            } else {
                throw InvalidArgument("unknown placeholder " + m.str());
            }
            continue;
        }
        Model model;
        try {
            model = parseModel(m[2]);
        } catch (const InvalidArgument&) {
            throw InvalidArgument("placeholder " + m.str() + ": unknown model");
        }
        const auto v = lessonValue(r, quantity, model, m[3]);
        if (!v) throw InvalidArgument("placeholder " + m.str() + ": not measured in this run");
        const int decimals = quantity == "speedup"                             ? 2
                             : (quantity == "efficiency" || quantity == "rss") ? 0
                                                                               : 2;
        out += format(*v, decimals);
    }
    out += text.substr(last);
    return out;
}

std::string comparePrediction(const Prediction& p, double predicted, const ExperimentResult& r) {
    const auto measured = lessonValue(r, "speedup", p.model, p.workers);
    std::string line = std::string(toString(p.model)) + " x" +
                       std::to_string(resolveWorkers(r, p.model, p.workers).value_or(0)) +
                       ": you predicted " + format(predicted, 2) + "x, ";
    if (!measured) return line + "not measured (the run failed or was left out)";
    line += "measured " + format(*measured, 2) + "x";
    if (*measured > 0) {
        const double off = 100.0 * (predicted - *measured) / *measured;
        line += " (" + std::string(off >= 0 ? "+" : "") + format(off, 0) + " %)";
    }
    return line;
}

}  // namespace coreduel
