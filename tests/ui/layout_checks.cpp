#include "tests/ui/layout_checks.h"

#include <qcustomplot.h>

#include <QAbstractButton>
#include <QLabel>
#include <QRegularExpression>
#include <QScrollArea>
#include <QScrollBar>
#include <QStyle>
#include <QTabBar>
#include <algorithm>
#include <cmath>

#include "ui/plots/chart.h"

namespace coreduel::test {
namespace {

constexpr QChar kEllipsis(0x2026);

QString box(const QRectF& r) {
    return QStringLiteral("[%1,%2 %3×%4]")
        .arg(r.x(), 0, 'f', 0)
        .arg(r.y(), 0, 'f', 0)
        .arg(r.width(), 0, 'f', 0)
        .arg(r.height(), 0, 'f', 0);
}

QSizeF textSize(const QFont& font, const QString& text) {
    const QFontMetricsF fm(font);
    return fm.boundingRect(QRectF(), Qt::TextDontClip | Qt::AlignHCenter, text).size();
}

bool inside(const QRectF& outer, const QRectF& inner, double slack = 1.0) {
    return inner.left() >= outer.left() - slack && inner.top() >= outer.top() - slack &&
           inner.right() <= outer.right() + slack && inner.bottom() <= outer.bottom() + slack;
}

/// The boxes of an axis' drawn tick labels (unrotated ones: exact; rotated ones: the box of the
/// rotated text, anchored at the tick as QCustomPlot anchors it).
struct LabelBox {
    QString text;
    double at = 0;  // pixel position of the tick along the axis
    QRectF rect;
};

std::vector<LabelBox> tickLabelBoxes(QCPAxis& axis) {
    std::vector<LabelBox> boxes;
    const QVector<double> ticks = axis.tickVector();
    const QVector<QString> labels = axis.tickVectorLabels();
    QCPAxisRect* rect = axis.axisRect();
    const QRectF ar = rect->rect();
    const double angle = axis.tickLabelRotation() * M_PI / 180.0;
    const double gap = axis.offset() + axis.tickLengthOut() + axis.tickLabelPadding();
    for (int i = 0; i < ticks.size() && i < labels.size(); ++i) {
        if (!axis.range().contains(ticks[i]) || labels[i].isEmpty()) continue;
        QSizeF s = textSize(axis.tickLabelFont(), labels[i]);
        // "1e+03" in number format "eb" is drawn as 10 with a superscript 3 (QCustomPlot's
        // beautiful powers, the exponent at 75 % of the size): measure what is drawn.
        if (axis.numberFormat().contains(QLatin1Char('b')) &&
            labels[i].contains(QLatin1Char('e'))) {
            const QString mantissa = labels[i].section(QLatin1Char('e'), 0, 0);
            QString exponent = labels[i].section(QLatin1Char('e'), 1);
            exponent.remove(QLatin1Char('+'));
            exponent.replace(QRegularExpression(QStringLiteral("^(-?)0+(?=\\d)")),
                             QStringLiteral("\\1"));
            QFont small = axis.tickLabelFont();
            small.setPointSizeF(small.pointSizeF() * 0.75);
            const QString base = mantissa == QLatin1String("1") ? QStringLiteral("10")
                                                                : mantissa + QStringLiteral("·10");
            s = QSizeF(
                textSize(axis.tickLabelFont(), base).width() + textSize(small, exponent).width(),
                s.height());
        }
        // The rotated text's bounding box.
        const double w =
            std::fabs(s.width() * std::cos(angle)) + std::fabs(s.height() * std::sin(angle));
        const double h =
            std::fabs(s.width() * std::sin(angle)) + std::fabs(s.height() * std::cos(angle));
        const double p = axis.coordToPixel(ticks[i]);
        QRectF r;
        switch (axis.axisType()) {
            case QCPAxis::atBottom:
                r = angle == 0 ? QRectF(p - w / 2, ar.bottom() + gap, w, h)
                               : QRectF(angle < 0 ? p - w : p, ar.bottom() + gap, w, h);
                break;
            case QCPAxis::atTop:
                r = QRectF(p - w / 2, ar.top() - gap - h, w, h);
                break;
            case QCPAxis::atLeft:
                r = QRectF(ar.left() - gap - w, p - h / 2, w, h);
                break;
            case QCPAxis::atRight:
                r = QRectF(ar.right() + gap, p - h / 2, w, h);
                break;
        }
        boxes.push_back({labels[i], p, r});
    }
    return boxes;
}

void checkAxis(QCPAxis& axis, const QRectF& widget, const QString& where, QStringList& out) {
    if (!axis.visible() || !axis.realVisibility()) return;
    const bool horizontal = axis.orientation() == Qt::Horizontal;
    QCPAxisRect* rect = axis.axisRect();
    const QRectF ar = rect->rect();
    const QString name = where + QStringLiteral(" axis \"%1\"").arg(axis.label());
    if (axis.tickLabels()) {
        std::vector<LabelBox> boxes = tickLabelBoxes(axis);
        std::sort(boxes.begin(), boxes.end(), [](auto& a, auto& b) { return a.at < b.at; });
        const double angle = std::fabs(axis.tickLabelRotation()) * M_PI / 180.0;
        for (std::size_t i = 0; i < boxes.size(); ++i) {
            const LabelBox& b = boxes[i];
            if (!inside(widget, b.rect))
                out << name + QStringLiteral(": tick label \"%1\" %2 outside the widget %3")
                                  .arg(b.text, box(b.rect), box(widget));
            if (b.rect.adjusted(1, 1, -1, -1).intersects(ar))
                out << name + QStringLiteral(": tick label \"%1\" lies on the plot area %2")
                                  .arg(b.text, box(ar));
            if (i == 0) continue;
            const LabelBox& a = boxes[i - 1];
            bool overlap = false;
            if (angle > 0.01 && horizontal) {
                // Parallel rotated labels: their distance across the text direction.
                const double lineH = textSize(axis.tickLabelFont(), QStringLiteral("Xg")).height();
                overlap = (b.at - a.at) * std::sin(angle) < lineH;
            } else if (horizontal) {
                overlap = a.rect.right() + 2 > b.rect.left();
            } else {
                overlap = a.rect.bottom() + 1 > b.rect.top() && b.rect.bottom() + 1 > a.rect.top();
            }
            if (overlap)
                out << name + QStringLiteral(": tick labels \"%1\" and \"%2\" overlap")
                                  .arg(a.text, b.text);
        }
    }
    if (!axis.label().isEmpty()) {
        const QSizeF s = textSize(axis.labelFont(), axis.label());
        const double length = horizontal ? ar.width() : ar.height();
        if (s.width() > length + 1)
            out << name + QStringLiteral(": label is %1 px long, its axis %2 px")
                              .arg(s.width(), 0, 'f', 0)
                              .arg(length, 0, 'f', 0);
    }
}

}  // namespace

QStringList chartProblems(ui::Chart& chart, const QString& whereIn, bool printed) {
    QStringList out;
    const QString where = whereIn + QStringLiteral(" / ") + chart.slug();
    // The viewport: an export lays the chart out at its own size (ExportLayout).
    const QRectF widget = chart.viewport();
    if (chart.tooSmallToRead()) {
        // The chart says so in place of its plot: that message must fit.
        if (chart.tooSmallMessage().isEmpty())
            out << where + QStringLiteral(": too small, says nothing");
        return out;
    }
    for (QCPLayoutElement* e : chart.plotLayout()->elements(true)) {
        if (e == nullptr || !e->realVisibility()) continue;
        if (!inside(widget, e->outerRect()))
            out << where + QStringLiteral(": a %1 at %2 leaves the widget %3")
                               .arg(QString::fromLatin1(e->metaObject()->className()),
                                    box(e->outerRect()), box(widget));
        if (auto* text = qobject_cast<QCPTextElement*>(e)) {
            const QFontMetricsF fm(text->font());
            const QRectF need = fm.boundingRect(text->rect(), text->textFlags(), text->text());
            if (need.width() > text->rect().width() + 1 ||
                need.height() > text->rect().height() + 1)
                out << where + QStringLiteral(": text \"%1\" needs %2, has %3")
                                   .arg(text->text(), box(need), box(text->rect()));
            // A picture cannot be hovered, zoomed or followed: no window-only hint in it.
            if (printed && (text->text().contains(QStringLiteral("hover"), Qt::CaseInsensitive) ||
                            text->text().contains(QStringLiteral("wheel"), Qt::CaseInsensitive)))
                out << where + QStringLiteral(": a picture tells the reader to \"%1\"")
                                   .arg(text->text());
            if (text->text().contains(kEllipsis) &&
                (printed || chart.hoverText(text->rect().center()).isEmpty()))
                out << where + QStringLiteral(": \"%1\" is elided with no full text on hover")
                                   .arg(text->text());
        }
        if (auto* ar = qobject_cast<QCPAxisRect*>(e)) {
            if (ar->rect().width() < 80 || ar->rect().height() < 50)
                out << where + QStringLiteral(
                                   ": plot area %1 is too small to read and the chart "
                                   "does not say so")
                                   .arg(box(ar->rect()));
            if (chart.legend->realVisibility() && chart.legend->itemCount() > 0 &&
                chart.legend->outerRect().adjusted(1, 1, -1, -1).intersects(ar->rect()))
                out << where + QStringLiteral(": the legend covers the plot area");
        }
    }
    for (QCPAxis* axis : chart.findChildren<QCPAxis*>()) {
        checkAxis(*axis, widget, where, out);
        // A picture has no hover to give the rest of a shortened title or label.
        if (!printed || !axis->visible() || !axis->realVisibility()) continue;
        if (axis->label().contains(kEllipsis))
            out << where + QStringLiteral(": axis title cut to \"%1\"").arg(axis->label());
        if (axis->tickLabels()) {
            for (const QString& label : axis->tickVectorLabels())
                if (label.contains(kEllipsis))
                    out << where + QStringLiteral(": tick label cut to \"%1\"").arg(label);
        }
    }
    if (chart.legend->realVisibility()) {
        const QRectF legendRect = chart.legend->outerRect();
        // In a file (an SVG set in the viewer's font) a swatch needs half a line of air.
        const int line = QFontMetrics(chart.legend->font()).height();
        if (printed && chart.legend->iconTextPadding() < line / 2)
            out << where + QStringLiteral(": legend swatches %1 px from their text, a line is %2")
                               .arg(chart.legend->iconTextPadding())
                               .arg(line);
        for (int i = 0; i < chart.legend->itemCount(); ++i) {
            QCPAbstractLegendItem* item = chart.legend->item(i);
            if (item == nullptr || !item->realVisibility()) continue;
            QString name;
            if (auto* p = qobject_cast<QCPPlottableLegendItem*>(item))
                name = p->plottable()->name();
            if (printed && name.contains(kEllipsis))
                out << where + QStringLiteral(": legend entry cut to \"%1\"").arg(name);
            const QSize need = item->minimumOuterSizeHint();
            const QRectF has = item->outerRect();
            if (has.width() + 1 < need.width() || has.height() + 1 < need.height())
                out << where + QStringLiteral(": legend entry \"%1\" needs %2×%3, has %4")
                                   .arg(name)
                                   .arg(need.width())
                                   .arg(need.height())
                                   .arg(box(has));
            if (!inside(widget, has) || !inside(legendRect, has, 2))
                out << where + QStringLiteral(": legend entry \"%1\" at %2 is cut (legend %3)")
                                   .arg(name, box(has), box(legendRect));
        }
    }
    return out;
}

bool fullyShown(const QWidget& w) {
    if (!w.isVisible()) return false;
    QRect r = w.rect();
    const QWidget* child = &w;
    for (const QWidget* p = w.parentWidget(); p != nullptr; p = p->parentWidget()) {
        r.translate(child->pos());
        if (!p->rect().contains(r)) return false;
        if (p->isWindow()) break;
        child = p;
    }
    return true;
}

QStringList widgetTextProblems(QWidget& root, const QString& where) {
    QStringList out;
    auto sideways = [&](QWidget* w, const QString& what) {
        // A dock behind another tab is "visible" but not shown at all: nothing to read there.
        if (w->visibleRegion().isEmpty()) return;
        // Sideways only: vertical scrolling is fine, scrolling sideways to read is not.
        QRect r = w->rect();
        const QWidget* child = w;
        for (const QWidget* p = w->parentWidget(); p != nullptr; p = p->parentWidget()) {
            r.translate(child->pos());
            if (r.left() < -1 || r.right() > p->rect().right() + 1) {
                out << where + QStringLiteral(": %1 sticks out of a %2 sideways")
                                   .arg(what, QString::fromLatin1(p->metaObject()->className()));
                return;
            }
            if (p == &root || p->isWindow()) return;
            child = p;
        }
    };
    for (QLabel* l : root.findChildren<QLabel*>()) {
        if (!l->isVisible() || l->text().isEmpty() || l->width() == 0) continue;
        if (l->pixmap().isNull() == false) continue;
        const QString what = QStringLiteral("label \"%1\"").arg(l->text().left(40));
        sideways(l, what);
        if (l->wordWrap()) {
            if (l->heightForWidth(l->width()) > l->height() + 1)
                out << where + QStringLiteral(": %1 needs %2 px height, has %3")
                                   .arg(what)
                                   .arg(l->heightForWidth(l->width()))
                                   .arg(l->height());
        } else if (l->textFormat() != Qt::RichText && !Qt::mightBeRichText(l->text())) {
            const QSizeF s = textSize(l->font(), l->text());
            if (s.width() > l->contentsRect().width() + 1 && l->toolTip().isEmpty())
                out << where + QStringLiteral(": %1 is cut (%2 of %3 px)")
                                   .arg(what)
                                   .arg(s.width(), 0, 'f', 0)
                                   .arg(l->contentsRect().width());
        }
    }
    for (QAbstractButton* b : root.findChildren<QAbstractButton*>()) {
        if (!b->isVisible() || b->text().isEmpty()) continue;
        const QString what = QStringLiteral("button \"%1\"").arg(b->text());
        sideways(b, what);
        if (b->sizeHint().width() > b->width() + 1)
            out << where + QStringLiteral(": %1 is cut (%2 of %3 px)")
                               .arg(what)
                               .arg(b->sizeHint().width())
                               .arg(b->width());
    }
    for (QTabBar* bar : root.findChildren<QTabBar*>()) {
        if (!bar->isVisible()) continue;
        const int space = bar->style()->pixelMetric(QStyle::PM_TabBarTabHSpace, nullptr, bar);
        for (int i = 0; i < bar->count(); ++i) {
            const int need = bar->fontMetrics().horizontalAdvance(bar->tabText(i)) + space / 2;
            if (bar->tabRect(i).width() < need)
                out << where + QStringLiteral(": tab \"%1\" is elided (%2 of %3 px)")
                                   .arg(bar->tabText(i))
                                   .arg(bar->tabRect(i).width())
                                   .arg(need);
        }
    }
    return out;
}

QStringList horizontalOverflow(QScrollArea& scroll, const QString& where) {
    QStringList out;
    QWidget* content = scroll.widget();
    if (content == nullptr) return out;
    const int viewport = scroll.viewport()->width();
    if (content->minimumSizeHint().width() > viewport)
        out << where + QStringLiteral(": content needs %1 px, the viewport has %2")
                           .arg(content->minimumSizeHint().width())
                           .arg(viewport);
    if (content->width() > viewport || content->x() != 0)
        out << where + QStringLiteral(": content is %1 px wide at x %2 in a %3 px viewport")
                           .arg(content->width())
                           .arg(content->x())
                           .arg(viewport);
    if (scroll.horizontalScrollBar()->maximum() > 0)
        out << where + QStringLiteral(": it can scroll sideways");
    return out;
}

}  // namespace coreduel::test
