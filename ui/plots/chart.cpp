#include "ui/plots/chart.h"

#include <QPainter>
#include <QToolTip>
#include <cmath>

namespace coreduel::ui {

Chart::Chart(const QString& title, QWidget* parent) : QCustomPlot(parent), m_titleText(title) {
    plotLayout()->insertRow(0);
    m_titleElement = new QCPTextElement(this, title, chartFont(13));
    plotLayout()->addElement(0, 0, m_titleElement);
    setNoAntialiasingOnDrag(true);
    // Small enough to share a 1366×768 screen with the other docks; below what can be read the
    // chart says so (fitAfterLayout) instead of drawing mush.
    setMinimumSize(240, 160);
    m_throttle.setSingleShot(true);
    connect(&m_throttle, &QTimer::timeout, this, &Chart::replotNow);
    connect(this, &QCustomPlot::afterReplot, this, [this] {
        ++m_replots;
        m_sinceReplot.restart();
    });
    connect(this, &QCustomPlot::beforeReplot, this, &Chart::fitBeforeLayout);
    connect(this, &QCustomPlot::afterLayout, this, &Chart::fitAfterLayout);
    m_sinceReplot.start();
}

void Chart::setTheme(const Theme& theme) {
    m_theme = theme;
    rebuild();
    applyTheme(*this, m_theme);
    if (m_subtitle != nullptr) {
        m_subtitle->setTextColor(m_theme.subtle);
        m_subtitle->setFont(chartFont(10));
    }
    requestReplot();
}

void Chart::setSubtitle(const QString& text) {
    if (m_subtitle == nullptr) {
        m_subtitle = new QCPTextElement(this, text, chartFont(10));
        m_subtitle->setTextColor(m_theme.subtle);
        if (m_subtitleShown) {
            plotLayout()->insertRow(1);
            plotLayout()->addElement(1, 0, m_subtitle);
        } else {
            m_subtitle->setVisible(false);  // setSubtitleShown(true) places it
        }
    }
    m_subtitleText = text;
    m_subtitle->setText(shownSubtitle());
}

void Chart::setSubtitleShown(bool shown) {
    if (shown == m_subtitleShown) return;
    m_subtitleShown = shown;
    if (m_subtitle == nullptr) return;
    // Out of the layout, not only invisible: a hidden element's row keeps its height.
    if (shown) {
        plotLayout()->insertRow(1);
        plotLayout()->addElement(1, 0, m_subtitle);
        m_subtitle->setVisible(true);
    } else {
        plotLayout()->take(m_subtitle);
        plotLayout()->simplify();
        m_subtitle->setVisible(false);
    }
}

QString Chart::shownSubtitle() const {
    const bool hint = !m_hintText.isEmpty() && !m_printing;
    return hint ? m_subtitleText + QLatin1Char('\n') + m_hintText : m_subtitleText;
}

void Chart::setInteractionHint(const QString& hint) {
    m_hintText = hint;
    setSubtitle(m_subtitleText);
}

void Chart::setPrinting(bool printing) {
    if (printing == m_printing) return;
    m_printing = printing;
    if (m_subtitle != nullptr) setSubtitle(m_subtitleText);
    printingChanged(printing);
}

void Chart::placeLegendBelow(int columns) {
    if (legend->layout() == plotLayout()) return;
    if (auto* inset = axisRect()->insetLayout(); inset->elements(false).contains(legend)) {
        inset->take(legend);
        inset->simplify();
    }
    const int row = plotLayout()->rowCount();
    plotLayout()->insertRow(row);
    plotLayout()->addElement(row, 0, legend);
    plotLayout()->setRowStretchFactor(row, 0.001);
    m_legendColumns = columns;
    legend->setWrap(columns);
    legend->setFillOrder(QCPLayoutGrid::foColumnsFirst, true);  // re-flows items already there
    legend->setMargins(QMargins(6, 2, 6, 2));
    legend->setVisible(true);
}

namespace {

/// `text` wrapped at word boundaries to `width` pixels, at most `maxLines` lines (the last one
/// elided); `shortened` says whether anything was left out.
QString wrapText(const QString& text, const QFontMetrics& fm, int width, int maxLines,
                 bool& shortened) {
    QStringList lines;
    for (const QString& paragraph : text.split(QLatin1Char('\n'))) {
        QString line;
        for (const QString& word : paragraph.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
            const QString candidate = line.isEmpty() ? word : line + QLatin1Char(' ') + word;
            if (line.isEmpty() || fm.horizontalAdvance(candidate) <= width) {
                line = candidate;
            } else {
                lines << line;
                line = word;
            }
        }
        lines << line;
    }
    shortened = lines.size() > maxLines;
    if (shortened) {
        lines = lines.mid(0, maxLines);
        lines.last() += QStringLiteral(" …");
    }
    for (QString& l : lines) {
        if (fm.horizontalAdvance(l) > width) {
            l = fm.elidedText(l, Qt::ElideRight, width);
            shortened = true;
        }
    }
    return lines.join(QLatin1Char('\n'));
}

/// The width a legend below the plot may take.
int legendRoom(const QCustomPlot& plot) {
    // The legend's cell is in the first column: what the other columns took (a colour scale
    // beside the plot) is not its to use.
    int room = plot.viewport().width() - 8;
    QCPLayoutGrid* grid = plot.plotLayout();
    for (int col = 1; col < grid->columnCount(); ++col) {
        int width = 0;
        for (int row = 0; row < grid->rowCount(); ++row) {
            QCPLayoutElement* e = grid->hasElement(row, col) ? grid->element(row, col) : nullptr;
            if (e != nullptr && e->visible())
                width =
                    std::max({width, e->outerRect().width(), e->minimumOuterSizeHint().width()});
        }
        room -= width;
    }
    return std::max(40, room);
}

}  // namespace

CategoryAxis* Chart::addCategoryAxis(QCPAxis* axis) {
    m_categoryAxes.push_back(std::make_unique<CategoryAxis>(axis));
    return m_categoryAxes.back().get();
}

void Chart::fitBeforeLayout() {
    m_shortened.clear();
    // Numeric axes: as many ticks as their length holds (the axis rects of the last layout;
    // a colour scale's axis too, whose rect is not one of the plot's).
    QList<QCPAxis*> numeric;
    for (QCPAxisRect* rect : axisRects()) numeric += rect->axes();
    for (QCPColorScale* scale : findChildren<QCPColorScale*>()) numeric << scale->axis();
    {
        for (QCPAxis* axis : numeric) {
            QCPAxisRect* rect = axis->axisRect();
            QSharedPointer<QCPAxisTicker> ticker = axis->ticker();
            if (ticker.isNull() || !ticker.dynamicCast<QCPAxisTickerText>().isNull() ||
                !ticker.dynamicCast<QCPAxisTickerFixed>().isNull())
                continue;
            const bool horizontal = axis->orientation() == Qt::Horizontal;
            const int length = horizontal ? rect->width() : rect->height();
            if (length <= 0) continue;
            const int per = horizontal ? 70 : 2 * QFontMetrics(axis->tickLabelFont()).height();
            // A short axis gets its two ends only (one step): three labels would overlap.
            ticker->setTickCount(std::clamp(length / per, 1, 8));
        }
    }
    for (auto& c : m_categoryAxes) c->fit();
    // The viewport, not the widget: an export lays the chart out at its own size.
    const QSize size = viewport().size();
    int textWidth = std::max(40, size.width() - 16);
    bool shortened = false;
    m_titleElement->setText(
        wrapText(m_titleText, QFontMetrics(m_titleElement->font()), textWidth, 1, shortened));
    if (m_subtitle != nullptr) {
        // Its layout cell may be narrower than the widget (a colour scale beside it).
        if (m_subtitle->rect().width() > 40)
            textWidth = std::min(textWidth, m_subtitle->rect().width() - 8);
        // A short chart (a strip under the part bar and the warnings) keeps its height for
        // the data: one line, the rest on hover.
        // A picture (an export, a report's figure) has no hover: it carries the whole
        // subtitle, how it was measured (where that leaves the plot too little room, the
        // export sets smaller type).
        const int lines = m_printing ? 8 : size.height() < 280 ? 1 : size.height() < 360 ? 2 : 3;
        m_subtitle->setText(wrapText(shownSubtitle(), QFontMetrics(m_subtitle->font()), textWidth,
                                     lines, shortened));
    }
    fitLegend();
}

int Chart::legendColumnsFor(int room) const {
    std::vector<int> widths;
    for (int i = 0; i < legend->itemCount(); ++i) {
        if (auto* item = legend->item(i)) widths.push_back(item->minimumOuterSizeHint().width());
    }
    int columns = std::max(1, m_legendColumns);
    for (; columns > 1; --columns) {
        std::vector<int> col(static_cast<std::size_t>(columns), 0);
        for (std::size_t i = 0; i < widths.size(); ++i)
            col[i % col.size()] = std::max(col[i % col.size()], widths[i]);
        int sum = legend->margins().left() + legend->margins().right();
        for (int w : col) sum += w + legend->columnSpacing();
        if (sum <= room) break;
    }
    return columns;
}

void Chart::fitLegend() {
    // The legend: as many columns as fit the width (entries fill columns first).
    if (legend->layout() != plotLayout() || legend->itemCount() == 0) return;
    const int room = legendRoom(*this);
    wrapLegendEntries(room);
    int columns = legendColumnsFor(room);
    // A short chart on screen (the timeline under the per-core strip on a 768-line laptop):
    // five rows of long names left its plot no room; two columns of names cut to fit (whole
    // on hover) take half the rows. A picture keeps every name whole.
    const int rows = (legend->itemCount() + columns - 1) / columns;
    if (!m_printing && viewport().height() < 360 && rows > 3 && columns == 1 &&
        m_legendColumns >= 2) {
        const int margins = legend->margins().left() + legend->margins().right();
        wrapLegendEntries((room - margins) / 2 - legend->columnSpacing() + margins);
        columns = std::max(columns, legendColumnsFor(room));
    }
    if (legend->wrap() != columns) {
        legend->setWrap(columns);
        legend->setFillOrder(QCPLayoutGrid::foColumnsFirst, true);
    }
}

void Chart::wrapLegendEntries(int width) {
    // An entry wider than the chart wraps onto more lines rather than being cut at its edge:
    // the plottable shows the wrapped name, m_legendNames keeps the full one (a plottable
    // renamed since, or a new one, starts again from its own name).
    std::map<const QCPAbstractPlottable*, std::pair<QString, QString>> names;  // full, shown
    const int room = width - legend->margins().left() - legend->margins().right();
    for (int i = 0; i < legend->itemCount(); ++i) {
        auto* item = qobject_cast<QCPPlottableLegendItem*>(legend->item(i));
        if (item == nullptr) continue;
        QCPAbstractPlottable* p = item->plottable();
        const auto old = m_legendNames.find(p);
        const QString full = old != m_legendNames.end() && old->second.second == p->name()
                                 ? old->second.first
                                 : p->name();
        p->setName(full);
        const QFontMetrics fm(item->font());
        const int textWidth = fm.boundingRect(QRect(), Qt::TextDontClip, full).width();
        // Public in the base class, protected in the item's own.
        const int needed = static_cast<QCPLayoutElement*>(item)->minimumOuterSizeHint().width();
        const int iconAndPadding = needed - textWidth;
        if (needed > room && room - iconAndPadding > 40) {
            // A short chart keeps its height for the data: one line, elided, the full text
            // on hover (fitAfterLayout); a taller one shows it all on up to three lines.
            bool shortened = false;
            p->setName(wrapText(full, fm, room - iconAndPadding, viewport().height() >= 480 ? 3 : 1,
                                shortened));
        }
        names[p] = {full, p->name()};
    }
    m_legendNames = std::move(names);
}

QStringList Chart::legendNames() const {
    QStringList out;
    for (int i = 0; i < legend->itemCount(); ++i) {
        auto* item = qobject_cast<QCPPlottableLegendItem*>(legend->item(i));
        if (item == nullptr) continue;
        const auto it = m_legendNames.find(item->plottable());
        out << (it != m_legendNames.end() && it->second.second == item->plottable()->name()
                    ? it->second.first
                    : item->plottable()->name());
    }
    return out;
}

namespace {

/// Every text tick of the axes in `rect`: what a category axis chose to show.
std::vector<QMap<double, QString>> textTicks(QCPAxisRect* rect) {
    std::vector<QMap<double, QString>> out;
    for (QCPAxis* axis : rect->axes()) {
        if (auto t = axis->ticker().dynamicCast<QCPAxisTickerText>()) out.push_back(t->ticks());
    }
    return out;
}

}  // namespace

void Chart::relayoutForTicks() {
    // Category labels chose their names for the width of the last layout; where this one's
    // differs and they choose others, the layout is done again with them (once).
    bool refit = false;
    for (auto& c : m_categoryAxes) {
        QCPAxisRect* rect = c->groupAxis()->axisRect();
        const auto before = textTicks(rect);
        c->fit();
        refit = refit || textTicks(rect) != before;
    }
    // Ticks (numbers, lane labels) were made before this layout, for the last one's rects:
    // where a rect changed size (a dock placed, a legend grown), once more for this one. A
    // timeline drawn once after its dock settled named one lane of two under one number.
    auto laidOut = [this] {
        QList<QRect> rects;
        for (QCPAxisRect* rect : axisRects()) rects << rect->rect();
        return rects;
    };
    refit = refit || laidOut() != m_laidOutRects;
    if (refit) {
        plotLayout()->update(QCPLayoutElement::upPreparation);
        plotLayout()->update(QCPLayoutElement::upMargins);
        plotLayout()->update(QCPLayoutElement::upLayout);
    }
    m_laidOutRects = laidOut();
}

void Chart::fitAfterLayout() {
    relayoutForTicks();
    if (m_titleElement->text() != m_titleText)
        m_shortened.push_back({m_titleElement->outerRect(), m_titleText});
    for (int i = 0; i < legend->itemCount(); ++i) {
        auto* item = qobject_cast<QCPPlottableLegendItem*>(legend->item(i));
        if (item == nullptr) continue;
        const auto it = m_legendNames.find(item->plottable());
        if (it != m_legendNames.end() && it->second.second.contains(QStringLiteral("…")))
            m_shortened.push_back({item->outerRect(), it->second.first});
    }
    if (m_subtitle != nullptr && m_subtitle->text() != shownSubtitle())
        m_shortened.push_back({m_subtitle->outerRect(), shownSubtitle()});
    // Axis labels: one line each, elided to the length of their axis (a longer one would run
    // into the neighbouring axis' label), the full text on hover.
    for (QCPAxisRect* rect : axisRects()) {
        for (QCPAxis* axis : rect->axes()) {
            auto it = m_axisLabels.find(axis);
            if (it == m_axisLabels.end() || axis->label() != it->second.second)
                it = m_axisLabels.insert_or_assign(axis, std::pair{axis->label(), axis->label()})
                         .first;
            const QString& full = it->second.first;
            if (full.isEmpty()) continue;
            const bool horizontal = axis->orientation() == Qt::Horizontal;
            const int length = horizontal ? rect->width() : rect->height();
            const QString shown = QFontMetrics(axis->labelFont())
                                      .elidedText(full, Qt::ElideMiddle, std::max(8, length));
            axis->setLabel(shown);
            it->second.second = shown;
            if (shown != full) {
                // The label's band beside or below the axis.
                const int band =
                    QFontMetrics(axis->labelFont()).height() + axis->labelPadding() + 4;
                const QRect r = rect->rect();
                QRectF region;
                switch (axis->axisType()) {
                    case QCPAxis::atLeft:
                        region = QRectF(rect->outerRect().left(), r.top(),
                                        r.left() - rect->outerRect().left(), r.height());
                        break;
                    case QCPAxis::atRight:
                        region = QRectF(r.right(), r.top(), rect->outerRect().right() - r.right(),
                                        r.height());
                        break;
                    case QCPAxis::atBottom:
                        region =
                            QRectF(r.left(), rect->outerRect().bottom() - band, r.width(), band);
                        break;
                    case QCPAxis::atTop:
                        region = QRectF(r.left(), rect->outerRect().top(), r.width(), band);
                        break;
                }
                m_shortened.push_back({region, full});
            }
        }
    }
    bool tooSmall = false;
    for (QCPLayoutElement* e : plotLayout()->elements(true)) {
        if (auto* rect = qobject_cast<QCPAxisRect*>(e)) {
            if (rect->visible() && (rect->width() < 80 || rect->height() < 50)) tooSmall = true;
        }
    }
    m_tooSmall = tooSmall;
}

QString Chart::tooSmallMessage() const {
    return tr("%1: too small to read here.\nEnlarge the dock, or double-click its title to float "
              "it.")
        .arg(m_titleText);
}

QString Chart::valueAt(const QPoint&) const {
    return {};
}

QString Chart::hoverText(const QPoint& pos) const {
    if (m_tooSmall) return tooSmallMessage();
    for (const Shortened& s : m_shortened) {
        if (s.rect.contains(pos)) return s.full;
    }
    for (const auto& c : m_categoryAxes) {
        if (QString t = c->hoverAt(pos); !t.isEmpty()) return t;
    }
    return valueAt(pos);
}

bool Chart::event(QEvent* event) {
    // The chart answers tooltip requests itself, even with nothing to say: otherwise the dock's
    // own tooltip would replace a value tooltip a moment after it appeared.
    if (event->type() == QEvent::ToolTip) {
        event->accept();
        return true;
    }
    return QCustomPlot::event(event);
}

void Chart::mouseMoveEvent(QMouseEvent* event) {
    QCustomPlot::mouseMoveEvent(event);
    const QString text = hoverText(event->position().toPoint());
    if (!text.isEmpty()) QToolTip::showText(event->globalPosition().toPoint(), text, this);
}

void Chart::setAbsentNote(const QString& note) {
    if (note == m_absentNote) return;
    m_absentNote = note;
    update();
}

void Chart::paintEvent(QPaintEvent* event) {
    const bool absent = !m_absentNote.isEmpty() && !hasData();
    if (!m_tooSmall && !absent) {
        QCustomPlot::paintEvent(event);
        return;
    }
    QPainter p(this);
    p.fillRect(rect(), m_theme.background);
    p.setPen(m_theme.subtle);
    p.setFont(chartFont(10));
    p.drawText(rect().adjusted(8, 8, -8, -8), Qt::AlignCenter | Qt::TextWordWrap,
               absent ? m_titleText + QStringLiteral("\n\n") + m_absentNote : tooSmallMessage());
}

void Chart::showEvent(QShowEvent* event) {
    QCustomPlot::showEvent(event);
    // Always, not only when data came while hidden: a tab raised after a lesson part switch
    // showed a layout made for another size (no y tick labels, its title cut to "[s]").
    requestReplot();
}

void Chart::requestReplot() {
    ++m_revision;
    // Rendering costs CPU that the workers being measured could use: skip hidden charts.
    if (!isVisible()) {
        m_dirty = true;
        return;
    }
    m_dirty = false;
    if (m_atOnce) {  // a replot waiting out the pace comes now
        m_atOnce = false;
        m_throttle.start(0);
        return;
    }
    if (m_throttle.isActive()) return;
    const qint64 since = m_sinceReplot.elapsed();
    m_throttle.start(since >= m_minIntervalMs ? 0 : static_cast<int>(m_minIntervalMs - since));
}

void Chart::replotNextAtOnce() {
    m_atOnce = true;
}

void Chart::setMinimumReplotIntervalMs(int ms) {
    m_minIntervalMs = ms;
    if (!m_throttle.isActive()) return;
    const qint64 left = std::max<qint64>(0, ms - m_sinceReplot.elapsed());
    if (left < m_throttle.remainingTime()) m_throttle.start(static_cast<int>(left));
}

void Chart::replotNow() {
    replot(QCustomPlot::rpQueuedReplot);
}

QString formatSeconds(double s) {
    const double a = std::fabs(s);
    if (a >= 1) return QStringLiteral("%1 s").arg(s, 0, 'f', a >= 100 ? 0 : 2);
    if (a >= 1e-3) return QStringLiteral("%1 ms").arg(s * 1e3, 0, 'f', a >= 0.1 ? 0 : 1);
    return QStringLiteral("%1 µs").arg(s * 1e6, 0, 'f', 1);
}

QString formatBytes(double b) {
    if (b >= 1024.0 * 1024 * 1024) return QStringLiteral("%1 GiB").arg(b / 1073741824.0, 0, 'f', 2);
    if (b >= 1024.0 * 1024) return QStringLiteral("%1 MiB").arg(b / 1048576.0, 0, 'f', 1);
    if (b >= 1024.0) return QStringLiteral("%1 KiB").arg(b / 1024.0, 0, 'f', 1);
    return QStringLiteral("%1 B").arg(b, 0, 'f', 0);
}

}  // namespace coreduel::ui
