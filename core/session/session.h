#pragma once
// A session: everything one experiment produced, kept so it can be reopened, re-exported and
// compared later: the experiment, the environment, every run's numbers, every task event (with
// its on-CPU time and GIL waits), the exact GIL intervals, the per-core samples and the
// IPC-lab points. Written while the run goes on (SessionRecorder), read back by loadSession.
//
// Records after the manifest (session_file.h):
//   RunStarted {"run": i, "config": {...}}      TaskEvents / GilTimeline (binary, per run)
//   Samples (binary)                            RunFinished {"run": i, "result": {...}}
//   Result (the whole coreduel.result/2)        IpcLab {"points": [...]}

#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/measure/ipc_lab.h"
#include "core/run/event_sink.h"
#include "core/run/result.h"
#include "core/session/session_file.h"

namespace coreduel {

inline constexpr const char* kSessionSchema = "coreduel.session/1";

struct SessionRun {
    RunConfig config;
    std::vector<TaskEvent> events;
    std::optional<GilTimeline> gil;
    bool finished = false;  ///< its RunFinished record is in the file
};

struct Session {
    std::string path;
    nlohmann::json manifest;
    /// Runs by the index the engine gave them (warm-ups included while they ran; the result
    /// lists only reported runs).
    std::map<std::uint32_t, SessionRun> runs;
    std::vector<UtilizationSample> samples;
    std::vector<IpcMeasurement> ipcLab;
    /// The experiment's result: the stored one when it finished, else rebuilt from the runs
    /// that finished (cancelled = true).
    ExperimentResult result;
    bool complete = false;   ///< the experiment finished and its result record is there
    std::string truncation;  ///< why reading stopped early (a crash or kill), or empty
    std::size_t taskEvents = 0;
    std::uintmax_t fileBytes = 0;
};

/// Reads a session file. Throws SessionFormatError (a file that is not a session, a damaged
/// manifest) or std::system_error; a cut-off tail is kept in Session::truncation.
Session loadSession(const std::string& path);

/// True when the file starts like a session (cheap: reads its first line).
bool looksLikeSession(const std::string& path);

/// An EventSink that streams everything to a session file while the experiment runs. Task
/// events and samples are batched (a record every few thousand events or half a second); the
/// file is complete once experimentFinished has been seen, and close() (or the destructor)
/// has written everything. Safe to call from the engine and the sampler thread at once.
class SessionRecorder final : public EventSink {
public:
    explicit SessionRecorder(const std::string& path);
    ~SessionRecorder() override;

    void experimentStarted(const Experiment& e, std::size_t plannedRuns) override;
    void runStarted(std::size_t runIndex, const RunConfig& c) override;
    void taskEvents(std::size_t runIndex, std::span<const TaskEvent> events) override;
    void gilTimeline(std::size_t runIndex, const GilTimeline& timeline) override;
    void runFinished(std::size_t runIndex, const RunResult& r) override;
    void experimentFinished(const ExperimentResult& r) override;
    void utilization(const UtilizationSample& s) override;

    /// The IPC lab's points (the window's lab runs outside experiments).
    void addIpcLab(const std::vector<IpcMeasurement>& points);
    /// Writes what is pending and closes the file; throws the first write error (also one met
    /// when experimentFinished closed it). experimentFinished closes the file itself, so the
    /// session is whole before any later sink hears that the experiment ended.
    void close();
    [[nodiscard]] const std::string& path() const { return m_file.path(); }

private:
    void flushEvents();   ///< with m_mutex held
    void flushSamples();  ///< with m_mutex held
    void closeFile();     ///< with m_mutex held; keeps the error for close()

    std::mutex m_mutex;
    SessionFileWriter m_file;
    std::size_t m_eventsRun = 0;
    std::vector<TaskEvent> m_events;
    std::vector<UtilizationSample> m_samples;
    std::int64_t m_lastFlushNs = 0;
    bool m_closed = false;
    std::string m_error;
};

/// The session's JSON for one IPC-lab point, and back.
nlohmann::json toJson(const IpcMeasurement& p);
IpcMeasurement ipcMeasurementFromJson(const nlohmann::json& j);

}  // namespace coreduel
