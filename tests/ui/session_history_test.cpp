// No lost work: every run's session is kept in the history (its own file, not one the next
// run overwrites), within its limits, oldest dropped first, the shown one never; the history
// can be emptied; and a window with a history keeps a lesson's or an experiment's session
// after the next run, reopenable.

#include <gtest/gtest.h>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include "tests/ui/ui_support.h"
#include "ui/window/main_window.h"
#include "ui/window/session_history.h"

using namespace coreduel;
using namespace coreduel::ui;

namespace {

void writeBytes(const QString& path, int n) {
    QFile f(path);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write(QByteArray(n, 'x'));
}

}  // namespace

TEST(SessionHistory, KeepsTheNewestWithinItsLimitsAndNeverTheShownOne) {
    QTemporaryDir dir;
    SessionHistory h(dir.filePath(QStringLiteral("sessions")), {3, 1'000'000});
    QStringList placed;
    for (int i = 0; i < 5; ++i) {
        const QString p =
            h.place(QStringLiteral("primes x/2"), placed.isEmpty() ? QString() : placed.front());
        EXPECT_FALSE(QFile::exists(p));
        EXPECT_TRUE(p.endsWith(QStringLiteral(".coreduel")));
        EXPECT_FALSE(p.contains(QStringLiteral("x/2"))) << "a label is made file-safe";
        writeBytes(p, 100);
        placed << p;
    }
    const auto entries = h.entries();
    // The newest 3, and beside them the oldest: the "shown" one, passed as keep.
    ASSERT_EQ(entries.size(), 4u);
    EXPECT_EQ(entries.front().path.toStdString(), placed.back().toStdString()) << "newest first";
    EXPECT_TRUE(QFile::exists(placed.front())) << "the shown session is never dropped";
    EXPECT_EQ(entries.front().label, QStringLiteral("primes-x-2"));
    EXPECT_EQ(entries.front().bytes, 100);
    // Bytes: a limit of 250 keeps two of 100 (one is placed after the pruning).
    SessionHistory small(h.directory(), {30, 250});
    (void)small.place(QStringLiteral("next"));
    EXPECT_LE(small.entries().size(), 2u);
    EXPECT_FALSE(small.remove(QStringLiteral("/etc/passwd"))) << "only the history's own files";
    EXPECT_GE(small.clear(), 1);
    EXPECT_TRUE(small.entries().empty());
}

TEST(SessionHistory, AWindowKeepsEveryRunsSessionToReopen) {
    QTemporaryDir dir;
    MainWindow::Options o;
    o.persistSettings = false;
    o.historyDir = dir.filePath(QStringLiteral("history"));
    MainWindow w(o);
    bool done = false;
    QObject::connect(&w, &MainWindow::experimentDone, [&](bool) { done = true; });
    QStringList sessions;
    for (const char* workload : {"primes", "square"}) {
        Experiment e;
        e.workload = workload;
        e.params = {{std::string(workload) == "primes" ? "end" : "count", "20000"}};
        e.models = {Model::Threads};
        e.workerCounts = {1};
        done = false;
        ASSERT_TRUE(w.runExperiment(e));
        ASSERT_TRUE(test::spinUntil([&] { return done; }));
        sessions << w.sessionFile();
    }
    ASSERT_EQ(sessions.size(), 2);
    EXPECT_NE(sessions[0], sessions[1]) << "the second run did not overwrite the first";
    EXPECT_TRUE(QFile::exists(sessions[0]));
    SessionHistory h(o.historyDir);
    ASSERT_EQ(h.entries().size(), 2u);
    EXPECT_EQ(h.entries().front().label, QStringLiteral("square"));
    // The first run's session reopens after the second run.
    ASSERT_EQ(test::openAndWait(w, sessions[0]), QString());
    ASSERT_TRUE(w.result().has_value());
    EXPECT_EQ(w.result()->experiment.workload, "primes");
}
