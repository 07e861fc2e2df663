// ui tests: a QApplication (widgets need one) on the offscreen platform, and the worker built
// with these tests.

#include <gtest/gtest.h>

#include <QApplication>
#include <cstdlib>

int main(int argc, char** argv) {
    ::setenv("COREDUEL_WORKER", COREDUEL_WORKER_PATH, 0);
    ::setenv("QT_QPA_PLATFORM", "offscreen", 0);
    QApplication app(argc, argv);
    // Tests never touch the user's settings.
    QApplication::setOrganizationName(QStringLiteral("CoreDuelTests"));
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
