#pragma once
// Layout checks that do not depend on taste: from the laid-out widgets, the QCustomPlot
// elements and the font metrics they are drawn with, every text's box is computed and checked
// against its neighbours and its container. Each function returns the problems it found, one
// readable line each, so a failing test says what is cut where.

#include <QRect>
#include <QString>
#include <QStringList>

class QWidget;
class QScrollArea;

namespace coreduel::ui {
class Chart;
}

namespace coreduel::test {

/// Tick labels that overlap or leave the widget, axis labels longer than their axis, text
/// elements (titles, subtitles) cut or elided without a full text on hover, legend entries
/// smaller than their text, layout elements outside the widget, an axis rect too small to
/// read without the chart saying so. `printed`: laid out for a file (ExportLayout), which has
/// no hover to give the rest of a shortened text: then any shortened title, axis title, tick
/// label or legend entry is a problem too.
QStringList chartProblems(coreduel::ui::Chart& chart, const QString& where, bool printed = false);

/// Labels, buttons, check boxes and tab bars under `root` whose text does not fit their
/// widget (and is not elided with a tooltip), and widgets that stick out of a visible
/// ancestor sideways.
QStringList widgetTextProblems(QWidget& root, const QString& where);

/// The scroll area's content is wider than its viewport, or can scroll sideways.
QStringList horizontalOverflow(QScrollArea& scroll, const QString& where);

/// `w` is visible and not cut by any ancestor (a scroll viewport included).
bool fullyShown(const QWidget& w);

}  // namespace coreduel::test
