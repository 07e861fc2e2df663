#include "core/lessons/lesson_run.h"

#include <algorithm>
#include <iomanip>
#include <sstream>

namespace coreduel {

SessionPartInfo lessonPartInfo(const Lesson& lesson, bool quick, std::size_t part) {
    SessionPartInfo info;
    info.index = part;
    info.count = lesson.parts.size();
    info.label = lesson.parts.at(part).label;
    SessionLesson about;
    about.name = lesson.name;
    about.title = lesson.title;
    about.quick = quick;
    for (const LessonPart& p : lesson.parts) about.parts.push_back(p.label);
    info.lesson = std::move(about);
    return info;
}

LessonRun::LessonRun(Lesson lesson, bool quick, bool pythonFound)
    : m_lesson(std::move(lesson)), m_quick(quick), m_pythonFound(pythonFound) {
    if (m_lesson.parts.empty()) m_end = End::Finished;
}

LessonRun LessonRun::ended(Lesson lesson, bool quick, std::vector<ExperimentResult> parts) {
    LessonRun run(std::move(lesson), quick, true);
    for (ExperimentResult& r : parts) {
        // A session from a longer version of the lesson file: its extra parts are not this
        // lesson's.
        if (run.m_end != End::Running || run.m_results.size() >= run.m_lesson.parts.size()) break;
        // A Python part with no run was skipped: python3 was not installed where it ran.
        const std::size_t i = run.m_results.size();
        if (!run.m_lesson.parts[i].python.empty() && r.runs.empty()) run.m_skipped = true;
        run.partDone(std::move(r));
    }
    if (run.m_end == End::Running) run.m_end = End::Stopped;  // fewer parts than planned
    return run;
}

std::optional<LessonRun::Step> LessonRun::next() const {
    if (m_end != End::Running) return std::nullopt;
    Step step;
    step.part = m_results.size();
    step.session = lessonPartInfo(m_lesson, m_quick, step.part);
    if (!m_lesson.parts[step.part].python.empty()) {
        step.kind = m_pythonFound ? Kind::Python : Kind::SkipPython;
        return step;
    }
    step.experiment = lessonExperiment(m_lesson, m_quick, step.part);
    return step;
}

void LessonRun::partDone(ExperimentResult r) {
    if (m_end != End::Running || m_results.size() >= m_lesson.parts.size()) return;
    const LessonPart& part = m_lesson.parts[m_results.size()];
    if (!part.python.empty() && !m_pythonFound) m_skipped = true;
    const bool stopped = r.cancelled;
    const bool failed = !r.allOk();  // a skipped part has no runs: ok
    m_results.push_back(std::move(r));
    if (stopped)
        m_end = End::Stopped;
    else if (failed)
        m_end = End::Failed;
    else if (m_results.size() == m_lesson.parts.size())
        m_end = End::Finished;
}

void LessonRun::fail(std::string why) {
    m_failure = std::move(why);
    m_end = End::Failed;
}

bool LessonRun::withoutPython() const {
    return m_skipped || lessonRanWithoutPython(m_lesson, m_results);
}

std::string LessonRun::outcomeText() const {
    switch (m_end) {
        case End::Running:
            return "The lesson is still running.";
        case End::Failed:
            return m_failure.empty() ? "Some runs failed (see the table): no explanation from "
                                       "incomplete numbers."
                                     : "The lesson did not run to the end: " + m_failure;
        case End::Stopped:
        case End::Finished:
            break;
    }
    // Stopped: the lesson says so in its own words, with no claim and no cause.
    return explainOutcome(m_lesson, m_results, withoutPython()).text;
}

std::vector<std::string> LessonRun::outcomePages() const {
    if (m_end != End::Finished && m_end != End::Stopped) return {outcomeText()};
    return explainOutcome(m_lesson, m_results, withoutPython()).pages;
}

std::vector<std::string> LessonRun::predictionLines(
    const std::vector<std::optional<double>>& predicted) const {
    std::vector<std::string> lines;
    if (m_results.empty() || m_end != End::Finished) return lines;
    const ExperimentResult& first = m_results.front();  // predictions are about part 1
    for (std::size_t i = 0; i < m_lesson.predictions.size(); ++i) {
        const Prediction& p = m_lesson.predictions[i];
        if (i < predicted.size() && predicted[i]) {
            lines.push_back(comparePrediction(p, *predicted[i], first));
            continue;
        }
        std::ostringstream line;
        line << toString(p.model) << ": no prediction; measured ";
        if (const auto measured = predictionValue(p, first))
            line << std::fixed << std::setprecision(2) << *measured << "×";
        else
            line << "—";
        lines.push_back(line.str());
    }
    return lines;
}

}  // namespace coreduel
