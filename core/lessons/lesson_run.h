#pragma once
// One run of a lesson, part by part: which part runs next and how (an engine experiment, a
// real-Python script, or a Python part skipped without python3), where each part goes in the
// lesson's session, when the lesson ends (finished, stopped, failed) and what it concluded.
// The CLI drives it in a loop and the window from its events; neither sequences parts or words
// the ending itself.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/lessons/lesson.h"
#include "core/session/session.h"

namespace coreduel {

class LessonRun {
public:
    /// `pythonFound`: python3 is on PATH (its Python parts run, else they are skipped).
    LessonRun(Lesson lesson, bool quick, bool pythonFound);
    /// A lesson run that already ended with these parts' results (a reopened session's).
    static LessonRun ended(Lesson lesson, bool quick, std::vector<ExperimentResult> parts);

    enum class Kind {
        Experiment,  ///< an engine experiment (Step::experiment)
        Python,      ///< a script under the profiler (runPythonPart)
        SkipPython,  ///< a Python part without python3: an empty result keeps parts numbered
    };
    struct Step {
        std::size_t part = 0;
        Kind kind = Kind::Experiment;
        Experiment experiment;    ///< Kind::Experiment only
        SessionPartInfo session;  ///< where the part goes in the lesson's session
    };
    /// The part to run now; nullopt once the lesson has ended.
    [[nodiscard]] std::optional<Step> next() const;
    /// The part next() named has ended with `r` (for SkipPython: an empty result with the
    /// machine's environment). A stopped part ends the lesson as stopped, a failed run (or a
    /// script that failed) as failed.
    void partDone(ExperimentResult r);
    /// The lesson cannot go on (a part could not start): it ends as failed, with `why`.
    void fail(std::string why);

    enum class End { Running, Finished, Stopped, Failed };
    [[nodiscard]] End end() const { return m_end; }
    [[nodiscard]] const Lesson& lesson() const { return m_lesson; }
    [[nodiscard]] bool quick() const { return m_quick; }
    [[nodiscard]] const std::vector<ExperimentResult>& results() const { return m_results; }
    /// A Python part was skipped or a part's py:/mpi models were left out: the lesson explains
    /// itself without them.
    [[nodiscard]] bool withoutPython() const;
    /// What the lesson concluded, checked against its evidence (explainOutcome); a stopped
    /// lesson says so without a claim; a failed one explains nothing from incomplete numbers.
    [[nodiscard]] std::string outcomeText() const;
    /// The same told part by part (LessonVerdict::pages: the verdict with part 1's sentences,
    /// then each later part's); one page when the lesson did not finish.
    [[nodiscard]] std::vector<std::string> outcomePages() const;
    /// One line per prediction the lesson asks (about part 1): the user's against the
    /// measurement, or the measurement alone where the user predicted nothing.
    [[nodiscard]] std::vector<std::string> predictionLines(
        const std::vector<std::optional<double>>& predicted) const;

private:
    Lesson m_lesson;
    bool m_quick = false;
    bool m_pythonFound = false;
    std::vector<ExperimentResult> m_results;
    bool m_skipped = false;
    End m_end = End::Running;
    std::string m_failure;
};

/// Where part `part` of `lesson` goes in its session: the manifest names the lesson and parts.
SessionPartInfo lessonPartInfo(const Lesson& lesson, bool quick, std::size_t part);

}  // namespace coreduel
