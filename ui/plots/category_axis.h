#pragma once
// A two-level category axis: each bar's short label ("×4") on the axis, and under it one label
// per group of neighbouring bars ("processes"), centred under the group, on a second axis.
// Labels that do not fit their space are abbreviated ("proc") or left out, and the full name
// is always one hover away.

#include <qcustomplot.h>

#include <QString>
#include <vector>

namespace coreduel::ui {

struct RunGroup;

struct Category {
    QString group;  ///< "processes": shared by neighbouring bars
    QString item;   ///< "×4": this bar within its group
    QString full;   ///< "processes, 4 workers": the hover text
};

/// One category per run group: the model as the group, the worker count as the item.
std::vector<Category> categoriesOf(const std::vector<RunGroup>& groups);

class CategoryAxis {
public:
    /// Adds the group axis under `axis` in its axis rect.
    explicit CategoryAxis(QCPAxis* axis);

    void setCategories(std::vector<Category> categories);
    /// Chooses the labels for the axis' current width (before each layout).
    void fit();
    /// The full name of the category or group under `pos`, if on one of the two label rows.
    [[nodiscard]] QString hoverAt(const QPointF& pos) const;
    [[nodiscard]] QCPAxis* groupAxis() const { return m_groups; }

private:
    QCPAxis* m_axis;
    QCPAxis* m_groups;
    std::vector<Category> m_categories;
};

}  // namespace coreduel::ui
