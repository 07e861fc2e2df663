#include "core/run/experiment.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <thread>
#include <tuple>

#include "core/exec/python_executor.h"
#include "core/vocab/interpreter_spec.h"
#include "core/workloads/workload.h"

namespace coreduel {

std::uint64_t randomSeed() {
    std::random_device rd;
    // Kept below 2^53 so that the seed survives a round trip through any JSON reader.
    return ((std::uint64_t{rd()} << 32 | rd()) & ((std::uint64_t{1} << 53) - 1)) | 1;
}

std::size_t reportedRunCount(const Experiment& e) {
    const auto plan = planRuns(e);
    return static_cast<std::size_t>(
        std::count_if(plan.begin(), plan.end(), [](const RunConfig& c) { return !c.warmup; }));
}

bool displayOrderLess(const RunConfig& a, const RunConfig& b) {
    auto key = [](const RunConfig& c) {
        // Native rows first, then the interpreter's, each led by its sequential baseline.
        // Several interpreters: each configuration's rows side by side, in the list's order.
        return std::tuple(isPython(c.model), !isSequential(c.model), c.workers,
                          static_cast<int>(c.model), c.interpreter, c.chunksize);
    };
    return key(a) < key(b);
}

void validate(const Experiment& e, bool loadUserCode) {
    findWorkloadInfo(e.workload);
    if (e.models.empty())
        throw InvalidArgument("no models given (allowed: " + allowedModels() + ")");
    if (e.workerCounts.empty()) throw InvalidArgument("no worker counts given");
    for (auto n : e.workerCounts) {
        if (n < 1 || n > kMaxWorkers)
            throw InvalidArgument("worker count " + std::to_string(n) +
                                  " is out of range (allowed: 1 to " + std::to_string(kMaxWorkers) +
                                  ")");
    }
    if (e.repetitions < 1 || e.repetitions > 1000)
        throw InvalidArgument("repetitions must be between 1 and 1000 (got " +
                              std::to_string(e.repetitions) + ")");
    if (e.warmups > 100) throw InvalidArgument("warm-up runs must be between 0 and 100");
    if (e.chunksizes.empty()) throw InvalidArgument("no chunksize given (0: automatic)");
    for (auto c : e.chunksizes)
        if (c > 100'000'000)
            throw InvalidArgument("chunksize must be between 1 and 100000000 (0: automatic)");
    if (!std::isfinite(e.gilSwitchIntervalMs) || e.gilSwitchIntervalMs < 0.01 ||
        e.gilSwitchIntervalMs > 10'000)
        throw InvalidArgument("GIL switch interval must be between 0.01 and 10000 ms");
    if (!std::isfinite(e.taskTimeoutSeconds) || e.taskTimeoutSeconds < 0 ||
        e.taskTimeoutSeconds > 86'400)
        throw InvalidArgument("task timeout must be between 0 (none) and 86400 s");
    if (e.payloadBytes > (std::size_t{64} << 20))
        throw InvalidArgument("payload must be between 0 and 67108864 bytes (64 MiB) per task");
    if (!std::isfinite(e.sampleHz) || (e.sampleHz != 0 && (e.sampleHz < 0.5 || e.sampleHz > 1000)))
        throw InvalidArgument("sample rate must be 0 (off) or between 0.5 and 1000 Hz");
    if (pythonOnlyWorkload(e.workload))
        for (Model m : e.models)
            if (!isPython(m))
                throw InvalidArgument("-w " + e.workload +
                                      " runs only under py:sequential, py:threads, py:processes "
                                      "(there is no native model of a Python function; got " +
                                      toString(m) + ")");
    if (std::any_of(e.models.begin(), e.models.end(), isPython) && !hasPythonPort(e.workload))
        throw InvalidArgument(
            "workload " + e.workload +
            " has no Python version for the py: models (these have: " + pythonPortList() + ")");
    (void)splitInterpreters(e.python);  // throws on a bad spec of the list
    if (!e.hostfile.empty() && ::access(e.hostfile.c_str(), R_OK) != 0)
        throw InvalidArgument("hostfile " + e.hostfile + ": cannot be read");
    // Building the workload checks its parameters (a kernel's only when it may be loaded).
    if (!loadUserCode) {
        checkParams(e.workload, e.params);
        return;
    }
    const auto workload = buildWorkload(e);
    for (Model m : e.models)
        if (auto why = workload->whyNotUnder(m); !why.empty()) throw InvalidArgument(why);
}

std::unique_ptr<Workload> buildWorkload(const Experiment& e) {
    auto params = e.params;
    // A user's function reads its inputs with the first interpreter of the list.
    if (pythonOnlyWorkload(e.workload) && !e.python.empty())
        params["python"] = parseInterpreterSpec(splitInterpreters(e.python).front()).python;
    return createWorkload(e.workload, params);
}

bool pythonOnlyWorkload(const std::string& workload) {
    const auto& all = workloadCatalog();
    return std::any_of(all.begin(), all.end(),
                       [&](const WorkloadInfo& w) { return w.name == workload && w.pythonOnly; });
}

std::vector<RunConfig> planRuns(const Experiment& e) {
    RunConfig base;
    base.startMethod = e.startMethod;

    base.schedule = e.schedule;
    base.gilSwitchInterval =
        std::chrono::nanoseconds(static_cast<std::int64_t>(e.gilSwitchIntervalMs * 1e6));
    base.gilReleasedByTasks = e.gilReleasedByTasks;
    base.taskTimeoutSeconds = e.taskTimeoutSeconds;
    base.transport = e.transport;
    base.payloadBytes = e.payloadBytes;

    std::vector<RunConfig> configs;
    const auto interpreters = splitInterpreters(e.python);
    auto addConfig = [&](Model m, unsigned workers) {
        RunConfig c = base;
        c.model = m;
        c.workers = workers;
        if (!isPython(m)) {
            configs.push_back(c);
            return;
        }
        // Every py: configuration once per interpreter of the list.
        for (std::size_t i = 0; i < interpreters.size(); ++i) {
            c.python = interpreters[i];
            c.interpreter = static_cast<unsigned>(i);
            configs.push_back(c);
        }
    };
    const bool pythonOnly = pythonOnlyWorkload(e.workload);
    const Model baseline = pythonOnly ? Model::PySequential : Model::Sequential;
    if (!pythonOnly) addConfig(Model::Sequential, 1);  // one loop over the tasks: no chunks
    const bool anyPython = std::any_of(e.models.begin(), e.models.end(), isPython);
    if (anyPython || pythonOnly) addConfig(Model::PySequential, 1);
    auto counts = e.workerCounts;
    std::sort(counts.begin(), counts.end());
    counts.erase(std::unique(counts.begin(), counts.end()), counts.end());
    auto chunks = e.chunksizes;
    std::sort(chunks.begin(), chunks.end());
    chunks.erase(std::unique(chunks.begin(), chunks.end()), chunks.end());
    for (auto n : counts) {
        for (auto m : everyModel()) {
            if (isSequential(m)) continue;
            if (std::find(e.models.begin(), e.models.end(), m) == e.models.end()) continue;
            for (auto c : chunks) {
                base.chunksize = c;
                addConfig(m, n);
            }
        }
    }

    std::vector<RunConfig> runs;
    for (const auto& config : configs) {
        const unsigned warmups = config.model == baseline ? std::max(1u, e.warmups) : e.warmups;
        for (unsigned w = 0; w < warmups; ++w) {
            RunConfig c = config;
            c.warmup = true;
            c.repetition = w;
            runs.push_back(c);
        }
    }
    std::mt19937_64 rng(e.seed);
    std::vector<std::size_t> order(configs.size());
    for (unsigned r = 0; r < e.repetitions; ++r) {
        std::iota(order.begin(), order.end(), 0);
        // Fisher-Yates by hand: std::shuffle's sequence is implementation-defined, and a
        // printed seed must give the same order with any standard library.
        if (e.seed != 0)
            for (std::size_t i = order.size(); i > 1; --i)
                std::swap(order[i - 1], order[rng() % i]);
        for (auto i : order) {
            RunConfig c = configs[i];
            c.repetition = r;
            runs.push_back(c);
        }
    }
    return runs;
}

}  // namespace coreduel

namespace coreduel {

namespace {

unsigned parseCount(const std::string& s, const std::string& whole) {
    if (s == "cores") return std::max(1u, std::thread::hardware_concurrency());
    unsigned long v = 0;
    std::size_t used = 0;
    try {
        v = std::stoul(s, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used == 0 || used != s.size() || s[0] == '-' || s[0] == '+')
        throw InvalidArgument("bad worker count '" + s + "' in '" + whole +
                              "' (allowed: numbers from 1 to " + std::to_string(kMaxWorkers) +
                              ", ranges like 1-8, or 'cores')");
    if (v < 1 || v > kMaxWorkers)
        throw InvalidArgument("worker count " + s + " is out of range (allowed: 1 to " +
                              std::to_string(kMaxWorkers) + ")");
    return static_cast<unsigned>(v);
}

}  // namespace

std::vector<unsigned> parseWorkerCounts(const std::string& text) {
    std::vector<unsigned> out;
    for (const auto& part : splitList(text)) {
        const auto dash = part.find('-', 1);
        if (dash != std::string::npos) {
            const auto lo = parseCount(part.substr(0, dash), text);
            const auto hi = parseCount(part.substr(dash + 1), text);
            if (hi < lo) throw InvalidArgument("worker range '" + part + "' runs backwards");
            for (auto n = lo; n <= hi; ++n) out.push_back(n);
        } else {
            out.push_back(parseCount(part, text));
        }
    }
    return out;
}

std::vector<std::string> splitList(const std::string& text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (;;) {
        const auto comma = text.find(',', start);
        out.push_back(text.substr(start, comma - start));
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return out;
}

std::vector<std::size_t> parseChunksizes(const std::string& text) {
    std::vector<std::size_t> out;
    for (const auto& part : splitList(text)) {
        std::size_t used = 0;
        unsigned long long v = 0;
        try {
            v = std::stoull(part, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used == 0 || used != part.size() || part[0] == '-' || v > 100'000'000)
            throw InvalidArgument("bad chunksize '" + part +
                                  "' (allowed: 0 for Python's rule, or 1 to 100000000; "
                                  "a list like 1,4,16 sweeps it)");
        out.push_back(static_cast<std::size_t>(v));
    }
    return out;
}

std::vector<Model> parseModels(const std::string& text) {
    if (text == "all") return allModels();
    if (text == "py:all") return pythonModels();
    std::vector<Model> out;
    for (const auto& part : splitList(text)) out.push_back(parseModel(part));
    return out;
}

}  // namespace coreduel
