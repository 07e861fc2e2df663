// Lesson files: reading and checking them (every error names the file and the field),
// finding them by name, and the experiment of one part at either size.

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>

#include "core/lessons/lesson.h"

#include "core/exec/interpreters.h"
#include "core/exec/mpi_executor.h"
#include "core/exec/python_executor.h"
#include "core/report/schema.h"
#include "core/stats/summary.h"
#include "core/util/errors.h"
#include "core/util/install_paths.h"
#include "core/vocab/interpreter_spec.h"
#include "core/workloads/params.h"
#include "core/workloads/workload.h"

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

/// A list of texts (a script and its arguments).
std::vector<std::string> stringList(const nlohmann::json& v, const std::string& where) {
    if (!v.is_array()) throw FileFormatError(where + ": must be a list of text");
    std::vector<std::string> out;
    for (const auto& e : v) {
        if (!e.is_string()) throw FileFormatError(where + ": must be a list of text");
        out.push_back(e.get<std::string>());
    }
    return out;
}

/// A list of worker counts (whole numbers; their range is checked with the experiment).
std::vector<unsigned> countList(const nlohmann::json& v, const std::string& where) {
    if (!v.is_array()) throw FileFormatError(where + ": must be a list of worker counts");
    std::vector<unsigned> out;
    for (const auto& e : v) {
        if (!e.is_number_unsigned() || e.get<std::uint64_t>() > 1'000'000)
            throw FileFormatError(where + ": must be a list of worker counts");
        out.push_back(e.get<unsigned>());
    }
    return out;
}

}  // namespace

/// A claim sentence ("[[N: ...]]") names expectations that exist: one that names none would
/// never show.
static void checkClaimMarkers(const Lesson& l, const std::string& path) {
    for (const std::string* text : {&l.explanation, &l.explanationWithoutPython}) {
        for (std::size_t at = text->find("[["); at != std::string::npos;
             at = text->find("[[", at + 2)) {
            const std::size_t close = text->find("]]", at);
            const std::size_t colon = text->find(':', at);
            bool ok = close != std::string::npos && colon < close && colon > at + 2;
            for (std::size_t i = at + 2; ok && i < colon; ++i) {
                const char c = (*text)[i];
                ok = (c >= '0' && c <= '9') || c == ',';
            }
            for (std::size_t i = at + 2; ok && i < colon;) {
                const std::size_t n = std::strtoul(text->c_str() + i, nullptr, 10);
                ok = n >= 1 && n <= l.expectations.size();
                i = text->find(',', i);
                i = i == std::string::npos || i > colon ? colon : i + 1;
            }
            if (!ok)
                throw FileFormatError(path + ": /explanation: \"" + text->substr(at, 20) +
                                      "…\" must be [[N: sentence]], N one of the " +
                                      std::to_string(l.expectations.size()) + " expectations");
        }
    }
}

Lesson lessonFromJson(const nlohmann::json& j, const std::string& path, const std::string& name) {
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
                                                   "explanation_without_python",
                                                   "explanation_without_mpi",
                                                   "expect"};
    for (const auto& [key, _] : j.items()) {
        if (std::find(known.begin(), known.end(), key) == known.end()) {
            throw FileFormatError(path + ": /" + key + ": unknown field");
        }
    }
    Lesson l;
    l.name = name;
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
            if (p.contains("chunksize")) {
                if (!p["chunksize"].is_number_unsigned() || p["chunksize"].get<std::size_t>() == 0)
                    throw FileFormatError(where +
                                          "/chunksize: must be a whole number of tasks "
                                          "from 1 up");
                pr.chunksize = p["chunksize"].get<std::size_t>();
            }
            l.predictions.push_back(std::move(pr));
        }
    }
    // One experiment ("experiment" + "quick"), or several parts run one after another.
    auto readPart = [&](const nlohmann::json& o, const std::string& where) {
        LessonPart part;
        if (o.contains("python")) {
            part.python = stringList(o["python"], where + "/python");
            if (part.python.empty()) throw FileFormatError(where + "/python: names no script");
            part.quickPython = part.python;
            if (o.contains("quick") && !o["quick"].is_object())
                throw FileFormatError(where + "/quick: must be an object");
            if (o.contains("quick") && o["quick"].contains("python")) {
                part.quickPython = stringList(o["quick"]["python"], where + "/quick/python");
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
            if (!q.is_object()) throw FileFormatError(where + "/quick: must be an object");
            if (q.contains("params")) {
                if (!q["params"].is_object())
                    throw FileFormatError(where +
                                          "/quick/params: must be an object of name: value");
                for (const auto& [k, v] : q["params"].items()) {
                    if (!v.is_string()) {
                        throw FileFormatError(where + "/quick/params/" + k + ": must be text");
                    }
                    part.quickParams[k] = v.get<std::string>();
                }
            }
            if (q.contains("workers"))
                part.quickWorkers = countList(q["workers"], where + "/quick/workers");
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
    // The same role for a lesson whose missing runtime is Open MPI.
    if (j.contains("explanation_without_mpi")) {
        l.explanationWithoutPython = stringField(j, "explanation_without_mpi", path);
    }
    for (std::size_t i = 0; i < l.parts.size(); ++i) {
        if (!l.parts[i].python.empty()) continue;
        try {
            validate(lessonExperiment(l, false, i));
            validate(lessonExperiment(l, true, i));
            // The workload's own checks too; a user's kernel is not loaded by being read.
            checkParams(lessonExperiment(l, false, i).workload,
                        lessonExperiment(l, false, i).params);
            checkParams(lessonExperiment(l, true, i).workload, lessonExperiment(l, true, i).params);
        } catch (const InvalidArgument& e) {
            throw FileFormatError(path + ": part " + std::to_string(i + 1) + ": " + e.what());
        }
    }
    // After the parts: an expectation names a part and a model it runs.
    if (j.contains("expect"))
        l.expectations = expectationsFromJson(j["expect"], path + ": /expect", l);
    checkClaimMarkers(l, path);
    return l;
}

Lesson loadLessonFile(const std::string& path) {
    return lessonFromJson(readJsonFile(path), path, fs::path(path).stem().string());
}

std::string lessonsDirectory() {
    if (const char* env = std::getenv("COREDUEL_LESSONS"); env != nullptr && *env != '\0')
        return env;
    return (fs::path(dataDirectory()) / "lessons").string();
}

std::string examplesDirectory() {
    return (fs::path(lessonsDirectory()).parent_path() / "examples").string();
}

std::vector<Lesson> loadLessons(const std::string& dir, std::vector<std::string>* broken) {
    std::vector<std::string> files;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        if (entry.path().extension() == ".json") files.push_back(entry.path().string());
    }
    if (ec) throw InvalidArgument("cannot read the lessons folder " + dir + ": " + ec.message());
    std::sort(files.begin(), files.end());
    std::vector<Lesson> lessons;
    for (const std::string& f : files) {
        try {
            lessons.push_back(loadLessonFile(f));
        } catch (const std::exception& e) {
            if (broken == nullptr) throw;
            broken->push_back(e.what());
        }
    }
    return lessons;
}

Lesson findLesson(const std::string& name, const std::string& dir) {
    std::string names;
    std::vector<std::string> broken;
    for (Lesson& l : loadLessons(dir, &broken)) {
        const auto dash = l.name.find('-');
        const std::string bare = dash == std::string::npos ? l.name : l.name.substr(dash + 1);
        if (name == l.name || name == bare) return std::move(l);
        names += (names.empty() ? "" : ", ") + bare;
    }
    // The lesson asked for may be one that did not load: its own error says why.
    for (const std::string& why : broken)
        if (why.find("-" + name + ".json") != std::string::npos ||
            why.find("/" + name + ".json") != std::string::npos)
            throw InvalidArgument(why);
    throw InvalidArgument("no lesson '" + name + "' (lessons: " + names + ")");
}

namespace {

/// A lesson's name for the free-threaded interpreter, in an experiment's "python" list.
const std::string kFreeThreaded = "free-threaded";

}  // namespace

Experiment lessonExperiment(const Lesson& lesson, bool quick, std::size_t part) {
    const LessonPart& p = lesson.parts.at(part);
    Experiment e = p.experiment;
    if (quick) {
        for (const auto& [k, v] : p.quickParams) e.params[k] = v;
        if (!p.quickWorkers.empty()) e.workerCounts = p.quickWorkers;
        // Enough repetitions to tell a difference from scatter (the evidence rules need them),
        // but no more: a quick lesson is a two-minute demonstration.
        e.repetitions = std::min<unsigned>(e.repetitions, kMinRepetitionsForInterval);
        e.warmups = 0;
    }
    // Without an interpreter the py: runs could only fail: the native half of the part still
    // runs, and the lesson explains itself without Python (lessonRanWithoutPython).
    // With several interpreters (the interpreter axis), those that are missing are left out
    // and the others run.
    if (std::any_of(e.models.begin(), e.models.end(), isPython)) {
        std::vector<std::string> found;
        for (auto spec : splitInterpreters(e.python)) {
            // "free-threaded" in a lesson: whichever free-threaded CPython this machine has
            // (interpreters.h); without one the part runs without it and the lesson's
            // explanation_without_python says how to get one.
            if (InterpreterSpec is = parseInterpreterSpec(spec); is.python == kFreeThreaded) {
                const std::string path = findFreeThreadedPython();
                if (path.empty()) continue;
                spec = path + spec.substr(kFreeThreaded.size());
            }
            try {
                resolvePython(parseInterpreterSpec(spec).python);
                found.push_back(spec);
            } catch (const InvalidArgument&) {
            }
        }
        if (found.empty()) {
            std::erase_if(e.models, isPython);
            if (e.models.empty()) e.models = {Model::Sequential};
        } else {
            e.python.clear();
            for (const auto& spec : found) e.python += (e.python.empty() ? "" : ",") + spec;
        }
    }
    // Likewise the mpi runs without Open MPI.
    if (std::find(e.models.begin(), e.models.end(), Model::Mpi) != e.models.end() &&
        !mpiUnavailableReason(e.mpirun).empty()) {
        std::erase(e.models, Model::Mpi);
        if (e.models.empty()) e.models = {Model::Sequential};
    }
    return e;
}

bool lessonRanWithoutPython(const Lesson& lesson, const std::vector<ExperimentResult>& parts) {
    for (std::size_t i = 0; i < lesson.parts.size() && i < parts.size(); ++i) {
        const LessonPart& p = lesson.parts[i];
        if (!p.python.empty() && parts[i].runs.empty()) return true;
        const auto& asked = p.experiment.models;
        const auto& ran = parts[i].experiment.models;
        if (std::any_of(asked.begin(), asked.end(), isPython) &&
            std::none_of(ran.begin(), ran.end(), isPython))
            return true;
        const auto has = [](const std::vector<Model>& v, Model m) {
            return std::find(v.begin(), v.end(), m) != v.end();
        };
        if (has(asked, Model::Mpi) && !has(ran, Model::Mpi)) return true;
    }
    return false;
}

}  // namespace coreduel
