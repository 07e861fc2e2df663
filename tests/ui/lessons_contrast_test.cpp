// The lesson's claim, question and title, and an invalid field's error, read in both themes: the
// text as drawn against the background behind it has a WCAG contrast ratio of at least 4.5 (AA for
// body text), also after switching themes while the window is open.

#include <gtest/gtest.h>

#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <cmath>
#include <map>

#include "tests/ui/ui_support.h"
#include "ui/panels/experiment_panel.h"
#include "ui/panels/lessons_panel.h"
#include "ui/window/main_window.h"

using namespace coreduel;
using namespace coreduel::ui;

namespace {

double luminance(QColor c) {
    auto channel = [](double v) {
        v /= 255.0;
        return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * channel(c.red()) + 0.7152 * channel(c.green()) + 0.0722 * channel(c.blue());
}

double contrast(QColor a, QColor b) {
    const double x = luminance(a), y = luminance(b);
    return (std::max(x, y) + 0.05) / (std::min(x, y) + 0.05);
}

struct Drawn {
    QColor background;  // the most common colour in the label's box
    QColor text;        // the pixel that differs most from it (a glyph's core)
};

/// The colours `label` is drawn with, from a render of the whole window (so the background
/// is what is really behind it, whoever paints it).
Drawn drawnColours(QWidget& window, QLabel& label) {
    const QImage image = window.grab().toImage();
    const QRect box(label.mapTo(&window, QPoint(0, 0)), label.size());
    const qreal dpr = image.devicePixelRatio();
    std::map<QRgb, int> counts;
    for (int y = box.top(); y <= box.bottom(); ++y)
        for (int x = box.left(); x <= box.right(); ++x)
            ++counts[image.pixel(QPoint(x, y) * dpr) & 0xffffff];
    Drawn d;
    int most = 0;
    for (const auto& [rgb, n] : counts)
        if (n > most) {
            most = n;
            d.background = QColor(rgb);
        }
    double best = 0;
    for (const auto& [rgb, n] : counts)
        if (const double c = contrast(QColor(rgb), d.background); c > best) {
            best = c;
            d.text = QColor(rgb);
        }
    return d;
}

QLabel* labelStartingWith(QWidget& root, const QString& start) {
    for (QLabel* l : root.findChildren<QLabel*>())
        if (l->text().startsWith(start)) return l;
    return nullptr;
}

}  // namespace

TEST(LessonsContrast, TheClaimReadsInBothThemes) {
    MainWindow::Options o;
    o.persistSettings = false;
    MainWindow w(o);
    w.resize(1366, 728);
    w.show();
    w.showChart(QStringLiteral("lessons"));
    test::spinUntil([] { return false; }, 50);
    LessonsPanel* panel = w.lessonsPanel();
    ASSERT_TRUE(panel->isVisible());
    ASSERT_TRUE(panel->selectLesson(QStringLiteral("gil")));
    const QString title = QString::fromStdString(panel->current()->title);
    const QString question = QString::fromStdString(panel->current()->question);
    // Light first, then dark, then light again: a switch must not leave old colours behind.
    for (const char* theme : {"light", "dark", "light", "dark"}) {
        SCOPED_TRACE(theme);
        w.setThemeByName(QString::fromLatin1(theme));
        test::spinUntil([] { return false; }, 50);
        for (const QString& start : {QStringLiteral("The guide:"), title, question}) {
            QLabel* label = labelStartingWith(*panel, start);
            ASSERT_NE(label, nullptr) << start.toStdString();
            ASSERT_TRUE(label->isVisible());
            const Drawn d = drawnColours(w, *label);
            const double ratio = contrast(d.text, d.background);
            EXPECT_GE(ratio, 4.5) << start.left(30).toStdString() << ": text "
                                  << d.text.name().toStdString() << " on "
                                  << d.background.name().toStdString();
        }
    }
    w.setThemeByName(QStringLiteral("light"));
}

TEST(LessonsContrast, AFieldsErrorReadsInBothThemes) {
    MainWindow::Options o;
    o.persistSettings = false;
    MainWindow w(o);
    w.resize(1366, 728);
    w.show();
    ExperimentPanel* panel = w.panel();
    QLineEdit* workers = nullptr;
    for (QLineEdit* e : panel->findChildren<QLineEdit*>())
        if (panel->fieldError(e) != nullptr && e->placeholderText().isEmpty()) workers = e;
    ASSERT_NE(workers, nullptr);
    workers->setText(QStringLiteral("abc"));  // wrong for workers and chunksizes alike
    QLabel* line = panel->fieldError(workers);
    ASSERT_NE(line, nullptr);
    for (const char* theme : {"light", "dark", "light"}) {
        SCOPED_TRACE(theme);
        w.setThemeByName(QString::fromLatin1(theme));
        test::spinUntil([] { return false; }, 50);
        ASSERT_TRUE(line->isVisible());
        const Drawn d = drawnColours(w, *line);
        const QColor text = line->palette().color(line->foregroundRole());
        EXPECT_GE(contrast(text, d.background), 4.5)
            << text.name().toStdString() << " on " << d.background.name().toStdString();
        // Still a red: the error stands out from ordinary text.
        EXPECT_GT(text.red(), text.blue() + 60) << text.name().toStdString();
    }
}
