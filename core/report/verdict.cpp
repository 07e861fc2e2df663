// The verdict: one line per model at its largest worker count, in words. Every number is a
// configuration's speedup from the analysis (the one estimator); every cause it names passes
// the evidence rules (core/run/evidence.h) or the line says that this run cannot tell.

#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <sstream>

#include "core/report/table_report.h"
#include "core/run/evidence.h"
#include "core/util/format.h"

namespace coreduel {

namespace {

constexpr auto& fmt = formatNumber;

/// "1.83x" or "1.83x (95 % CI 1.70-1.95x)": the analysis' value, rounded as everywhere. An
/// interval cut at what the workers can reach says so: "1.75-2.00x" alone reads as measured.
std::string speedupText(const ConfigSummary& c) {
    const Interval& s = *c.speedup;
    std::string out = fmt("%.2fx", s.value);
    if (!s.hasRange) return out;
    out += " (95 % CI " + fmt("%.2f", s.low) + "-" + fmt("%.2fx", s.high);
    // Cut at the ideal, or at the value itself where that lies above it (analysis: capAtIdeal).
    if (c.intervalCapped)
        out += s.value > c.ideal ? std::string(", cut at the value")
                                 : ", cut at the ideal " + fmt("%.0fx", c.ideal);
    return out + ")";
}

std::string chunkText(std::size_t c) {
    return "chunksize " + (c == 0 ? std::string("auto") : std::to_string(c));
}

struct Cause {
    std::string words;  ///< "the lock serialised the compute"
    SpeedupClaim claim;
};

/// The cause the numbers point to, if any; it is said only if the evidence carries it.
std::optional<Cause> candidateCause(const ExperimentResult& result, const ConfigSummary& c,
                                    bool interpreterHasGil) {
    const double s = c.speedup->value;
    using Side = SpeedupClaim::Side;
    if (c.workers < 2) return std::nullopt;
    if (c.model == Model::GilThreads && !result.experiment.gilReleasedByTasks && s < 1.2)
        return Cause{"the lock serialised the compute", {Side::Below, 1.2}};
    if (c.model == Model::PyThreads && !interpreterHasGil && s >= 0.8 * c.ideal)
        return Cause{
            "without a GIL (sys._is_gil_enabled() false in the run) its threads ran "
            "the compute in parallel",
            {Side::AtLeast, 0.8 * c.ideal}};
    if (c.model == Model::PyThreads && interpreterHasGil && c.freeThreadedBuild && s < 1.2)
        return Cause{
            "the GIL, on in this free-threaded build (sys._is_gil_enabled() true in the "
            "run), serialised the compute",
            {Side::Below, 1.2}};
    if (c.model == Model::PyThreads && interpreterHasGil && s < 0.8)
        return Cause{"handing each task to a thread (a future, a queue) cost more than the task",
                     {Side::Below, 0.8}};
    if (c.model == Model::PyThreads && interpreterHasGil && s < 1.2)
        return Cause{"the interpreter's GIL serialised the compute", {Side::Below, 1.2}};
    if (s >= 0.8 * c.ideal) return Cause{"it scales", {Side::AtLeast, 0.8 * c.ideal}};
    if (usesProcesses(c.model) && s < 1.0)
        return Cause{"start-up and moving data cost more than the work", {Side::Below, 1.0}};
    if (c.model == Model::Mpi && s < 1.0)
        // Its launch is outside the wall time: only the messages are left to blame.
        return Cause{
            "the messages (chunks out, results back through rank 0) cost more than "
            "the work",
            {Side::Below, 1.0}};
    return std::nullopt;
}

void writeModelLine(std::ostream& os, const ExperimentResult& result, Model m,
                    const std::vector<const ConfigSummary*>& configs) {
    const unsigned workers = configs.front()->workers;
    const std::string& python = configs.front()->python;
    // Each interpreter's GIL as its runs measured it (an old file: as its hello said).
    const bool interpreterHasGil = configs.front()->gilEnabled != false;
    os << "- " << result.analysis.name(*configs.front()) << " with " << workers << " worker"
       << (workers > 1 ? "s" : "");
    std::vector<const ConfigSummary*> measured;
    for (const auto* c : configs)
        if (c->speedup) measured.push_back(c);
    if (measured.empty()) {
        const bool stopped = configs.front()->stopped > 0 && configs.front()->failed == 0;
        std::string error;
        for (const auto& r : result.runs)
            if (r.config.model == m && r.config.workers == workers && r.config.python == python &&
                !r.ok && !r.cancelled && error.empty())
                error = r.error;
        // A traceback goes on lines of its own after a colon: a closing parenthesis after it
        // read as part of the user's last source line ("raise ValueError(...))").
        const bool lines = error.find('\n') != std::string::npos;
        os << (stopped ? ": stopped before a run finished\n"
               : lines ? ": no verified result: " + error + "\n"
                       : ": no verified result (" + (error.empty() ? "no run" : error) + ")\n");
        return;
    }
    // Chunk sizes are never pooled: each is its own configuration with its own number.
    std::stable_sort(measured.begin(), measured.end(), [](const auto* a, const auto* b) {
        return a->speedup->value > b->speedup->value;
    });
    const ConfigSummary& best = *measured.front();
    const bool several = configs.size() > 1;
    if (several) os << ", " << chunkText(best.chunksize);
    // "Faster" only where the interval says so: a point above 1 whose interval reaches 1 is
    // "the speed of", and said to be not told apart from the baseline.
    const Interval& sp = *best.speedup;
    const auto cause =
        best.aboveIdeal ? std::nullopt : candidateCause(result, best, interpreterHasGil);
    // With no cause to name, "faster" is itself the claim: one run each, a baseline below the
    // floor or a busy machine cannot tell it from no gain at all, and then it is not said.
    const bool straddles = sp.hasRange && sp.low <= 1.0 && sp.high >= 1.0;
    std::optional<std::string> unproven;
    if (!best.aboveIdeal && !cause && !straddles && best.workers > 1 && sp.value >= 1.0)
        unproven = whyCannotTell(result, best, {SpeedupClaim::Side::AtLeast, 1.0});
    const bool faster = sp.value >= 1.0 && (!sp.hasRange || sp.low > 1.0) && !unproven;
    os << ": " << speedupText(best) << (faster ? " faster than " : " the speed of ")
       << toString(baselineOf(m))
       << (isPython(m) && result.analysis.interpreters().size() > 1 ? " on the same interpreter"
                                                                    : "");
    if (straddles) os << " (its interval includes 1x: not told apart from it)";
    if (best.aboveIdeal) {
        os << ": above the " << fmt("%.0fx", best.ideal) << " that " << workers
           << " workers can reach on " << result.analysis.cores
           << " CPUs, so not a gain of the model (noise or a slowed baseline): do not quote it";
    } else if (cause) {
        if (auto why = whyCannotTell(result, best, cause->claim))
            os << ": this run cannot tell whether " << cause->words << " (" << *why << ")";
        else
            os << ": " << cause->words;
    } else if (unproven) {
        os << ": this run cannot tell it from no gain (" << *unproven << ")";
    }
    for (std::size_t i = 1; i < measured.size(); ++i)
        os << (i == 1 ? " (" : "; ") << chunkText(measured[i]->chunksize) << ": "
           << fmt("%.2fx", measured[i]->speedup->value) << (i + 1 == measured.size() ? ")" : "");
    if (several && measured.size() < configs.size()) os << "; others failed";
    os << '\n';
}

void writeModelVsReal(std::ostream& os, const ExperimentResult& result) {
    const Analysis& a = result.analysis;
    if (!a.modelVsRealNote.empty()) os << "- " << a.modelVsRealNote << '\n';
    for (const auto& r : a.modelVsReal) {
        os << "- model vs real with " << r.workers << " worker" << (r.workers > 1 ? "s" : "")
           << (a.interpreters().size() > 1 ? " on " + r.interpreterLabel : "") << ": gil-threads "
           << fmt("%.2fx", r.model.value) << ", py:threads " << fmt("%.2fx", r.real.value);
        const ConfigSummary* model = nullptr;
        const ConfigSummary* real = nullptr;
        for (const auto& c : a.configs) {
            if (c.workers != r.workers || !c.speedup) continue;
            if (c.model == Model::GilThreads && model == nullptr) model = &c;
            if (c.model == Model::PyThreads && c.python == r.python && real == nullptr) real = &c;
        }
        bool agree = false;
        const auto why = model != nullptr && real != nullptr
                             ? whyCannotCompare(result, *model, *real, 0.15, agree)
                             : std::optional<std::string>("one side has no verified run");
        const double off = (r.ratio - 1.0) * 100.0;
        if (why)
            os << ": this run cannot tell whether the model matches the real interpreter (" << *why
               << ")";
        else if (agree)
            os << ": the model matches the real interpreter (within 15 %)";
        else
            os << ": the model is " << fmt("%.0f %%", std::abs(off))
               << (off > 0 ? " above" : " below") << " the real interpreter";
        os << '\n';
    }
}

}  // namespace

std::vector<std::string> verdictLines(const ExperimentResult& result) {
    std::vector<std::string> lines;
    std::istringstream in(formatVerdict(result));
    for (std::string line; std::getline(in, line);)
        if (line.rfind("- ", 0) == 0) lines.push_back(line.substr(2));
    return lines;
}

std::string formatVerdict(const ExperimentResult& result) {
    // Per model (and interpreter), its largest worker count; there, every chunk size measured.
    using Key = std::pair<Model, unsigned>;
    std::map<Key, std::vector<const ConfigSummary*>> picks;
    for (const auto& c : result.analysis.configs) {
        if (isSequential(c.model)) continue;
        auto& p = picks[Key(c.model, c.interpreter)];
        if (!p.empty() && c.workers > p.front()->workers) p.clear();
        if (p.empty() || c.workers == p.front()->workers) p.push_back(&c);
    }
    std::ostringstream os;
    for (auto m : everyModel())
        for (const auto& [key, configs] : picks)
            if (key.first == m) writeModelLine(os, result, m, configs);
    writeModelVsReal(os, result);
    if (const std::string cost = formatFreeThreadedCost(result.analysis); !cost.empty())
        os << "- " << cost << '\n';
    return os.str();
}

}  // namespace coreduel
