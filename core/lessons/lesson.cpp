#include "core/lessons/lesson.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <regex>

#include <sys/wait.h>
#include <unistd.h>

#include "core/measure/profiler.h"
#include "core/report/schema.h"
#include "core/workloads/params.h"
#include "core/workloads/workload.h"

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
    static const std::vector<std::string> known = {"schema",
                                                   "title",
                                                   "claim",
                                                   "question",
                                                   "predictions",
                                                   "experiment",
                                                   "quick",
                                                   "explanation",
                                                   "chart",
                                                   "parts",
                                                   "explanation_without_python"};
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
            throw FileFormatError(path +
                                  ": /chart: must be cores, timeline, speedup, breakdown "
                                  "or resources");
        }
    }
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
    // One experiment ("experiment" + "quick"), or several parts run one after another.
    auto readPart = [&](const nlohmann::json& o, const std::string& where) {
        LessonPart part;
        if (o.contains("python")) {
            part.python = o["python"].get<std::vector<std::string>>();
            if (part.python.empty()) throw FileFormatError(where + "/python: names no script");
            part.quickPython = part.python;
            if (o.contains("quick") && o["quick"].contains("python")) {
                part.quickPython = o["quick"]["python"].get<std::vector<std::string>>();
            }
            for (const auto* argv : {&part.python, &part.quickPython}) {
                if (argv->empty() || !fs::exists(fs::path(examplesDirectory()) / argv->front())) {
                    throw FileFormatError(where + "/python: no script " +
                                          (argv->empty() ? std::string("(none)") : argv->front()) +
                                          " in " + examplesDirectory());
                }
            }
            if (o.contains("label")) part.label = stringField(o, "label", where);
            return part;
        }
        if (!o.contains("experiment")) throw FileFormatError(where + "/experiment: missing");
        part.experiment = experimentFromJson(o["experiment"], where + "/experiment");
        if (o.contains("label")) part.label = stringField(o, "label", where);
        if (o.contains("quick")) {
            const auto& q = o["quick"];
            if (q.contains("params")) {
                for (const auto& [k, v] : q["params"].items()) {
                    if (!v.is_string()) {
                        throw FileFormatError(where + "/quick/params/" + k + ": must be text");
                    }
                    part.quickParams[k] = v.get<std::string>();
                }
            }
            if (q.contains("workers"))
                part.quickWorkers = q["workers"].get<std::vector<unsigned>>();
        }
        return part;
    };
    if (j.contains("parts") == j.contains("experiment")) {
        throw FileFormatError(path + ": give either /experiment or /parts");
    }
    if (j.contains("experiment")) {
        l.parts.push_back(readPart(j, path + ": "));
    } else {
        if (!j["parts"].is_array() || j["parts"].empty()) {
            throw FileFormatError(path + ": /parts: must be a non-empty list");
        }
        for (std::size_t i = 0; i < j["parts"].size(); ++i) {
            l.parts.push_back(readPart(j["parts"][i], path + ": /parts/" + std::to_string(i)));
        }
    }
    // Both sizes must be runnable experiments: a lesson that fails only in class is worse
    // than one that fails here.
    if (j.contains("explanation_without_python")) {
        l.explanationWithoutPython = stringField(j, "explanation_without_python", path);
    }
    for (std::size_t i = 0; i < l.parts.size(); ++i) {
        if (!l.parts[i].python.empty()) continue;
        try {
            validate(lessonExperiment(l, false, i));
            validate(lessonExperiment(l, true, i));
            // The workload's own parameter checks too (a mode name, a range).
            createWorkload(lessonExperiment(l, false, i).workload,
                           lessonExperiment(l, false, i).params);
            createWorkload(lessonExperiment(l, true, i).workload,
                           lessonExperiment(l, true, i).params);
        } catch (const InvalidArgument& e) {
            throw FileFormatError(path + ": part " + std::to_string(i + 1) + ": " + e.what());
        }
    }
    return l;
}

std::string lessonsDirectory() {
    if (const char* env = std::getenv("COREDUEL_LESSONS"); env != nullptr && *env != '\0')
        return env;
    return std::string(COREDUEL_SOURCE_DIR) + "/resources/lessons";
}

std::string examplesDirectory() {
    return (fs::path(lessonsDirectory()).parent_path() / "examples").string();
}

std::string pythonExecutable() {
    const char* path = std::getenv("PATH");
    std::string dirs = path != nullptr ? path : "/usr/bin:/bin";
    std::size_t start = 0;
    while (start <= dirs.size()) {
        const auto end = dirs.find(':', start);
        const std::string dir =
            dirs.substr(start, end == std::string::npos ? std::string::npos : end - start);
        const std::string candidate = (dir.empty() ? std::string(".") : dir) + "/python3";
        if (::access(candidate.c_str(), X_OK) == 0) return candidate;
        if (end == std::string::npos) break;
        start = end + 1;
    }
    return {};
}

ExperimentResult runPythonPart(const Lesson& lesson, std::size_t part, bool quick,
                               const std::atomic<bool>* cancel) {
    const LessonPart& p = lesson.parts.at(part);
    const std::string python = pythonExecutable();
    if (python.empty()) {
        throw InvalidArgument("python3 is not installed (on Debian: sudo apt-get install python3)");
    }
    std::vector<std::string> argv = quick ? p.quickPython : p.python;
    argv.front() = (fs::path(examplesDirectory()) / argv.front()).string();
    argv.insert(argv.begin(), python);
    ProfileOptions options;
    options.argv = argv;
    const ProfileRun run = profileOnce(options, cancel);
    ExperimentResult r;
    r.environment = probeEnvironment();
    RunResult rr;
    rr.workload = "python: " + (quick ? p.quickPython : p.python).front();
    rr.wallSeconds = run.wallSeconds;
    rr.cpuUserSeconds = run.cpuUserSeconds;
    rr.cpuSystemSeconds = run.cpuSystemSeconds;
    rr.maxProcessRssKib = run.maxRssKib;
    rr.ok = WIFEXITED(run.exitStatus) && WEXITSTATUS(run.exitStatus) == 0;
    rr.cancelled = cancel != nullptr && cancel->load();
    rr.error =
        rr.ok ? ""
              : "python3 " + argv[1] + " failed (status " + std::to_string(run.exitStatus) + ")";
    rr.summary = rr.workload + ": " + std::to_string(run.processes.size()) + " processes seen";
    r.runs.push_back(rr);
    r.cancelled = rr.cancelled;
    return r;
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

Experiment lessonExperiment(const Lesson& lesson, bool quick, std::size_t part) {
    const LessonPart& p = lesson.parts.at(part);
    Experiment e = p.experiment;
    if (quick) {
        for (const auto& [k, v] : p.quickParams) e.params[k] = v;
        if (!p.quickWorkers.empty()) e.workerCounts = p.quickWorkers;
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

namespace {

/// The summary of the first verified run of a configuration.
std::optional<std::string> runSummary(const ExperimentResult& r, Model model,
                                      const std::string& workers) {
    const auto n = resolveWorkers(r, model, workers);
    if (!n) return std::nullopt;
    for (const RunResult& run : r.runs) {
        if (run.ok && run.config.model == model && run.config.workers == *n) return run.summary;
    }
    return std::nullopt;
}

}  // namespace

std::string fillExplanation(const std::string& text, const std::vector<ExperimentResult>& parts) {
    static const std::regex placeholder(
        R"(\{([a-z]+)(?:@([0-9]+))?(?::([a-z_-]+)(?::([a-z0-9]+))?)?\})");
    std::string out;
    std::size_t last = 0;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), placeholder);
         it != std::sregex_iterator(); ++it) {
        const std::smatch& m = *it;
        out += text.substr(last, static_cast<std::size_t>(m.position()) - last);
        last = static_cast<std::size_t>(m.position() + m.length());
        const std::string quantity = m[1];
        const std::size_t part = m[2].matched ? std::stoul(m[2]) : 1;
        if (part < 1 || part > parts.size()) {
            throw InvalidArgument("placeholder " + m.str() + ": no part " + std::to_string(part));
        }
        const ExperimentResult& r = parts[part - 1];
        if (!m[3].matched &&
            (quantity == "pywall" || quantity == "pycpu" || quantity == "pyspeedup")) {
            if (r.runs.size() != 1 || !r.runs.front().ok) {
                throw InvalidArgument("placeholder " + m.str() + ": part " + std::to_string(part) +
                                      " is not a finished Python part");
            }
            const RunResult& run = r.runs.front();
            if (quantity == "pywall") {
                out += format(run.wallSeconds, 2);
            } else if (quantity == "pycpu") {
                out += format(run.cpuUserSeconds + run.cpuSystemSeconds, 2);
            } else {
                // Against the first Python part: the sequential script by convention.
                const ExperimentResult* first = nullptr;
                for (const ExperimentResult& e : parts) {
                    if (e.runs.size() == 1 && e.runs.front().workload.rfind("python: ", 0) == 0) {
                        first = &e;
                        break;
                    }
                }
                if (first == nullptr || run.wallSeconds <= 0) {
                    throw InvalidArgument("placeholder " + m.str() + ": no Python baseline");
                }
                out += format(first->runs.front().wallSeconds / run.wallSeconds, 2);
            }
            continue;
        }
        if (!m[3].matched) {
            if (quantity == "cores") {
                out += std::to_string(r.environment.logicalCpus);
            } else if (quantity == "taskus") {
                // How long one task took on its own: the sequential run's median wall / tasks.
                const auto wall = lessonValue(r, "wall", Model::Sequential, "1");
                if (!wall || r.runs.empty() || r.runs.front().tasks == 0) {
                    throw InvalidArgument("placeholder " + m.str() + ": no sequential run");
                }
                out += format(*wall / static_cast<double>(r.runs.front().tasks) * 1e6,
                              *wall / static_cast<double>(r.runs.front().tasks) * 1e6 < 10 ? 1 : 0);
            } else if (quantity == "tasks") {
                out += r.runs.empty() ? std::string("?") : std::to_string(r.runs.front().tasks);
            } else {
                throw InvalidArgument("unknown placeholder " + m.str());
            }
            continue;
        }
        if (quantity == "param") {
            const auto p = r.experiment.params.find(m[3]);
            if (p == r.experiment.params.end()) {
                throw InvalidArgument("placeholder " + m.str() +
                                      ": the experiment does not set it");
            }
            out += p->second;
            continue;
        }
        Model model;
        try {
            model = parseModel(m[3]);
        } catch (const InvalidArgument&) {
            throw InvalidArgument("placeholder " + m.str() + ": unknown model");
        }
        if (quantity == "fit" || quantity == "predicted") {
            // Whether the law fits is itself a measured outcome (a busy machine can make
            // processes slower than sequential): said in words, not an error.
            const ModelScaling* s = nullptr;
            for (const ModelScaling& candidate : r.analysis.scaling) {
                if (candidate.model == model) s = &candidate;
            }
            if (s == nullptr) {
                throw InvalidArgument("placeholder " + m.str() + ": this model was not measured");
            }
            const bool usable =
                s->fit.valid && s->fit.serialFraction <= 1.0 && s->fit.serialFraction >= -0.05;
            const std::string why = s->note.empty() ? "too few worker counts" : s->note;
            if (quantity == "fit") {
                out +=
                    usable ? format(100 * s->fit.serialFraction, 1) + " %" : "no fit (" + why + ")";
            } else if (usable && !s->predicted.empty()) {
                out += format(s->predicted.front().second, 2) + "x at " +
                       std::to_string(s->predicted.front().first) + " workers";
            } else {
                out += "no prediction (" + why + ")";
            }
            continue;
        }
        const std::string workers = m[4].matched ? std::string(m[4]) : std::string("max");
        if (quantity == "summary") {
            const auto text = runSummary(r, model, workers);
            if (!text)
                throw InvalidArgument("placeholder " + m.str() + ": not measured in this run");
            out += *text;
            continue;
        }
        const auto v = lessonValue(r, quantity, model, workers);
        if (!v) throw InvalidArgument("placeholder " + m.str() + ": not measured in this run");
        const int decimals = quantity == "efficiency" || quantity == "rss" ? 0 : 2;
        out += format(*v, decimals);
    }
    out += text.substr(last);
    return out;
}

std::string fillExplanation(const std::string& text, const ExperimentResult& r) {
    return fillExplanation(text, std::vector<ExperimentResult>{r});
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
