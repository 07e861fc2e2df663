#pragma once
// A session: everything one experiment, or every part of a lesson, produced, kept so it can be
// reopened, re-exported and compared later: the experiment, the environment, every run's
// numbers, every task event (with its on-CPU time and GIL waits), the exact GIL intervals, the
// per-core samples and the IPC-lab points. Written while the run goes on (SessionRecorder),
// read back by loadSession.
//
// Records after the manifest (session_file.h), version 2:
//   PartStarted {"part": p, "label", "kind", "experiment", "environment", "planned_runs"}
//     then that part's: RunStarted {"run": i, "config": {...}}, TaskEvents / GilTimeline
//     (binary, per run), Samples (binary), RunFinished {"run": i, "result": {...}},
//     Result (the part's whole coreduel.result/2)
//   ... the next part's PartStarted and records ...
//   IpcLab {"points": [...]} (the session's, wherever it falls)
//   LessonOutcome {"text": ...} (a lesson's explanation, once the lesson ended)
// A lone experiment is a session of one part. Version 1 (before parts) had no PartStarted: its
// manifest held the experiment and the environment, and it reads as one part.

#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/measure/ipc_lab.h"
#include "core/run/event_sink.h"
#include "core/run/result.h"
#include "core/session/session_file.h"

namespace coreduel {

inline constexpr const char* kSessionSchema = "coreduel.session/2";
inline constexpr const char* kSessionSchemaV1 = "coreduel.session/1";

struct SessionRun {
    RunConfig config;
    std::vector<TaskEvent> events;
    /// Shared, not copied: the window hands it to the timeline each time the part is shown.
    std::shared_ptr<const GilTimeline> gil;
    bool finished = false;  ///< its RunFinished record is in the file
    /// What that record says, as the engine reported it when the run ended (warm-ups too).
    std::optional<RunResult> result;
    // What damage in the file (Session::damage) cost this run; all false in an intact file.
    bool startLost = false;      ///< its RunStarted record was lost: `config` is a default
    bool eventsDamaged = false;  ///< some of its task events or GIL intervals may be lost
    /// It started, the file went on past it, its RunFinished record was lost and the part's
    /// result record does not make up for it: its totals are unknown.
    bool resultLost = false;
    /// The hole in its events (ns, the events' clock): the end of the last event read before
    /// the damage and the start of the first one after it; 0 where there is none on that side.
    std::int64_t gapFromNs = 0;
    std::int64_t gapToNs = 0;
};

/// One experiment of the session: a lesson's part, or the session's only experiment.
struct SessionPart {
    std::string label;  ///< the lesson part's label ("without a lock"); empty for a lone one
    /// "experiment"; "python": a script run under the profiler (a result, no events);
    /// "skipped": a part that could not run here (no python3), kept so parts keep their numbers
    std::string kind = "experiment";
    std::size_t plannedRuns = 0;
    /// Runs by the index the engine gave them (warm-ups included while they ran; the result
    /// lists only reported runs).
    std::map<std::uint32_t, SessionRun> runs;
    std::vector<UtilizationSample> samples;
    /// The part's result: the stored one when it finished, else rebuilt from the runs that
    /// finished (cancelled = true).
    ExperimentResult result;
    bool complete = false;  ///< the part finished and its result record is there
    std::size_t taskEvents = 0;
    /// Its PartStarted record was lost to damage: label and experiment are unknown (the
    /// experiment is its result record's when that survived, else a default one).
    bool startLost = false;
};

/// A damaged stretch of a session file: flipped bytes from a disk, a copy or an edit, with
/// whole records after it (or a last record written whole whose checksum fails). Not a cut:
/// reading went on at the next whole record, so only what was in the stretch is lost.
struct SessionDamage {
    std::uint64_t fromByte = 0;  ///< first damaged byte
    std::uint64_t toByte = 0;    ///< one past the last
    std::size_t recordsLost = 0;
    bool countKnown = false;  ///< false: the records' headers were damaged too
    /// One line for a person: where, how many records, whose (which part, which runs' events
    /// or results), and that what follows is kept.
    std::string text;
};

/// The lesson a session recorded (its manifest's "lesson"), so a reopened session can say so.
struct SessionLesson {
    std::string name;   ///< file stem, as `coreduel-cli lesson NAME` takes it
    std::string title;  ///< "The GIL and CPU-bound work"
    bool quick = false;
    std::vector<std::string> parts;  ///< every part's label, planned or not
};

struct Session {
    std::string path;
    int version = 2;  ///< of the file: 1 for a file written before parts
    nlohmann::json manifest;
    std::optional<SessionLesson> lesson;
    std::size_t plannedParts = 1;
    /// In the order they ran; at least one. A crash leaves the parts up to the one it hit.
    std::vector<SessionPart> parts;
    std::vector<IpcMeasurement> ipcLab;
    std::string lessonOutcome;          ///< the lesson's explanation as shown at its end, or empty
    bool complete = false;              ///< every planned part finished and its result is there
    std::string truncation;             ///< why reading stopped early (a crash or kill), or empty
    std::vector<SessionDamage> damage;  ///< damaged stretches, in file order; empty when none
    std::size_t taskEvents = 0;
    std::uintmax_t fileBytes = 0;
    [[nodiscard]] bool damaged() const { return !damage.empty(); }
};

/// Reads a session file (either version). Throws SessionFormatError when the file is not a
/// session (its format line), when nothing of an experiment could be read, or when its
/// manifest is of another schema; std::system_error when it cannot be read. A cut-off tail is
/// kept in Session::truncation; damage inside the file in Session::damage (and the runs'
/// flags): every whole record around it is kept.
Session loadSession(const std::string& path);
/// The same from bytes in memory; `name` stands for the path in messages.
Session parseSession(std::string_view bytes, const std::string& name);

/// Every damaged stretch, one line each ("damaged: bytes …"), then the truncation: what a
/// caller prints or shows. Empty for an intact, whole file.
std::vector<std::string> sessionLoadNotes(const Session& s);

/// True when the file starts like a session (cheap: reads its first line).
bool looksLikeSession(const std::string& path);

/// Where a recorder's experiment goes in its session: part `index` of `count`. Part 0 creates
/// the file and writes the manifest (with the lesson, when set); a later part appends to it.
struct SessionPartInfo {
    std::size_t index = 0;
    std::size_t count = 1;
    std::string label;
    std::optional<SessionLesson> lesson;  ///< written in the manifest by part 0
};

/// An EventSink that streams one experiment (a session's part) to a session file while it runs.
/// Task events and samples are batched (a record every few thousand events or half a second);
/// the part is whole once experimentFinished has been seen, and close() (or the destructor)
/// has written everything. Safe to call from the engine and the sampler thread at once.
class SessionRecorder final : public EventSink {
public:
    /// Throws std::system_error naming the file when it cannot be created or opened, and
    /// SessionFormatError when a later part's file is not a version-2 session.
    explicit SessionRecorder(const std::string& path, SessionPartInfo part = {});
    ~SessionRecorder() override;

    void experimentStarted(const Experiment& e, std::size_t plannedRuns) override;
    void runStarted(std::size_t runIndex, const RunConfig& c) override;
    void taskEvents(std::size_t runIndex, std::span<const TaskEvent> events) override;
    void gilTimeline(std::size_t runIndex, const GilTimeline& timeline) override;
    void runFinished(std::size_t runIndex, const RunResult& r) override;
    void experimentFinished(const ExperimentResult& r) override;
    void utilization(const UtilizationSample& s) override;

    /// A part that is a result only (a Python script under the profiler, `kind` "python", or a
    /// part skipped here, "skipped"): its start and its result, then the file is closed.
    void recordResultPart(const ExperimentResult& r, const std::string& kind);
    /// The IPC lab's points (the window's lab runs outside experiments).
    void addIpcLab(const std::vector<IpcMeasurement>& points);
    /// Writes what is pending and closes the file; throws the first write error (also one met
    /// when experimentFinished closed it). experimentFinished closes the file itself, so the
    /// part is whole before any later sink hears that the experiment ended.
    void close();
    [[nodiscard]] const std::string& path() const { return m_file.path(); }

private:
    void startPart(const Experiment& e, std::size_t plannedRuns, const Environment& environment,
                   const std::string& kind);  ///< with m_mutex held
    void flushEvents();                       ///< with m_mutex held
    void flushSamples();                      ///< with m_mutex held
    void closeFile();                         ///< with m_mutex held; keeps the error for close()

    std::mutex m_mutex;
    SessionPartInfo m_part;
    SessionFileWriter m_file;
    std::size_t m_eventsRun = 0;
    std::vector<TaskEvent> m_events;
    std::vector<UtilizationSample> m_samples;
    std::int64_t m_lastFlushNs = 0;
    bool m_closed = false;
    std::string m_error;
};

/// The lesson's explanation as its end showed it, added to a closed session file.
void appendLessonOutcome(const std::string& path, const std::string& text);

/// A run's configuration as a session stores it, and back.
nlohmann::json sessionConfigToJson(const RunConfig& c);
RunConfig sessionConfigFromJson(const nlohmann::json& j);

/// The session's JSON for one IPC-lab point, and back.
nlohmann::json toJson(const IpcMeasurement& p);
IpcMeasurement ipcMeasurementFromJson(const nlohmann::json& j);

}  // namespace coreduel
