#include "app/lesson_command.h"

#include <iostream>
#include <memory>

#include "app/run_command.h"
#include "core/lessons/lesson.h"
#include "core/report/formats.h"
#include "core/report/schema.h"
#include "core/report/table_report.h"
#include "core/session/session.h"
#include "core/util/errors.h"
#include "core/workloads/params.h"

namespace coreduel::app {

void parsePredictions(const std::vector<std::string>& values, LessonOptions& options) {
    for (const std::string& p : values) {
        const auto [model, value] = splitKeyValue(p);
        std::size_t used = 0;
        double v = -1;
        try {
            v = std::stod(value, &used);
        } catch (const std::exception&) {
        }
        if (used != value.size() || v < 0)
            throw InvalidArgument("--predict " + p + ": the speedup must be a number, e.g. 1.9");
        options.predictions[model] = v;
    }
}

namespace {

/// Where part `part` goes in the lesson's session; the manifest names the lesson and its parts.
SessionPartInfo partInfo(const Lesson& lesson, const LessonOptions& o, std::size_t part) {
    SessionPartInfo info;
    info.index = part;
    info.count = lesson.parts.size();
    info.label = lesson.parts[part].label;
    SessionLesson about;
    about.name = lesson.name;
    about.title = lesson.title;
    about.quick = o.quick;
    for (const LessonPart& p : lesson.parts) about.parts.push_back(p.label);
    info.lesson = about;
    return info;
}

}  // namespace

/// Stopped, not failed: the lesson says so in its own words (no claim, no cause); 130 as for
/// Ctrl-C.
static int sayStopped(const Lesson& lesson, const std::vector<ExperimentResult>& results) {
    std::cout << "What happened: " << explainOutcome(lesson, results).text << '\n';
    return 130;
}

int runLessonCommand(const LessonOptions& o) {
    if (o.name.empty()) {
        for (const Lesson& l : loadLessons()) {
            std::cout << l.name << "\n  " << l.title << "\n  " << l.question << "\n";
        }
        return 0;
    }
    const Lesson lesson = findLesson(o.name);
    if (!o.output.empty()) checkOutputPath(o.output);
    for (const auto& [model, value] : o.predictions) {
        bool asked = false;
        for (const Prediction& p : lesson.predictions) asked = asked || toString(p.model) == model;
        if (!asked) {
            throw InvalidArgument("this lesson asks no prediction for '" + model + "'");
        }
        if (value < 0) throw InvalidArgument("a predicted speedup cannot be negative");
    }
    std::cout << "== " << lesson.title << " ==\n\nThe guide: " << lesson.claim << "\n\n"
              << "Question: " << lesson.question << "\n";
    for (const Prediction& p : lesson.predictions) {
        const auto it = o.predictions.find(toString(p.model));
        std::cout << "  predict: " << p.prompt;
        if (it != o.predictions.end()) std::cout << "  -> you: " << it->second << "x";
        std::cout << "   (--predict " << toString(p.model) << "=X)\n";
    }
    std::cout << '\n' << std::flush;
    // One session for the whole lesson: each part appends to it as it runs, so a crash in part
    // 2 still leaves part 1 whole. Part 1's recorder is made now: a path that cannot be written
    // is refused before anything runs.
    std::unique_ptr<SessionRecorder> recorder;
    if (!o.session.empty())
        recorder = std::make_unique<SessionRecorder>(o.session, partInfo(lesson, o, 0));
    auto recorderFor = [&](std::size_t part) -> SessionRecorder* {
        if (o.session.empty()) return nullptr;
        if (part > 0)
            recorder = std::make_unique<SessionRecorder>(o.session, partInfo(lesson, o, part));
        return recorder.get();
    };
    std::vector<ExperimentResult> results;
    bool noPython = false;
    for (std::size_t part = 0; part < lesson.parts.size(); ++part) {
        if (!lesson.parts[part].label.empty()) {
            std::cout << "-- part " << part + 1 << ": " << lesson.parts[part].label << " --\n";
        }
        if (!lesson.parts[part].python.empty()) {
            SessionRecorder* session = recorderFor(part);
            if (pythonExecutable().empty()) {
                std::cout << "python3 is not installed: this part is skipped (on Debian: sudo "
                             "apt-get install python3)\n";
                noPython = true;
                results.emplace_back();
                if (session != nullptr) session->recordResultPart(results.back(), "skipped");
                continue;
            }
            results.push_back(runPythonPart(lesson, part, o.quick));
            if (session != nullptr) session->recordResultPart(results.back(), "python");
            const RunResult& run = results.back().runs.front();
            std::cout << run.workload << ": wall " << run.wallSeconds << " s, CPU "
                      << run.cpuUserSeconds + run.cpuSystemSeconds << " s"
                      << (run.ok ? "" : " — " + run.error) << "\n\n";
            if (!run.ok) return 1;
            continue;
        }
        results.push_back(
            runWithProgress(lessonExperiment(lesson, o.quick, part), false, recorderFor(part)));
        const ExperimentResult& result = results.back();
        std::cout << formatTable(result) << '\n' << formatVerdict(result) << '\n';
        if (result.cancelled) return sayStopped(lesson, results);
        if (!result.allOk()) {
            std::cout << "Some runs failed (see the table): no explanation from incomplete "
                         "numbers.\n";
            return 1;
        }
    }
    const ExperimentResult& result = results.front();  // predictions are about part 1
    (void)result;
    if (!o.output.empty()) {
        writeFileAtomically(o.output, renderForFile(results.back(), o.output));
        std::cerr << "result written to " << o.output << " (the last part)\n";
    }
    noPython = noPython || lessonRanWithoutPython(lesson, results);
    if (noPython && !lesson.parts.empty())
        std::cout << "(python3 is not installed: the real-interpreter runs were left out; on "
                     "Debian: sudo apt-get install python3)\n";
    const std::string explanation = explainOutcome(lesson, results, noPython).text;
    std::cout << "What happened: " << explanation << '\n';
    if (!o.session.empty()) {
        try {
            appendLessonOutcome(o.session, explanation);
            std::cerr << "session of all " << lesson.parts.size() << " parts written to "
                      << o.session << '\n';
        } catch (const std::exception& e) {
            std::cerr << "coreduel-cli: the session " << o.session
                      << " lacks the explanation: " << e.what() << '\n';
        }
    }
    bool first = true;
    for (const Prediction& p : lesson.predictions) {
        const auto it = o.predictions.find(toString(p.model));
        if (it == o.predictions.end()) continue;
        if (first) std::cout << "\nYour predictions:\n";
        first = false;
        std::cout << "  " << comparePrediction(p, it->second, result) << '\n';
    }
    return 0;
}

}  // namespace coreduel::app
