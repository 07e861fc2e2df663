// No surprise execution in the window: an experiment that runs the user's own code is shown
// (file, size, SHA-256, function) before it runs; one that runs only CoreDuel's workloads is
// not asked about; and what it shows changes when the file does (a changed file asks again).

#include <gtest/gtest.h>

#include <QCryptographicHash>
#include <QFile>
#include <QTemporaryDir>

#include "ui/panels/user_code_consent.h"

using namespace coreduel;
using namespace coreduel::ui;

TEST(UserCodeConsent, ShowsTheFileItsSizeAndHashAndNothingForBuiltIns) {
    Experiment builtIn;
    builtIn.workload = "primes";
    EXPECT_TRUE(UserCodeConsent::describe(builtIn).isEmpty());

    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("guide.py"));
    {
        QFile f(path);
        ASSERT_TRUE(f.open(QIODevice::WriteOnly));
        f.write("def worker_function(x):\n    return x * x\n");
    }
    Experiment mine;
    mine.workload = "python";
    mine.params = {{"file", path.toStdString()}, {"function", "worker_function"}};
    const QString first = UserCodeConsent::describe(mine);
    EXPECT_TRUE(first.contains(path)) << first.toStdString();
    EXPECT_TRUE(first.contains(QStringLiteral("worker_function"))) << first.toStdString();
    QFile f(path);
    ASSERT_TRUE(f.open(QIODevice::ReadOnly));
    const QString sha = QString::fromLatin1(
        QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256).toHex());
    f.close();
    EXPECT_TRUE(first.contains(sha)) << first.toStdString();
    {
        QFile g(path);
        ASSERT_TRUE(g.open(QIODevice::Append));
        g.write("# changed\n");
    }
    EXPECT_NE(UserCodeConsent::describe(mine), first) << "a changed file is asked about again";
}
