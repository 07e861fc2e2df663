// A lesson's expectations: what its conclusion needs a run to show, checked against what was
// measured, and the explanation that follows from the check. A slowdown on a machine busy
// with a compiler must never be explained as the claim it failed to show.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <nlohmann/json.hpp>

#include "core/lessons/claim_markers.h"
#include "core/lessons/explanation_parts.h"
#include "core/lessons/lesson.h"
#include "core/report/schema.h"
#include "core/run/analysis.h"
#include "core/run/machine_load.h"
#include "core/util/errors.h"
#include "core/workloads/workload.h"

namespace coreduel {

namespace {

/// A configuration that needed this many times the sequential run's CPU time for the same
/// CPU-bound work ran on slow CPUs: on a VM, a host that gives our virtual CPUs to other guests
/// (which this VM does not report as steal). The work inside the tasks is the same in every
/// model, so its CPU time should match the sequential run's within a few tens of percent.
constexpr double kSlowCpuInflation = 1.4;

/// The mean CPU time inside tasks (the task threads' own clocks, summed over the workers) of
/// a configuration's verified runs; 0 when not measured. Unlike getrusage it leaves out what
/// processes spend encoding and decoding, which is real extra work, not slow CPUs.
double taskCpuSeconds(const ExperimentResult& r, Model model, unsigned workers,
                      std::optional<std::size_t> chunksize) {
    double sum = 0;
    int n = 0;
    for (const RunResult& run : r.runs) {
        if (!run.ok || run.config.model != model || run.config.workers != workers) continue;
        if (!isSequential(model) && chunksize && run.config.chunksize != *chunksize) continue;
        if (run.time.computeNs <= 0) return 0;
        sum += static_cast<double>(run.time.computeNs) / 1e9;
        ++n;
    }
    return n > 0 ? sum / n : 0;
}

/// How many times the sequential run's task CPU time the configuration `ref` names needed
/// (0 when not CPU-bound work or not measured).
double cpuInflation(const std::vector<ExperimentResult>& parts, const LessonRef& ref,
                    std::string& what) {
    if (ref.part < 1 || ref.part > parts.size() || isSequential(ref.model)) return 0;
    const ExperimentResult& r = parts[ref.part - 1];
    try {
        if (findWorkloadInfo(r.experiment.workload).bound != Boundedness::Cpu) return 0;
    } catch (const InvalidArgument&) {
        return 0;  // a Python part: not one of ours
    }
    const auto n = lessonWorkers(r, ref.model, ref.workers);
    if (!n) return 0;
    const double seq = taskCpuSeconds(r, baselineOf(ref.model), 1, std::nullopt);
    const double config = taskCpuSeconds(r, ref.model, *n, ref.chunksize);
    if (seq <= 0 || config <= 0) return 0;
    const double x = config / seq;
    char b[200];
    std::snprintf(b, sizeof b,
                  "%s x%u needed %.2fx the CPU time of the sequential run inside the tasks",
                  toString(ref.model), *n, x);
    what = b;
    return x;
}

const std::vector<std::string> kQuantities = {"speedup", "wall", "cpu", "startup", "rss",
                                              "launch",  "mib",  "p50", "p99"};

std::string format(double v, int decimals) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, v);
    return buffer;
}

std::size_t countField(const nlohmann::json& o, const char* key, const std::string& where,
                       std::uint64_t most) {
    const auto& v = o[key];
    if (!v.is_number_unsigned() || v.get<std::uint64_t>() > most)
        throw FileFormatError(where + "/" + key + ": must be a whole number up to " +
                              std::to_string(most));
    return static_cast<std::size_t>(v.get<std::uint64_t>());
}

std::string textField(const nlohmann::json& o, const char* key, const std::string& where) {
    if (!o[key].is_string()) throw FileFormatError(where + "/" + key + ": must be text");
    return o[key].get<std::string>();
}

LessonRef refFromJson(const nlohmann::json& o, const std::string& where, const Lesson& lesson) {
    if (!o.is_object()) throw FileFormatError(where + ": must be an object");
    LessonRef ref;
    if (o.contains("part")) ref.part = countField(o, "part", where, lesson.parts.size());
    if (ref.part < 1 || ref.part > lesson.parts.size())
        throw FileFormatError(where + "/part: no part " + std::to_string(ref.part));
    const LessonPart& part = lesson.parts[ref.part - 1];
    if (!part.python.empty())
        throw FileFormatError(where + "/part: part " + std::to_string(ref.part) +
                              " is a Python part (only experiment parts can be checked)");
    if (!o.contains("model")) throw FileFormatError(where + "/model: missing");
    try {
        ref.model = parseModel(textField(o, "model", where));
    } catch (const InvalidArgument& e) {
        throw FileFormatError(where + "/model: " + e.what());
    }
    const auto& models = part.experiment.models;
    if (!isSequential(ref.model) &&
        std::find(models.begin(), models.end(), ref.model) == models.end())
        throw FileFormatError(where + "/model: part " + std::to_string(ref.part) +
                              " does not run " + toString(ref.model));
    if (o.contains("workers")) {
        ref.workers = textField(o, "workers", where);
        const bool number = !ref.workers.empty() && ref.workers.size() <= 6 &&
                            std::all_of(ref.workers.begin(), ref.workers.end(),
                                        [](char c) { return c >= '0' && c <= '9'; });
        if (!number && ref.workers != "cores" && ref.workers != "max")
            throw FileFormatError(where + "/workers: must be a number, \"cores\" or \"max\"");
    }
    if (o.contains("chunksize")) ref.chunksize = countField(o, "chunksize", where, 1'000'000'000);
    return ref;
}

/// The parts' results as one configuration sees them: only its chunk size, when it names one.
std::optional<ExperimentResult> resultFor(const std::vector<ExperimentResult>& parts,
                                          const LessonRef& ref) {
    if (ref.part < 1 || ref.part > parts.size()) return std::nullopt;
    const ExperimentResult& r = parts[ref.part - 1];
    if (!ref.chunksize) return r;
    return onlyChunksize(r, *ref.chunksize);
}

std::string describe(const LessonRef& ref, const std::vector<ExperimentResult>& parts,
                     const Lesson& lesson) {
    std::string s = toString(ref.model);
    const auto r = resultFor(parts, ref);
    const auto n = r ? lessonWorkers(*r, ref.model, ref.workers) : std::nullopt;
    s += " x" + (n ? std::to_string(*n) : ref.workers);
    if (ref.chunksize) s += ", chunksize " + std::to_string(*ref.chunksize);
    if (lesson.parts.size() > 1 && ref.part <= lesson.parts.size() &&
        !lesson.parts[ref.part - 1].label.empty())
        s += " \u2014 " + lesson.parts[ref.part - 1].label + " \u2014";  // a label may hold "(…)"
    return s;
}

std::string unit(const std::string& quantity) {
    if (quantity == "speedup") return "x";
    if (quantity == "startup" || quantity == "launch") return " ms";
    if (quantity == "p50" || quantity == "p99") return " ms";
    if (quantity == "mib") return " MiB";
    if (quantity == "rss") return " MiB";
    return " s";
}

struct Checked {
    bool held = false;
    bool measured = false;
    std::string line;
    Evidence evidence;  ///< what the rules need to judge the value (evidence.h)
};

const ConfigSummary* configFor(const ExperimentResult& r, Model model, const std::string& workers) {
    const auto n = lessonWorkers(r, model, workers);
    if (!n) return nullptr;
    for (const ConfigSummary& c : r.analysis.configs)
        if (c.model == model && c.workers == *n && c.wall.n > 0) return &c;
    return nullptr;
}

bool stopped(const ExperimentResult& r) {
    return r.cancelled || std::any_of(r.runs.begin(), r.runs.end(),
                                      [](const RunResult& run) { return run.cancelled; });
}

/// The part's circumstances that every rule reads: stopped, load, baseline and its floor.
void addCircumstances(Evidence& ev, const ExperimentResult& r, Model model) {
    ev.stopped = ev.stopped || stopped(r);
    if (r.machineLoad.measured())
        ev.otherProgramsCpuPct =
            std::max(ev.otherProgramsCpuPct, r.machineLoad.otherProgramsCpuPct);
    ev.floorSeconds = minMeaningfulSeconds(r.experiment.sampleHz);
    if (const ConfigSummary* base = configFor(r, baselineOf(model), "1")) {
        const double wall = base->wall.median;
        ev.baselineWallSeconds =
            ev.baselineWallSeconds < 0 ? wall : std::min(ev.baselineWallSeconds, wall);
        ev.repetitions = std::min(ev.repetitions, base->wall.n);
    }
}

/// The evidence of one configuration: its repetitions, its interval, its part's circumstances.
Evidence evidenceFor(const std::vector<ExperimentResult>& parts, const LessonRef& ref,
                     const std::string& quantity) {
    Evidence ev;
    ev.quantity = quantity;
    ev.repetitions = std::numeric_limits<std::size_t>::max();
    const auto r = resultFor(parts, ref);
    if (!r) return ev;
    if (const ConfigSummary* c = configFor(*r, ref.model, ref.workers)) {
        ev.repetitions = c->wall.n;
        if (quantity == "speedup" && c->speedup) ev.interval = c->speedup;
    }
    addCircumstances(ev, *r, ref.model);
    if (ev.repetitions == std::numeric_limits<std::size_t>::max()) ev.repetitions = 0;
    return ev;
}

/// A ratio is as good as the weaker of its two configurations: `ev` takes the worse of each.
void weakerOf(Evidence& ev, const Evidence& theirs) {
    ev.ratio = true;
    ev.interval.reset();
    ev.repetitions = std::min(ev.repetitions, theirs.repetitions);
    ev.stopped = ev.stopped || theirs.stopped;
    ev.otherProgramsCpuPct = std::max(ev.otherProgramsCpuPct, theirs.otherProgramsCpuPct);
    if (theirs.baselineWallSeconds >= 0)
        ev.baselineWallSeconds = ev.baselineWallSeconds < 0
                                     ? theirs.baselineWallSeconds
                                     : std::min(ev.baselineWallSeconds, theirs.baselineWallSeconds);
}

Checked check(const Expectation& e, const std::vector<ExperimentResult>& parts,
              const Lesson& lesson) {
    Checked c;
    const std::string who = describe(e.ref, parts, lesson);
    const auto r = resultFor(parts, e.ref);
    c.evidence = evidenceFor(parts, e.ref, e.summaryContains.empty() ? e.quantity : "summary");
    if (!e.summaryContains.empty()) {
        const auto n = r ? lessonWorkers(*r, e.ref.model, e.ref.workers) : std::nullopt;
        const RunResult* run = nullptr;
        if (n) {
            for (const RunResult& candidate : r->runs)
                if (candidate.ok && candidate.config.model == e.ref.model &&
                    candidate.config.workers == *n && run == nullptr)
                    run = &candidate;
        }
        if (run == nullptr) {
            c.line = who + " was not measured";
            return c;
        }
        c.measured = true;
        c.held = run->summary.find(e.summaryContains) != std::string::npos;
        c.evidence.value = c.held ? 1 : 0;
        c.line = who + " reported \"" + run->summary + "\", where \"" + e.summaryContains +
                 "\" is expected";
        return c;
    }
    const auto value = r ? lessonValue(*r, e.quantity, e.ref.model, e.ref.workers) : std::nullopt;
    if (!value) {
        c.line = who + " was not measured";
        return c;
    }
    double v = *value;
    std::string measured;
    if (e.than) {
        const auto other = resultFor(parts, *e.than);
        const auto base =
            other ? lessonValue(*other, e.quantity, e.than->model, e.than->workers) : std::nullopt;
        if (!base || *base <= 0) {
            c.line = describe(*e.than, parts, lesson) + " was not measured";
            return c;
        }
        v = *value / *base;
        weakerOf(c.evidence, evidenceFor(parts, *e.than, e.quantity));
        measured = who + " " + (e.quantity == "speedup" ? "ran " : "had ") + format(v, 2) +
                   " times the " + e.quantity + " of " + describe(*e.than, parts, lesson) + " (" +
                   format(*value, 2) + unit(e.quantity) + " against " + format(*base, 2) +
                   unit(e.quantity) + ")";
    } else if (e.quantity == "speedup") {
        measured =
            who + " ran " + format(v, 2) + "x as fast as " + toString(baselineOf(e.ref.model));
    } else {
        measured = who + " had " + e.quantity + " " + format(v, 2) + unit(e.quantity);
    }
    c.measured = true;
    c.evidence.value = v;
    c.held = (!e.atLeast || v >= *e.atLeast) && (!e.atMost || v <= *e.atMost);
    const std::string u = e.than ? std::string("x") : unit(e.quantity);
    std::string bounds;
    if (e.atLeast && e.atMost)
        bounds = "between " + format(*e.atLeast, 2) + u + " and " + format(*e.atMost, 2) + u;
    else if (e.atLeast)
        bounds = "at least " + format(*e.atLeast, 2) + u;
    else if (e.atMost)
        bounds = "at most " + format(*e.atMost, 2) + u;
    c.line = measured + ", where " + bounds + " is expected";
    return c;
}

}  // namespace

std::vector<Expectation> expectationsFromJson(const nlohmann::json& v, const std::string& where,
                                              const Lesson& lesson) {
    if (!v.is_array()) throw FileFormatError(where + ": must be a list");
    std::vector<Expectation> out;
    static const std::vector<std::string> known = {
        "says", "part",     "model",   "workers",          "chunksize",  "quantity",
        "than", "at_least", "at_most", "summary_contains", "needs_cores"};
    for (std::size_t i = 0; i < v.size(); ++i) {
        const auto& o = v[i];
        const std::string at = where + "/" + std::to_string(i);
        if (!o.is_object()) throw FileFormatError(at + ": must be an object");
        for (const auto& [key, _] : o.items())
            if (std::find(known.begin(), known.end(), key) == known.end())
                throw FileFormatError(at + "/" + key + ": unknown field");
        Expectation e;
        if (!o.contains("says")) throw FileFormatError(at + "/says: missing");
        e.says = textField(o, "says", at);
        e.ref = refFromJson(o, at, lesson);
        if (o.contains("quantity")) {
            e.quantity = textField(o, "quantity", at);
            if (std::find(kQuantities.begin(), kQuantities.end(), e.quantity) == kQuantities.end())
                throw FileFormatError(
                    at +
                    "/quantity: must be speedup, wall, cpu, startup, rss, launch, mib, p50 or p99");
        }
        if (o.contains("than")) e.than = refFromJson(o["than"], at + "/than", lesson);
        for (const char* key : {"at_least", "at_most"}) {
            if (!o.contains(key)) continue;
            if (!o[key].is_number() || !std::isfinite(o[key].get<double>()))
                throw FileFormatError(at + "/" + key + ": must be a number");
            (std::string(key) == "at_least" ? e.atLeast : e.atMost) = o[key].get<double>();
        }
        if (o.contains("summary_contains")) {
            e.summaryContains = textField(o, "summary_contains", at);
            if (e.summaryContains.empty())
                throw FileFormatError(at + "/summary_contains: must not be empty");
            if (e.atLeast || e.atMost || e.than || o.contains("quantity"))
                throw FileFormatError(at +
                                      "/summary_contains: checks a text, not a number: no "
                                      "bounds, quantity or than with it");
        } else if (!e.atLeast && !e.atMost) {
            throw FileFormatError(at + ": give at_least, at_most or summary_contains");
        }
        if (o.contains("needs_cores"))
            e.needsCores = static_cast<unsigned>(countField(o, "needs_cores", at, 4096));
        out.push_back(std::move(e));
    }
    return out;
}

namespace {

/// A claim the run could not tell, with the part it is about.
struct Undecided {
    std::string says;      ///< the claim
    std::string why;       ///< why the run cannot tell
    std::string sentence;  ///< "this run cannot tell whether …: why"
    std::string line;      ///< what was measured
    std::size_t part = 0;  ///< the last part it is about (1-based; 0: any)
};

/// Every expectation judged by the evidence rules, in the lesson's order.
struct Judged {
    std::vector<Judgement> judgements;  ///< one per expectation (skipped ones CannotTell)
    std::vector<const Expectation*> notShown;
    std::vector<std::string> notShownLines;
    std::vector<Undecided> undecided;
    bool unmeasured = false;
    bool stopped = false;
    bool busy = false;
};

std::string capitalised(std::string s) {
    if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
    return s;
}

Judged judgeAll(const Lesson& lesson, const std::vector<ExperimentResult>& parts, bool noPython,
                LessonVerdict& v) {
    Judged j;
    j.stopped = std::any_of(parts.begin(), parts.end(), stopped);
    for (const Expectation& e : lesson.expectations) {
        // What only the interpreter could show is not a failure of the claim when it is missing.
        const auto optionalRuntime = [](Model m) { return isPython(m) || m == Model::Mpi; };
        if (noPython &&
            (optionalRuntime(e.ref.model) || (e.than && optionalRuntime(e.than->model)))) {
            j.judgements.push_back({Finding::CannotTell, "", "its runtime is not installed"});
            continue;
        }
        const Checked c = check(e, parts, lesson);
        ClaimBound bound{e.atLeast, e.atMost};
        if (!e.summaryContains.empty()) bound = {1.0, std::nullopt};
        Judgement judged = c.measured ? judgeClaim(e.says, c.evidence, bound)
                                      : Judgement{Finding::NotShown, "", "not measured"};
        if (!c.measured && c.evidence.stopped) judged = judgeClaim(e.says, c.evidence, bound);
        if (!c.measured && judged.finding == Finding::NotShown)
            judged.sentence = "this run did not measure what shows that " + e.says;
        j.judgements.push_back(judged);
        if (judged.finding == Finding::Shown) continue;
        v.failures.push_back(c.line);
        if (judged.finding == Finding::NotShown) {
            j.notShown.push_back(&e);
            j.notShownLines.push_back(c.line);
            j.unmeasured = j.unmeasured || !c.measured;
        } else if (judged.finding != Finding::Stopped) {
            j.busy = j.busy || judged.finding == Finding::Busy;
            j.undecided.push_back({e.says, judged.why, judged.sentence, c.line,
                                   std::max(e.ref.part, e.than ? e.than->part : 0)});
        }
    }
    return j;
}

/// The claims in `list` the run could not tell, in words: those refused for the same reason
/// share one sentence that gives it once ("… cannot tell whether A, or whether B: why.
/// Measured: …; …."), in the order they first appear.
std::string tellUndecided(const std::vector<const Undecided*>& list) {
    std::string out;
    std::vector<bool> told(list.size(), false);
    for (std::size_t a = 0; a < list.size(); ++a) {
        if (told[a]) continue;
        const Undecided& first = *list[a];
        const auto plain = [](const Undecided& u) {
            return !u.why.empty() &&
                   u.sentence == "this run cannot tell whether " + u.says + ": " + u.why;
        };
        std::vector<std::size_t> group{a};
        for (std::size_t b = a + 1; plain(first) && b < list.size(); ++b)
            if (!told[b] && plain(*list[b]) && list[b]->why == first.why) group.push_back(b);
        std::string sentence = capitalised(first.sentence);
        std::string measured = first.line;
        if (group.size() > 1) {
            sentence = "This run cannot tell whether " + first.says;
            for (std::size_t g = 1; g < group.size(); ++g) {
                sentence +=
                    (g + 1 == group.size() ? ", or whether " : ", whether ") + list[group[g]]->says;
                measured += "; " + list[group[g]]->line;
            }
            sentence += ": " + first.why;
        }
        for (std::size_t g : group) told[g] = true;
        out += (out.empty() ? "" : " ") + sentence + ". Measured: " + measured + ".";
    }
    return out;
}

/// The verdict told part by part where it only could not tell: each part's undecided claims
/// open that part's page (`byPart`: its words), and `advice` closes the last that has any.
void tellByPart(std::vector<std::string>& byPart, const Judged& j, const std::string& lead,
                const std::string& advice) {
    std::vector<std::vector<const Undecided*>> perPart(byPart.size());
    for (const Undecided& u : j.undecided)
        perPart[std::clamp<std::size_t>(u.part, 1, byPart.size()) - 1].push_back(&u);
    std::vector<std::string> heads(byPart.size());
    for (std::size_t i = 0; i < byPart.size(); ++i) heads[i] = tellUndecided(perPart[i]);
    for (std::size_t i = heads.size(); i-- > 0;)
        if (!heads[i].empty()) {
            heads[i] += advice;
            break;
        }
    for (std::size_t i = 0; i < byPart.size(); ++i)
        if (!heads[i].empty())
            byPart[i] = byPart[i].empty() ? heads[i] : heads[i] + lead + byPart[i];
}

/// Why the expectations in `failed` did not hold on a run with enough evidence: too few cores,
/// slow CPUs (measured as inflated CPU time), a busy machine, or none (a contradiction).
std::string causeOfNotShown(const std::vector<ExperimentResult>& parts,
                            const std::vector<const Expectation*>& failed, bool unmeasured,
                            LessonVerdict& v) {
    unsigned cores = 0;
    double other = -1;
    for (const Expectation* e : failed) {
        if (e->ref.part > parts.size()) continue;
        const ExperimentResult& r = parts[e->ref.part - 1];
        if (r.machineLoad.measured()) other = std::max(other, r.machineLoad.otherProgramsCpuPct);
        const unsigned c =
            r.environment.allowedCpus > 0 ? r.environment.allowedCpus : r.environment.logicalCpus;
        if (c > 0) cores = cores == 0 ? c : std::min(cores, c);
    }
    v.otherProgramsCpuPct = std::max(v.otherProgramsCpuPct, other);
    double inflation = 0;
    std::string inflated;
    for (const Expectation* e : failed) {
        std::vector<LessonRef> refs{e->ref};
        if (e->than) refs.push_back(*e->than);
        for (const LessonRef& ref : refs) {
            std::string what;
            const double x = cpuInflation(parts, ref, what);
            if (x > inflation) {
                inflation = x;
                inflated = what;
            }
        }
    }
    unsigned needed = 1;
    for (const Expectation* e : failed) needed = std::max(needed, e->needsCores);
    // Slow CPUs and other programs change timings, not sizes or a run's own account: they
    // explain nothing else.
    const bool timing = std::any_of(failed.begin(), failed.end(), [](const Expectation* e) {
        return e->summaryContains.empty() && isTiming(e->quantity);
    });
    if (!timing) inflation = 0;
    const std::string load = other < 0 ? std::string() : format(other, 0) + " % of the CPUs";
    if (cores > 0 && cores < needed) {
        v.outcome = LessonVerdict::Outcome::TooFewCores;
        return "This machine lets CoreDuel use only " + std::to_string(cores) + " CPU" +
               (cores == 1 ? "" : "s") + ", and the claim needs at least " +
               std::to_string(needed) +
               ": the workers cannot all compute at the same time here. Run it on a machine with "
               "more cores to see the effect.";
    }
    if (inflation >= kSlowCpuInflation && other < kBusyOtherProgramsPct) {
        v.outcome = LessonVerdict::Outcome::Busy;
        return "The CPUs ran slow during the run: " + inflated +
               " for the same work, so each core did less in the same time. On a virtual "
               "machine that is the host lending our CPUs to others (not always reported as "
               "steal). Re-run the lesson to see the effect.";
    }
    if (timing && other >= kBusyOtherProgramsPct) {
        v.outcome = LessonVerdict::Outcome::Busy;
        return "The machine was busy: other programs used " + load +
               " during the run, so the workers did not have the cores to themselves. Re-run "
               "on a quiet machine (close other programs) to see the effect.";
    }
    v.outcome = LessonVerdict::Outcome::Contradicted;
    std::string out =
        unmeasured ? "A configuration the claim needs was not measured (see the table). " : "";
    out += other < 0 ? "How busy the machine was is unknown (no CPU samples were taken); taken at "
                       "face value, "
                     : "The machine was quiet (other programs used " + load + "), so ";
    return out +
           "the measurement contradicts the claim here: see the numbers in the table, and repeat "
           "the lesson at full size (not quick) before drawing a conclusion.";
}

}  // namespace

LessonVerdict explainOutcome(const Lesson& lesson, const std::vector<ExperimentResult>& parts,
                             bool noPython) {
    LessonVerdict v;
    const Judged j = judgeAll(lesson, parts, noPython, v);
    for (const ExperimentResult& r : parts)
        if (r.machineLoad.measured())
            v.otherProgramsCpuPct =
                std::max(v.otherProgramsCpuPct, r.machineLoad.otherProgramsCpuPct);
    if (j.stopped) {
        // Incomplete numbers: neither a success nor a failure of any claim.
        v.outcome = LessonVerdict::Outcome::Stopped;
        v.text =
            "The run was stopped before its end, so it says nothing about the lesson's claims: "
            "a stopped run is neither a success nor a failure, and its numbers are incomplete. "
            "Run the lesson again to the end to see them.";
        v.pages = {v.text};
        return v;
    }
    const std::string& text = noPython && !lesson.explanationWithoutPython.empty()
                                  ? lesson.explanationWithoutPython
                                  : lesson.explanation;
    // Where some claim is refused, the verdict leads with every reason (below): the
    // explanation after it names the refused claims without repeating them.
    const bool told = !v.failures.empty();
    const std::string filled = applyClaimMarkers(fillExplanation(text, parts), j.judgements, told);
    for (const std::string& raw : explanationByPart(text, lesson))
        v.pages.push_back(applyClaimMarkers(fillExplanation(raw, parts), j.judgements, told));
    if (v.failures.empty()) {
        v.text = filled;
        return v;
    }
    std::string out;
    if (!j.notShown.empty()) {
        std::string says;
        for (std::size_t i = 0; i < j.notShown.size(); ++i) {
            const auto first = j.notShown.begin() + static_cast<std::ptrdiff_t>(i);
            if (std::find_if(j.notShown.begin(), first, [&](const Expectation* f) {
                    return f->says == j.notShown[i]->says;
                }) != first)
                continue;
            says += (says.empty() ? "" : "; nor that ") + j.notShown[i]->says;
        }
        out = "This run did not show that " + says + ": ";
        for (std::size_t i = 0; i < j.notShownLines.size(); ++i)
            out += (i == 0 ? "" : "; ") + j.notShownLines[i];
        out += ". " + causeOfNotShown(parts, j.notShown, j.unmeasured, v);
    } else {
        v.outcome = j.busy ? LessonVerdict::Outcome::Busy : LessonVerdict::Outcome::CannotTell;
    }
    std::vector<const Undecided*> all;
    for (const Undecided& u : j.undecided) all.push_back(&u);
    if (!all.empty()) out += (out.empty() ? "" : " ") + tellUndecided(all);
    const std::string advice =
        j.busy ? " Re-run on a quiet machine (close other programs) to see the effect."
               : " Run the lesson again at full size (not quick) to tell.";
    if (j.notShown.empty()) out += advice;
    const std::string lead =
        "\n\nWhat the guide expects, with this run's numbers (claims this run could not "
        "support are replaced by what it can say): ";
    v.text = out + lead + filled;
    if (j.notShown.empty())  // only undecided claims: each with the part it is about
        tellByPart(v.pages, j, lead, advice);
    else  // a claim the run did not show: the verdict first, whole
        v.pages.front() = v.pages.front().empty() ? out : out + lead + v.pages.front();
    return v;
}

}  // namespace coreduel
