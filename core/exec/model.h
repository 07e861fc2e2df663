#pragma once
// The vocabulary of an experiment: execution models, start methods, scheduling, and the
// configuration of one run.

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/ipc/channel.h"

namespace coreduel {

enum class Model { Sequential, Threads, GilThreads, Processes };
/// How worker processes come to life, as in Python's multiprocessing.
enum class StartMethod { Spawn, ForkServer, Fork };
/// Dynamic: an idle worker takes the next chunk (what Pool.map really does).
/// Static: chunk i belongs to worker i mod N from the start (OpenMP's schedule(static)).
enum class Schedule { Dynamic, Static };

const char* toString(Model m);
const char* toString(StartMethod s);
const char* toString(Schedule s);
Model parseModel(const std::string& text);              ///< throws InvalidArgument
StartMethod parseStartMethod(const std::string& text);  ///< throws InvalidArgument
Schedule parseSchedule(const std::string& text);        ///< throws InvalidArgument
const std::vector<Model>& allModels();

/// The most workers one run may use: more is refused as a typo, not an experiment.
inline constexpr unsigned kMaxWorkers = 512;

struct RunConfig {
    Model model = Model::Sequential;
    unsigned workers = 1;
    StartMethod startMethod = StartMethod::Spawn;  ///< processes only
    std::size_t chunksize = 0;                     ///< 0: Python's rule
    Schedule schedule = Schedule::Dynamic;
    std::chrono::nanoseconds gilSwitchInterval = std::chrono::milliseconds(5);
    bool gilReleasedByTasks = false;  ///< gil-threads: tasks are native code that drops the lock
    double taskTimeoutSeconds = 0;    ///< 0: no timeout
    Transport transport = Transport::Pipe;  ///< processes: how tasks and results travel
    /// processes: extra bytes carried with every task and every result, as pickled arguments
    /// and return values are in Python; threads share memory and pass nothing.
    std::size_t payloadBytes = 0;
    unsigned repetition = 0;  ///< 0-based
    bool warmup = false;      ///< a warm-up run: measured, never reported as a result
};

/// "threads", "processes/spawn/pipe": the model with what matters for it, for tables and reports.
std::string modelLabel(const RunConfig& c);

/// Python's Pool.map rule: ceil(tasks / (4 * workers)), at least 1.
std::size_t defaultChunksize(std::size_t tasks, unsigned workers);

}  // namespace coreduel
