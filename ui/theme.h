#pragma once
// Colours and fonts for windows and charts. The series colours are the Okabe-Ito palette,
// which stays distinguishable under the common forms of colour blindness and in grey-scale
// print; the same model always gets the same colour in every chart and export.

#include <QColor>
#include <QFont>
#include <QPalette>
#include <QString>

#include "core/vocab/model.h"

class QCustomPlot;
class QApplication;

namespace coreduel::ui {

/// What a timeline bar shows a worker doing.
enum class TaskState { Compute, LockWait, Transfer };

struct Theme {
    QString name;  ///< "light" or "dark"
    QColor background;
    QColor foreground;
    QColor grid;
    QColor subtle;  ///< secondary text, zero lines, the ideal-speedup line
    QColor heatLow;
    QColor heatHigh;

    [[nodiscard]] bool isDark() const { return name == QLatin1String("dark"); }
    [[nodiscard]] QColor modelColor(Model m) const;
    [[nodiscard]] QColor stateColor(TaskState s) const;
    /// The i-th series colour for things that are not models (breakdown parts, transports).
    [[nodiscard]] QColor series(int i) const;
    /// Utilization 0..1 on the heat strip's scale.
    [[nodiscard]] QColor heat(double fraction) const;
    [[nodiscard]] QPalette palette() const;

    static Theme light();
    static Theme dark();
    static Theme byName(const QString& name);  ///< unknown names give light
};

/// Chart fonts are sized in points so they stay readable when a 1920x1080 export is shown on
/// a projector: 11 pt tick labels, 12 pt axis labels, 13 pt titles.
QFont chartFont(int pointSize = 11);

/// Colours, fonts and grid of every axis rect and the legend of `plot`.
void applyTheme(QCustomPlot& plot, const Theme& theme);

/// Fusion style with the theme's palette, so window and charts agree.
void applyTheme(QApplication& app, const Theme& theme);

}  // namespace coreduel::ui
