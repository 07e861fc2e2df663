#include "app/lesson_command.h"

#include <iostream>
#include <memory>

#include "app/run_command.h"
#include "core/lessons/lesson.h"
#include "core/lessons/lesson_run.h"
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

/// The lesson's question and the predictions it asks, with the user's.
void printIntroduction(const Lesson& lesson, const LessonOptions& o) {
    std::cout << "== " << lesson.title << " ==\n\nThe guide: " << lesson.claim << "\n\n"
              << "Question: " << lesson.question << "\n";
    for (const Prediction& p : lesson.predictions) {
        const auto it = o.predictions.find(toString(p.model));
        std::cout << "  predict: " << p.prompt;
        if (it != o.predictions.end()) std::cout << "  -> you: " << it->second << "x";
        std::cout << "   (--predict " << toString(p.model) << "=X)\n";
    }
    std::cout << '\n' << std::flush;
}

/// Runs the step LessonRun names and hands it its result; prints what the part did.
void runStep(LessonRun& run, const LessonRun::Step& step, SessionRecorder* session) {
    switch (step.kind) {
        case LessonRun::Kind::SkipPython: {
            std::cout << "python3 is not installed: this part is skipped (on Debian: sudo "
                         "apt-get install python3)\n";
            ExperimentResult skipped;
            if (session != nullptr) session->recordResultPart(skipped, "skipped");
            run.partDone(std::move(skipped));
            return;
        }
        case LessonRun::Kind::Python: {
            ExperimentResult r = runPythonPart(run.lesson(), step.part, run.quick());
            if (session != nullptr) session->recordResultPart(r, "python");
            const RunResult& one = r.runs.front();
            std::cout << one.workload << ": wall " << one.wallSeconds << " s, CPU "
                      << one.cpuUserSeconds + one.cpuSystemSeconds << " s"
                      << (one.ok ? "" : " — " + one.error) << "\n\n";
            run.partDone(std::move(r));
            return;
        }
        case LessonRun::Kind::Experiment: {
            ExperimentResult r = runWithProgress(step.experiment, false, session);
            std::cout << formatTable(r) << '\n' << formatVerdict(r) << '\n';
            run.partDone(std::move(r));
            return;
        }
    }
}

/// Which interpreter was missing: python3, or one the lesson names (a free-threaded one);
/// the explanation says how to get it.
std::string missingInterpreterNote() {
    if (pythonExecutable().empty())
        return "(python3 is not installed: the real-interpreter runs were left out; on Debian: "
               "sudo apt-get install python3)\n";
    return "(an interpreter this lesson asks for is missing: its runs were left out)\n";
}

}  // namespace

int runLessonCommand(const LessonOptions& o) {
    if (o.name.empty()) {
        std::vector<std::string> broken;
        for (const Lesson& l : loadLessons(lessonsDirectory(), &broken)) {
            std::cout << l.name << "\n  " << l.title << "\n  " << l.question << "\n";
        }
        for (const std::string& why : broken)
            std::cerr << "coreduel-cli: left out: " << why << '\n';
        return broken.empty() ? 0 : 1;
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
    printIntroduction(lesson, o);
    // One session for the whole lesson: each part appends to it as it runs, so a crash in part
    // 2 still leaves part 1 whole. Part 1's recorder is made now: a path that cannot be written
    // is refused before anything runs.
    std::unique_ptr<SessionRecorder> recorder;
    if (!o.session.empty())
        recorder = std::make_unique<SessionRecorder>(o.session, lessonPartInfo(lesson, o.quick, 0));
    LessonRun run(lesson, o.quick, !pythonExecutable().empty());
    while (const auto step = run.next()) {
        if (!lesson.parts[step->part].label.empty())
            std::cout << "-- part " << step->part + 1 << ": " << lesson.parts[step->part].label
                      << " --\n";
        if (!o.session.empty() && step->part > 0)
            recorder = std::make_unique<SessionRecorder>(o.session, step->session);
        runStep(run, *step, recorder.get());
    }
    if (run.end() == LessonRun::End::Stopped) {
        // Stopped, not failed: the lesson says so in its own words (no claim, no cause); 130
        // as for Ctrl-C.
        std::cout << "What happened: " << run.outcomeText() << '\n';
        return 130;
    }
    if (run.end() == LessonRun::End::Failed) {
        std::cout << run.outcomeText() << '\n';
        return 1;
    }
    if (!o.output.empty()) {
        writeFileAtomically(o.output, renderForFile(run.results().back(), o.output));
        std::cerr << "result written to " << o.output << " (the last part)\n";
    }
    if (run.withoutPython() && !lesson.parts.empty()) std::cout << missingInterpreterNote();
    const std::string explanation = run.outcomeText();
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
    // Only the predictions the user made: the others are not news on a terminal.
    std::vector<std::optional<double>> predicted;
    for (const Prediction& p : lesson.predictions) {
        const auto it = o.predictions.find(toString(p.model));
        predicted.push_back(it == o.predictions.end() ? std::nullopt
                                                      : std::optional<double>(it->second));
    }
    const auto lines = run.predictionLines(predicted);
    bool first = true;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (!predicted[i]) continue;
        if (first) std::cout << "\nYour predictions:\n";
        first = false;
        std::cout << "  " << lines[i] << '\n';
    }
    return 0;
}

}  // namespace coreduel::app
