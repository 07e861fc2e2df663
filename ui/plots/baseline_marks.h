#pragma once
// A baseline on the bar charts: a hollow, dashed outline of the baseline's bar over each bar of
// the same configuration, so "then" and "now" read in one place without doubling the bars.

#include <QColor>
#include <QString>
#include <cmath>
#include <functional>
#include <vector>

#include <qcustomplot.h>
#include "ui/plots/run_groups.h"

namespace coreduel::ui {

/// Per group of `now`, the baseline's mean of `field` over its runs of the same configuration
/// (compare.h's configurationLabel); NaN where the baseline has none.
std::vector<double> baselineLevels(const std::vector<RunGroup>& now,
                                   const std::vector<RunResult>& baseline,
                                   const std::function<double(const RunResult&)>& field);

/// Outlined bars `width` wide at (i + offset) up to levels[i], for every level that is a
/// number; nullptr when none is. Named for the legend; drawn above the bars.
QCPBars* addBaselineOutlines(QCPAxis* x, QCPAxis* y, const std::vector<double>& levels,
                             double offset, double width, const QColor& colour,
                             const QString& name);

}  // namespace coreduel::ui
