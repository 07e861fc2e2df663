#pragma once
// Lessons: ready experiments that make one claim of the multiprocessing guide visible, kept
// as data (resources/lessons/*.json), never as code. A lesson has a question, optional
// predictions the student makes before running, the experiment (and a reduced "quick" size
// for tests and slow machines), and an explanation whose numbers are filled in from what was
// just measured on this machine:
//   {speedup:threads:2}     speedup of a model at a worker count ("cores": the largest
//                           measured count not above this machine's cores; "max": the largest)
//   {efficiency:MODEL:N} [%], {wall:MODEL:N} [s], {cpu:MODEL:N} [s] (user + system),
//   {rss:MODEL:N} [MiB] (engine + workers peak RSS), {startup:MODEL:N} [ms] (per worker),
//   {cores} (logical CPUs), {tasks} (tasks per run), {taskus} (µs per task, sequential)
//   {fit:MODEL} the fitted serial fraction ("25.5 %"), {predicted:MODEL} "2.3x on 4 cores" (a
//   worker per core) (both say "no fit (why)" when the measurements do not follow the law),
//   {param:NAME} a workload parameter as given, {summary:MODEL:N} that run's own account
//   (e.g. "counter: 8793835 of 16000000, 7206165 updates lost")
//   {pywall@N} [s] and {pycpu@N} [s] of a real-Python part, {pyspeedup@N} the first Python
//   part's wall time over part N's
// A lesson may have several parts (experiments run one after another, e.g. without and with
// a lock); "@2" picks the part a placeholder reads: {summary@2:threads:2}. Default: part 1.
// A placeholder whose number was not measured is an error, never a blank.
// A sentence that states a cause or an agreement the run must back ("the real GIL does what
// the model does") is written "[[4,5: sentence]]": it is shown only when expectations 4 and 5
// (1-based, in "expect" order) were shown under the evidence rules (evidence.h); otherwise the
// run's own "this run cannot tell whether …, because …" takes its place.

#include <atomic>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/run/experiment.h"
#include "core/run/result.h"

namespace coreduel {

inline constexpr const char* kLessonSchema = "coreduel.lesson/1";

struct Prediction {
    std::string prompt;  ///< "How much faster will 2 processes be than sequential?"
    Model model = Model::Processes;
    std::string workers = "cores";         ///< as in placeholders: a number, "cores" or "max"
    std::optional<std::size_t> chunksize;  ///< when the lesson measures several
};

/// One configuration of one part, as an expectation names it.
struct LessonRef {
    std::size_t part = 1;  ///< 1-based, as in placeholders
    Model model = Model::Threads;
    std::string workers = "cores";         ///< a number, "cores" or "max"
    std::optional<std::size_t> chunksize;  ///< when the part measures several
};

/// What the lesson's conclusion needs a run to show, so that an explanation is never given
/// for a result that did not happen. In a lesson file ("expect": [...]):
///   {"says": "threads use both cores", "model": "threads", "workers": "cores",
///    "at_least": 1.3, "needs_cores": 2}
///   {"says": "...", "part": 4, "model": "processes", "workers": "2",
///    "than": {"part": 1, "model": "processes", "workers": "2"}, "at_least": 2}
///   {"says": "...", "part": 1, "model": "threads", "workers": "2",
///    "summary_contains": "updates lost"}
/// The value is `quantity` (speedup, wall, cpu, startup, rss) of the configuration, or its
/// ratio to the same quantity of `than`; the bounds are inclusive.
struct Expectation {
    std::string says;  ///< the conclusion in words: "threads use both cores"
    LessonRef ref;
    std::string quantity = "speedup";
    std::optional<LessonRef> than;
    std::optional<double> atLeast;
    std::optional<double> atMost;
    std::string summaryContains;  ///< instead of bounds: the run's own account says this
    unsigned needsCores = 1;      ///< fewer CPUs cannot show it (not a failure of the claim)
};

struct LessonPart {
    std::string label;  ///< "without a lock"; empty for a one-part lesson
    /// A real-Python part: a script of resources/examples/ and its arguments, run with python3
    /// under the profiler instead of an experiment. Empty for an experiment part.
    std::vector<std::string> python;
    std::vector<std::string> quickPython;  ///< the script and arguments at the quick size
    Experiment experiment;
    std::map<std::string, std::string> quickParams;  ///< replaces params in --quick runs
    std::vector<unsigned> quickWorkers;              ///< replaces worker counts when set
};

struct Lesson {
    std::string name;   ///< file stem: what `coreduel-cli lesson NAME` takes
    std::string title;  ///< "The GIL and CPU-bound work"
    std::string claim;  ///< the guide's claim, in its words
    std::string question;
    std::vector<Prediction> predictions;  ///< each asks for a speedup [x], of part 1
    std::vector<LessonPart> parts;        ///< at least one
    std::string explanation;              ///< with placeholders
    /// Used instead when a runtime the lesson needs is not installed: python3 for its Python
    /// parts (explanation_without_python), Open MPI for its mpi runs (explanation_without_mpi).
    std::string explanationWithoutPython;
    /// The chart that shows the point (presentation mode, handout): "cores", "timeline",
    /// "speedup", "breakdown" or "resources".
    std::string chart = "speedup";
    /// What a run must show for the explanation to hold (empty: nothing checkable).
    std::vector<Expectation> expectations;
};

/// How a run's numbers compare with what the lesson's conclusion needs.
struct LessonVerdict {
    enum class Outcome {
        Shown,         ///< every expectation held (or the lesson has none)
        Busy,          ///< not shown, and other programs used a share of the CPUs above
                       ///< kBusyOtherProgramsPct: the machine, not the claim, is the likely cause
        TooFewCores,   ///< not shown, and this machine lacks the cores the claim needs
        Contradicted,  ///< not shown on a quiet machine: the measurement contradicts the claim
        CannotTell,    ///< too few repetitions, too small a baseline or too wide an interval to
                       ///< say either way (evidence.h), and nothing contradicted
        Stopped,       ///< a part was stopped before its end: neither shown nor failed
    };
    Outcome outcome = Outcome::Shown;
    std::vector<std::string> failures;  ///< one line each: what was measured, what was expected
    double otherProgramsCpuPct = -1;    ///< the busiest part's; -1: not measured
    std::string text;                   ///< the whole explanation to show
    /// The same told part by part (explanationByPart), for a screen per part: the verdict and
    /// part 1's sentences first; a part with no sentence of its own is empty. One page when
    /// the lesson has one part or was stopped.
    std::vector<std::string> pages;
};

/// Reads one lesson file; errors name the file and the field (FileFormatError).
Lesson loadLessonFile(const std::string& path);
/// The same from a parsed document: `where` prefixes errors, `name` becomes Lesson::name.
Lesson lessonFromJson(const nlohmann::json& j, const std::string& where, const std::string& name);
/// The lessons folder: $COREDUEL_LESSONS, else dataDirectory()/lessons (installed or source).
std::string lessonsDirectory();
/// Every lesson in `dir`, sorted by file name (the numbering is the teaching order). A file
/// that does not load (a damaged file, a workload this build lacks) is left out and its error
/// added to `broken` when given — one bad lesson never takes the others with it; without
/// `broken` the first bad file throws.
std::vector<Lesson> loadLessons(const std::string& dir = lessonsDirectory(),
                                std::vector<std::string>* broken = nullptr);
/// By name (file stem, with or without its "NN-" number); throws InvalidArgument listing them.
Lesson findLesson(const std::string& name, const std::string& dir = lessonsDirectory());

/// The experiment of one part: as written, or reduced (quick).
/// Part `part`'s experiment at full or quick size; without a Python interpreter its py: models,
/// without Open MPI its mpi model, are left out (see lessonRanWithoutPython).
Experiment lessonExperiment(const Lesson& lesson, bool quick, std::size_t part = 0);
/// True when a part meant to run real Python or MPI ranks did not (no interpreter, no Open
/// MPI): the lesson then explains itself without them and checks no py: or mpi expectation.
bool lessonRanWithoutPython(const Lesson& lesson, const std::vector<ExperimentResult>& parts);

/// python3 on PATH, or empty when it is not installed.
std::string pythonExecutable();
/// The examples folder the Python parts' scripts are in (next to the lessons).
std::string examplesDirectory();
/// Runs a real-Python part under the profiler; its one run carries wall and CPU time, and the
/// script's exit status as ok/error. Throws InvalidArgument when python3 is missing.
ExperimentResult runPythonPart(const Lesson& lesson, std::size_t part, bool quick,
                               const std::atomic<bool>* cancel = nullptr);

/// The number a placeholder or prediction names, from a finished result; nullopt when that
/// configuration was not measured (or failed).
std::optional<double> lessonValue(const ExperimentResult& r, const std::string& quantity,
                                  Model model, const std::string& workers);
/// The result as one chunk size sees it: the sequential baseline and the runs with that chunk
/// size only (a lesson that compares chunk sizes names which one it means).
ExperimentResult onlyChunksize(const ExperimentResult& r, std::size_t chunksize);
/// The measured speedup a prediction is about (its model, workers and chunk size).
std::optional<double> predictionValue(const Prediction& p, const ExperimentResult& r);
/// Fills every placeholder from the parts' results (in part order); throws InvalidArgument
/// naming the first that cannot be filled.
std::string fillExplanation(const std::string& text, const std::vector<ExperimentResult>& parts);
std::string fillExplanation(const std::string& text, const ExperimentResult& r);

/// Reads a lesson file's "expect" list; errors name the place (FileFormatError).
std::vector<Expectation> expectationsFromJson(const nlohmann::json& v, const std::string& where,
                                              const Lesson& lesson);
/// Checks the expectations against the parts' results through the evidence rules
/// (evidence.h) and writes the explanation: when the run did not show the conclusion, first
/// what was measured against what was expected and the likely cause (a busy machine, too few
/// cores, or none: a contradiction) or why the run cannot tell, then the lesson's explanation
/// framed as what the guide expects, its "[[N: claim]]" sentences kept only where expectation N
/// was shown. A stopped part gives "stopped", never a failure. `noPython`: use
/// explanation_without_python.
LessonVerdict explainOutcome(const Lesson& lesson, const std::vector<ExperimentResult>& parts,
                             bool noPython = false);
/// The worker count a placeholder's "cores", "max" or number means among those measured.
std::optional<unsigned> lessonWorkers(const ExperimentResult& r, Model model,
                                      const std::string& workers);

/// "you predicted 2.0x, measured 1.94x (off by 3 %)"
std::string comparePrediction(const Prediction& p, double predicted, const ExperimentResult& r);

}  // namespace coreduel
