#pragma once
// The vocabulary of an experiment: execution models, start methods, scheduling, transports,
// and the configuration of one run. Near the bottom of the layers: everything above may say
// "processes over shm" without pulling in the machinery behind it.

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace coreduel {

/// The first four run natively in this engine; the py: ones run the same tasks in a real
/// CPython interpreter (a child of the engine): its loop, its threads under its own GIL, and
/// its multiprocessing.Pool; mpi runs them on the ranks of an Open MPI job (mpi_executor.h).
/// New models go at the end: the numbers order groups of runs.
enum class Model {
    Sequential,
    Threads,
    GilThreads,
    Processes,
    PySequential,
    PyThreads,
    PyProcesses,
    Mpi
};
/// How worker processes come to life, as in Python's multiprocessing.
enum class StartMethod { Spawn, ForkServer, Fork };
/// Dynamic: an idle worker takes the next chunk (what Pool.map really does).
/// Static: chunk i belongs to worker i mod N from the start (OpenMP's schedule(static)).
enum class Schedule { Dynamic, Static };

/// How tasks and results travel between the engine and a worker process (ipc/channel.h).
enum class Transport { Pipe, UnixSocket, MessageQueue, SharedMemory };

const char* toString(Model m);
const char* toString(StartMethod s);
const char* toString(Schedule s);
const char* toString(Transport t);
// Each parser throws InvalidArgument naming the allowed values.
Model parseModel(const std::string& text);
StartMethod parseStartMethod(const std::string& text);
Schedule parseSchedule(const std::string& text);
Transport parseTransport(const std::string& text);
/// The native models (what "all" means, and an experiment's default).
const std::vector<Model>& allModels();
/// py:sequential, py:threads, py:processes.
const std::vector<Model>& pythonModels();
/// Native, mpi and Python, in display order.
const std::vector<Model>& everyModel();
/// True for the models that run in a real Python interpreter.
bool isPython(Model m);
/// The sequential model a model's speedup is measured against: py:sequential for the Python
/// ones (an interpreter is compared with itself), sequential for the native ones.
Model baselineOf(Model m);
/// sequential or py:sequential.
inline bool isSequential(Model m) {
    return m == Model::Sequential || m == Model::PySequential;
}
/// The models whose tasks run in separate address spaces: results cross a process boundary.
inline bool sharesNothing(Model m) {
    return m == Model::Processes || m == Model::PyProcesses || m == Model::Mpi;
}
/// processes or py:processes: the models whose start method matters.
inline bool usesProcesses(Model m) {
    return m == Model::Processes || m == Model::PyProcesses;
}
const std::vector<Transport>& allTransports();
/// "sequential, threads, gil-threads, processes, py:sequential, ...": for messages.
std::string allowedModels();

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
    /// py: models: the interpreter spec this run ran under, one of the experiment's `python`
    /// list ("python3", "PATH:gil=1"; "" = python3); "" for every other model. Part of a
    /// configuration's identity: each interpreter is its own row, against its own baseline.
    std::string python;
    unsigned interpreter = 0;  ///< py: models: the spec's place in that list (display order)
    unsigned repetition = 0;   ///< 0-based
    bool warmup = false;       ///< a warm-up run: measured, never reported as a result
};

/// "threads", "processes/spawn/pipe": the model with what matters for it, for tables and reports.
std::string modelLabel(const RunConfig& c);

/// Python's Pool.map rule: ceil(tasks / (4 * workers)), at least 1.
std::size_t defaultChunksize(std::size_t tasks, unsigned workers);

}  // namespace coreduel
