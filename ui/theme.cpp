#include "ui/theme.h"

#include <qcustomplot.h>

#include <QApplication>
#include <QStyleFactory>
#include <algorithm>
#include <array>

namespace coreduel::ui {
namespace {

// Okabe & Ito, "Color Universal Design" (2008).
constexpr std::array<QRgb, 7> kOkabeIto = {
    0x0072B2,  // blue
    0xD55E00,  // vermillion
    0x009E73,  // bluish green
    0xE69F00,  // orange
    0xCC79A7,  // reddish purple
    0x56B4E9,  // sky blue
    0xF0E442,  // yellow
};

}  // namespace

QColor Theme::modelColor(Model m) const {
    switch (m) {
        case Model::Sequential:
            return isDark() ? QColor(0xBBBBBB) : QColor(0x555555);
        case Model::Threads:
            return QColor(kOkabeIto[0]);
        case Model::GilThreads:
            return QColor(kOkabeIto[1]);
        case Model::Processes:
            return QColor(kOkabeIto[2]);
        case Model::Mpi:
            // Okabe-Ito's yellow is too faint on white: a dark gold of the same hue there.
            return isDark() ? QColor(kOkabeIto[6]) : QColor(0x8A6D00);
        // The real interpreter's models: colours of their own (never a native model's), so a
        // chart never lets a CPython curve pass for the engine's.
        case Model::PySequential:
            return isDark() ? QColor(0x8C8C8C) : QColor(0x9A9A9A);
        case Model::PyThreads:
            return QColor(kOkabeIto[4]);
        case Model::PyProcesses:
            return QColor(kOkabeIto[5]);
    }
    return foreground;
}

QColor Theme::stateColor(TaskState s) const {
    switch (s) {
        case TaskState::Compute:
            return QColor(kOkabeIto[0]);
        case TaskState::LockWait:
            return QColor(kOkabeIto[1]);
        case TaskState::Transfer:
            return QColor(kOkabeIto[3]);
    }
    return foreground;
}

QColor Theme::series(int i) const {
    return QColor(kOkabeIto[static_cast<std::size_t>(i) % kOkabeIto.size()]);
}

QColor Theme::heat(double fraction) const {
    // A single-hue ramp (luminance carries the value) reads the same for every viewer and in
    // grey-scale; idle blends into the background so busy cores stand out.
    const double t = std::clamp(fraction, 0.0, 1.0);
    auto mix = [t](int a, int b) { return static_cast<int>(a + (b - a) * t + 0.5); };
    return QColor(mix(heatLow.red(), heatHigh.red()), mix(heatLow.green(), heatHigh.green()),
                  mix(heatLow.blue(), heatHigh.blue()));
}

QPalette Theme::palette() const {
    QPalette p;
    const QColor base = isDark() ? QColor(0x1E1E1E) : QColor(0xFFFFFF);
    const QColor window = isDark() ? QColor(0x2B2B2B) : QColor(0xF2F2F2);
    const QColor button = isDark() ? QColor(0x3A3A3A) : QColor(0xE6E6E6);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, foreground);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, isDark() ? QColor(0x262626) : QColor(0xF7F7F7));
    p.setColor(QPalette::Text, foreground);
    p.setColor(QPalette::Button, button);
    p.setColor(QPalette::ButtonText, foreground);
    p.setColor(QPalette::ToolTipBase, base);
    p.setColor(QPalette::ToolTipText, foreground);
    p.setColor(QPalette::PlaceholderText, subtle);
    p.setColor(QPalette::Highlight, QColor(kOkabeIto[0]));
    p.setColor(QPalette::HighlightedText, QColor(Qt::white));
    p.setColor(QPalette::Link, isDark() ? QColor(kOkabeIto[5]) : QColor(kOkabeIto[0]));
    p.setColor(QPalette::Disabled, QPalette::Text, subtle);
    p.setColor(QPalette::Disabled, QPalette::WindowText, subtle);
    p.setColor(QPalette::Disabled, QPalette::ButtonText, subtle);
    return p;
}

Theme Theme::light() {
    return Theme{"light",          QColor(Qt::white), QColor(0x202020), QColor(0xDDDDDD),
                 QColor(0x777777), QColor(0xF4F4F4),  QColor(0x08306B)};
}

Theme Theme::dark() {
    return Theme{"dark",           QColor(0x1E1E1E), QColor(0xE8E8E8), QColor(0x404040),
                 QColor(0x9A9A9A), QColor(0x262626), QColor(0x9ECAE1)};
}

Theme Theme::byName(const QString& name) {
    return name == QLatin1String("dark") ? dark() : light();
}

QFont chartFont(int pointSize) {
    QFont f(QStringLiteral("DejaVu Sans"));
    f.setPointSize(pointSize);
    return f;
}

void applyTheme(QCustomPlot& plot, const Theme& theme) {
    plot.setBackground(theme.background);
    const QPen axisPen(theme.foreground, 1);
    const QPen gridPen(theme.grid, 1, Qt::SolidLine);
    const QPen subGridPen(theme.grid, 1, Qt::DotLine);
    for (QCPAxisRect* rect : plot.axisRects()) {
        rect->setBackground(theme.background);
        for (QCPAxis* axis : rect->axes()) {
            axis->setBasePen(axisPen);
            axis->setTickPen(axisPen);
            axis->setSubTickPen(axisPen);
            axis->setTickLabelColor(theme.foreground);
            axis->setLabelColor(theme.foreground);
            axis->setTickLabelFont(chartFont(11));
            axis->setLabelFont(chartFont(12));
            axis->grid()->setPen(gridPen);
            axis->grid()->setSubGridPen(subGridPen);
            axis->grid()->setZeroLinePen(Qt::NoPen);
        }
    }
    plot.legend->setBrush(QBrush(theme.background));
    plot.legend->setBorderPen(QPen(theme.grid));
    plot.legend->setTextColor(theme.foreground);
    plot.legend->setFont(chartFont(11));
    for (int i = 0; i < plot.plotLayout()->elementCount(); ++i) {
        if (auto* title = qobject_cast<QCPTextElement*>(plot.plotLayout()->elementAt(i))) {
            title->setTextColor(theme.foreground);
            title->setFont(chartFont(13));
        }
    }
}

void applyTheme(QApplication& app, const Theme& theme) {
    app.setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    app.setPalette(theme.palette());
}

}  // namespace coreduel::ui
