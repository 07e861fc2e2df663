// LessonRun: the one sequencing of a lesson's parts that the CLI and the window both drive.
// Which part runs next and how, where it goes in the session, and how the lesson ends —
// stopped is not failed, a failed part ends it, a Python part without python3 is skipped
// and the lesson explains itself without it.

#include <gtest/gtest.h>

#include "core/lessons/lesson_run.h"

using namespace coreduel;

namespace {

Lesson twoParts() {
    Lesson l;
    l.name = "99-test";
    l.title = "A test lesson";
    l.explanation = "Threads ran.";
    l.explanationWithoutPython = "Threads ran, without Python.";
    LessonPart a;
    a.label = "threads";
    a.experiment.workload = "primes";
    a.experiment.models = {Model::Threads};
    a.experiment.workerCounts = {1, 2};
    a.quickParams = {{"end", "1000"}};
    LessonPart b;
    b.label = "the real interpreter";
    b.python = {"primes.py"};
    l.parts = {a, b};
    return l;
}

ExperimentResult finished(bool ok = true, bool cancelled = false) {
    ExperimentResult r;
    RunResult run;
    run.ok = ok;
    run.wallSeconds = 1;
    r.runs.push_back(run);
    r.cancelled = cancelled;
    return r;
}

}  // namespace

TEST(LessonRun, NamesEachPartInTurnWithItsPlaceInTheSession) {
    LessonRun run(twoParts(), /*quick=*/true, /*pythonFound=*/true);
    auto step = run.next();
    ASSERT_TRUE(step);
    EXPECT_EQ(step->part, 0u);
    EXPECT_EQ(step->kind, LessonRun::Kind::Experiment);
    EXPECT_EQ(step->experiment.params.at("end"), "1000");  // the quick size
    EXPECT_EQ(step->session.index, 0u);
    EXPECT_EQ(step->session.count, 2u);
    ASSERT_TRUE(step->session.lesson);
    EXPECT_TRUE(step->session.lesson->quick);
    EXPECT_EQ(step->session.lesson->parts.size(), 2u);
    run.partDone(finished());
    EXPECT_EQ(run.end(), LessonRun::End::Running);
    step = run.next();
    ASSERT_TRUE(step);
    EXPECT_EQ(step->part, 1u);
    EXPECT_EQ(step->kind, LessonRun::Kind::Python);
    EXPECT_EQ(step->session.label, "the real interpreter");
    run.partDone(finished());
    EXPECT_FALSE(run.next());
    EXPECT_EQ(run.end(), LessonRun::End::Finished);
    EXPECT_FALSE(run.withoutPython());
}

TEST(LessonRun, APythonPartWithoutPythonIsSkippedAndTheLessonSaysSo) {
    LessonRun run(twoParts(), true, /*pythonFound=*/false);
    run.partDone(finished());
    const auto step = run.next();
    ASSERT_TRUE(step);
    EXPECT_EQ(step->kind, LessonRun::Kind::SkipPython);
    run.partDone(ExperimentResult{});  // a skipped part: no runs, not a failure
    EXPECT_EQ(run.end(), LessonRun::End::Finished);
    EXPECT_TRUE(run.withoutPython());
}

TEST(LessonRun, AStoppedPartEndsTheLessonAsStoppedNotFailed) {
    LessonRun run(twoParts(), true, true);
    run.partDone(finished(true, /*cancelled=*/true));
    EXPECT_FALSE(run.next());
    EXPECT_EQ(run.end(), LessonRun::End::Stopped);
    const std::string text = run.outcomeText();
    EXPECT_NE(text.find("stopped"), std::string::npos) << text;
    EXPECT_EQ(text.find("failed"), std::string::npos) << text;
    EXPECT_TRUE(run.predictionLines({}).empty());  // nothing is compared with a stopped run
}

TEST(LessonRun, AFailedPartEndsTheLessonWithoutAnExplanation) {
    LessonRun run(twoParts(), true, true);
    run.partDone(finished(/*ok=*/false));
    EXPECT_FALSE(run.next());
    EXPECT_EQ(run.end(), LessonRun::End::Failed);
    EXPECT_NE(run.outcomeText().find("no explanation from incomplete numbers"), std::string::npos);
    LessonRun cannotStart(twoParts(), true, true);
    cannotStart.fail("the start method is unsafe here");
    EXPECT_EQ(cannotStart.end(), LessonRun::End::Failed);
    EXPECT_NE(cannotStart.outcomeText().find("the start method is unsafe here"), std::string::npos);
}

TEST(LessonRun, AReopenedSessionsPartsEndItAsTheyEnded) {
    // All parts: finished; fewer than planned: stopped (the session was cut); a skipped
    // Python part (no runs) reads as a lesson without Python.
    const auto all = LessonRun::ended(twoParts(), false, {finished(), ExperimentResult{}});
    EXPECT_EQ(all.end(), LessonRun::End::Finished);
    EXPECT_TRUE(all.withoutPython());
    const auto cut = LessonRun::ended(twoParts(), false, {finished()});
    EXPECT_EQ(cut.end(), LessonRun::End::Stopped);
    // A session with more parts than the lesson file has now: only the lesson's own.
    const auto longer = LessonRun::ended(twoParts(), false, {finished(), finished(), finished()});
    EXPECT_EQ(longer.results().size(), 2u);
}
