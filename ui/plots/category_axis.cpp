#include "ui/plots/category_axis.h"

#include <cmath>

#include "ui/model_names.h"
#include "ui/plots/run_groups.h"

namespace coreduel::ui {
namespace {

QString abbreviation(const QString& group) {
    // The interpreter's models keep their prefix: "py:thr" never reads as the engine's "thr";
    // and their interpreter ("py:seq 3.13t"): two interpreters' groups never share a name.
    if (group.startsWith(QLatin1String("py:"))) {
        const QString interpreter = group.section(QLatin1Char(' '), 1);
        return QStringLiteral("py:") + abbreviation(group.mid(3)).toLower() +
               (interpreter.isEmpty() ? QString() : QLatin1Char(' ') + interpreter);
    }
    if (group.startsWith(QLatin1String("sequential"))) return QStringLiteral("seq");
    if (group.startsWith(QLatin1String("gil-threads"))) return QStringLiteral("gil-thr");
    if (group.startsWith(QLatin1String("threads"))) return QStringLiteral("thr");
    if (group.startsWith(QLatin1String("processes"))) return QStringLiteral("proc");
    return group.left(4);
}

/// Runs of neighbouring categories with the same group: [first, last].
std::vector<std::pair<std::size_t, std::size_t>> groupSpans(const std::vector<Category>& cats) {
    std::vector<std::pair<std::size_t, std::size_t>> spans;
    for (std::size_t i = 0; i < cats.size(); ++i) {
        if (!spans.empty() && cats[spans.back().first].group == cats[i].group)
            spans.back().second = i;
        else
            spans.emplace_back(i, i);
    }
    return spans;
}

/// The group names under `per` pixels per category, in full where their bars leave room, else
/// abbreviated; the abbreviations used are spelt out in the group axis' title.
QSharedPointer<QCPAxisTickerText> groupTicker(const std::vector<Category>& categories,
                                              QCPAxis* axis, double per) {
    const QFontMetrics gm(axis->tickLabelFont());
    const auto spans = groupSpans(categories);
    // Each group's name in full where its bars leave room, else abbreviated; a group too
    // narrow even for that (sequential: one bar) may use what its neighbours' names leave.
    std::vector<QString> labels;
    std::vector<double> room;  // pixels each label may take
    for (const auto& [first, last] : spans) {
        room.push_back(per * double(last - first + 1));
        const QString& full = categories[first].group;
        labels.push_back(gm.horizontalAdvance(full) + 6 <= room.back() ? full : abbreviation(full));
    }
    auto slack = [&](std::size_t i) {
        return i < labels.size()
                   ? std::max(0.0, (room[i] - gm.horizontalAdvance(labels[i]) - 6) / 2)
                   : 0.0;
    };
    auto groups = QSharedPointer<QCPAxisTickerText>::create();
    QStringList key;  // the abbreviations used, spelt out under them
    for (std::size_t i = 0; i < spans.size(); ++i) {
        const QString& full = categories[spans[i].first].group;
        double width = room[i];
        // Eight pixels kept free between it and each neighbour's name; past the first and the
        // last group, the corner under the axis' ends (a category wide).
        const double left = i > 0 ? slack(i - 1) : per;
        const double right = i + 1 < spans.size() ? slack(i + 1) : per;
        if (gm.horizontalAdvance(full) + 6 > width)
            width += 2 * std::max(0.0, std::min(left, right) - 8);
        QString label = gm.horizontalAdvance(full) + 6 <= width ? full : abbreviation(full);
        if (gm.horizontalAdvance(label) + 6 > width) label.clear();
        if (!label.isEmpty() && label != full) {
            const QString entry = label + QStringLiteral(" = ") + full;
            if (!key.contains(entry)) key << entry;
        }
        groups->addTick((double(spans[i].first) + double(spans[i].second)) / 2, label);
    }
    axis->setLabel(key.join(QStringLiteral(", ")));
    return groups;
}

}  // namespace

std::vector<Category> categoriesOf(const std::vector<RunGroup>& groups) {
    std::vector<Category> out;
    for (const RunGroup& g : groups) {
        const QStringList parts = g.label.split(QLatin1Char('\n'));
        Category c;
        c.group = parts.front();
        c.item = parts.size() > 1 ? parts.mid(1).join(QLatin1Char(' ')) : QStringLiteral("×1");
        const std::string interpreter =
            g.runs.empty() ? std::string() : interpreterName(*g.runs.front());
        if (g.config.model == Model::Sequential)
            c.full = QStringLiteral("sequential (the baseline)");
        else if (g.config.model == Model::PySequential)
            c.full = QStringLiteral("%1: the interpreter's own baseline")
                         .arg(modelName(g.config.model, interpreter));
        else
            c.full = QStringLiteral("%1, %2 workers")
                         .arg(isPython(g.config.model) ? modelName(g.config.model, interpreter)
                                                       : c.group)
                         .arg(g.config.workers);
        if (parts.size() > 1 && parts[1].contains(QLatin1Char(' ')))
            c.full += QStringLiteral(", chunk %1").arg(parts[1].section(QLatin1Char('c'), -1));
        out.push_back(c);
    }
    return out;
}

CategoryAxis::CategoryAxis(QCPAxis* axis)
    : m_axis(axis), m_groups(axis->axisRect()->addAxis(axis->axisType())) {
    m_groups->setTickLength(0, 0);
    m_groups->setSubTickLength(0, 0);
    m_groups->grid()->setVisible(false);
    m_groups->setBasePen(Qt::NoPen);
    m_groups->setOffset(0);
    m_groups->setPadding(2);
    m_axis->setPadding(0);
    QObject::connect(m_axis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), m_groups,
                     qOverload<const QCPRange&>(&QCPAxis::setRange));
}

void CategoryAxis::setCategories(std::vector<Category> categories) {
    m_categories = std::move(categories);
    m_groups->setRange(m_axis->range());
    fit();
}

void CategoryAxis::fit() {
    const std::size_t n = m_categories.size();
    const double pixels = m_axis->axisRect()->width() > 0 ? m_axis->axisRect()->width()
                                                          : m_axis->parentPlot()->width() - 90;
    const double per = pixels / std::max(1.0, m_axis->range().size());  // pixels per category
    const QFontMetrics fm(m_axis->tickLabelFont());
    auto items = QSharedPointer<QCPAxisTickerText>::create();
    for (std::size_t i = 0; i < n; ++i) {
        QString label = m_categories[i].item;
        if (fm.horizontalAdvance(label) + 4 > per) label = label.mid(1);  // "×16" -> "16"
        if (fm.horizontalAdvance(label) + 4 > per) label.clear();
        items->addTick(double(i), label);
    }
    m_axis->setTicker(items);
    m_groups->setLabelFont(m_axis->labelFont());
    m_groups->setLabelColor(m_axis->labelColor());
    m_groups->setTickLabelFont(m_axis->tickLabelFont());  // before the names are measured
    m_groups->setTickLabelColor(m_axis->tickLabelColor());
    m_groups->setTicker(groupTicker(m_categories, m_groups, per));
    m_groups->setRange(m_axis->range());
    m_groups->setVisible(m_axis->visible() && m_axis->tickLabels() && n > 0);
}

QString CategoryAxis::hoverAt(const QPointF& pos) const {
    if (m_categories.empty() || !m_axis->tickLabels()) return {};
    const QRect r = m_axis->axisRect()->rect();
    const QRect outer = m_axis->axisRect()->outerRect();
    if (pos.x() < r.left() || pos.x() > r.right() || pos.y() <= r.bottom() ||
        pos.y() > outer.bottom())
        return {};
    const long i = std::lround(m_axis->pixelToCoord(pos.x()));
    if (i < 0 || i >= static_cast<long>(m_categories.size())) return {};
    return m_categories[static_cast<std::size_t>(i)].full;
}

}  // namespace coreduel::ui
