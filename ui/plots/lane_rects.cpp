#include "ui/plots/lane_rects.h"

#include <algorithm>
#include <cmath>

namespace coreduel::ui {

LaneRects::LaneRects(QCPAxis* keyAxis, QCPAxis* valueAxis)
    : QCPAbstractPlottable(keyAxis, valueAxis) {
    setSelectable(QCP::stNone);
    setAntialiasedFill(false);
    // Never an entry of its own: its owner lists what the colours mean. (The plot adds every
    // new plottable to the legend; a nameless one there took a blank row above the swatches.)
    removeFromLegend();
}

void LaneRects::setLaneCount(int lanes) {
    m_lanes.resize(static_cast<std::size_t>(std::max(0, lanes)));
}

void LaneRects::add(int lane, const LaneSegment& segment) {
    if (lane < 0) return;
    if (lane >= laneCount()) setLaneCount(lane + 1);
    Lane& l = m_lanes[static_cast<std::size_t>(lane)];
    if (l.segments.empty()) {
        l.minStart = segment.start;
        l.maxEnd = segment.end;
    } else {
        l.minStart = std::min(l.minStart, segment.start);
        l.maxEnd = std::max(l.maxEnd, segment.end);
        if (l.sorted && segment.start < l.segments.back().start) {
            l.sorted = false;
            l.unsortedFrom = l.segments.size();
            l.minUnsorted = segment.start;
        }
    }
    if (!l.sorted) l.minUnsorted = std::min(l.minUnsorted, segment.start);
    l.longest = std::max(l.longest, segment.end - segment.start);
    l.segments.push_back(segment);
}

void LaneRects::extendLast(int lane, double end) {
    if (lane < 0 || lane >= laneCount()) return;
    Lane& l = m_lanes[static_cast<std::size_t>(lane)];
    if (l.segments.empty()) return;
    l.segments.back().end = std::max(l.segments.back().end, end);
    l.longest = std::max(l.longest, l.segments.back().end - l.segments.back().start);
    l.maxEnd = std::max(l.maxEnd, end);
}

void LaneRects::clear() {
    for (Lane& l : m_lanes) l = Lane{};
}

void LaneRects::trimBefore(double key) {
    for (Lane& l : m_lanes) {
        sortLane(l);
        auto it = std::find_if(l.segments.begin(), l.segments.end(),
                               [key](const LaneSegment& s) { return s.end >= key; });
        if (it == l.segments.begin()) continue;
        l.segments.erase(l.segments.begin(), it);
        if (l.segments.empty()) continue;
        l.minStart = l.segments.front().start;
        l.maxEnd = l.segments.front().end;
        for (const LaneSegment& s : l.segments) l.maxEnd = std::max(l.maxEnd, s.end);
    }
}

std::size_t LaneRects::segmentCount() const {
    std::size_t n = 0;
    for (const Lane& l : m_lanes) n += l.segments.size();
    return n;
}

void LaneRects::sortLane(Lane& lane) const {
    if (lane.sorted) return;
    // The prefix was in order: sort only what came since and merge (stable, as a full sort
    // would be): O(n) for a few late segments instead of O(n log n).
    auto byStart = [](const LaneSegment& a, const LaneSegment& b) { return a.start < b.start; };
    const auto mid = lane.segments.begin() + static_cast<std::ptrdiff_t>(lane.unsortedFrom);
    std::stable_sort(mid, lane.segments.end(), byStart);
    std::inplace_merge(lane.segments.begin(), mid, lane.segments.end(), byStart);
    lane.sorted = true;
}

const LaneSegment* LaneRects::segmentAt(double key, int lane) const {
    if (lane < 0 || lane >= laneCount()) return nullptr;
    Lane& l = m_lanes[static_cast<std::size_t>(lane)];
    sortLane(l);
    // The last segment starting at or before `key`, walking back over overlapping ones.
    auto it = std::upper_bound(l.segments.begin(), l.segments.end(), key,
                               [](double k, const LaneSegment& s) { return k < s.start; });
    while (it != l.segments.begin()) {
        --it;
        if (it->end >= key) return &*it;
        if (key - it->start > l.longest) break;
    }
    return nullptr;
}

double LaneRects::selectTest(const QPointF&, bool, QVariant*) const {
    return -1;
}

QCPRange LaneRects::getKeyRange(bool& foundRange, QCP::SignDomain) const {
    // From each lane's kept extremes: a live timeline fits its view after every batch, and a
    // walk over a million segments each time cost more than drawing them.
    foundRange = false;
    QCPRange r;
    for (const Lane& l : m_lanes) {
        if (l.segments.empty()) continue;
        if (!foundRange) {
            r = QCPRange(l.minStart, l.maxEnd);
            foundRange = true;
        } else {
            r.lower = std::min(r.lower, l.minStart);
            r.upper = std::max(r.upper, l.maxEnd);
        }
    }
    return r;
}

QCPRange LaneRects::getValueRange(bool& foundRange, QCP::SignDomain, const QCPRange&) const {
    foundRange = !m_lanes.empty();
    return QCPRange(m_offset - 0.5, m_offset + laneCount() - 0.5);
}

void LaneRects::draw(QCPPainter* painter) {
    QCPAxis* key = keyAxis();
    QCPAxis* value = valueAxis();
    if (key == nullptr || value == nullptr || !m_color) return;
    const QCPRange visible = key->range();
    painter->setPen(Qt::NoPen);
    m_lastDrawn = 0;
    QFont labelFont = painter->font();
    labelFont.setPointSize(9);
    // A million segments are mapped per repaint: on a linear axis the mapping is one multiply
    // and add, not QCPAxis::coordToPixel's checks each time.
    const bool linear = key->scaleType() == QCPAxis::stLinear;
    const double p0 = key->coordToPixel(0), p1 = key->coordToPixel(1);
    auto toPixel = [&](double k) { return linear ? p0 + (p1 - p0) * k : key->coordToPixel(k); };
    // By value: a few recent (value, colour) pairs, since timeline states alternate.
    struct Cached {
        float value;
        QColor colour;
    };
    Cached cache[8];
    std::size_t cached = 0, next = 0;
    QColor scratch;
    auto colorOf = [&](const LaneSegment& seg) -> const QColor& {
        if (!m_colorByValue) return scratch = m_color(seg);
        for (std::size_t i = 0; i < cached; ++i)
            if (cache[i].value == seg.value) return cache[i].colour;
        Cached& slot = cache[next];
        next = (next + 1) % 8;
        cached = std::min<std::size_t>(cached + 1, 8);
        slot = {seg.value, m_color(seg)};
        return slot.colour;
    };
    for (std::size_t lane = 0; lane < m_lanes.size(); ++lane) {
        Lane& l = m_lanes[lane];
        sortLane(l);
        const double centre = static_cast<double>(lane) + m_offset;
        const double y0 = value->coordToPixel(centre - m_barHeight / 2);
        const double y1 = value->coordToPixel(centre + m_barHeight / 2);
        const double top = std::min(y0, y1);
        const double height = std::fabs(y1 - y0);
        auto first =
            std::lower_bound(l.segments.begin(), l.segments.end(), visible.lower - l.longest,
                             [](const LaneSegment& s, double k) { return s.start < k; });
        // Merge runs of sub-pixel bars: one rectangle per pixel column is all the eye sees.
        QRectF pending;
        QColor pendingColor;
        auto flush = [&] {
            if (pending.isNull()) return;
            painter->fillRect(pending, pendingColor);
            ++m_lastDrawn;
            pending = QRectF();
        };
        for (auto it = first; it != l.segments.end() && it->start <= visible.upper; ++it) {
            if (it->end < visible.lower) continue;
            double x0 = toPixel(it->start);
            double x1 = toPixel(it->end);
            if (x1 < x0) std::swap(x0, x1);
            if (x1 - x0 < 1.0) x1 = x0 + 1.0;
            const QColor& c = colorOf(*it);
            if (!pending.isNull() && x0 <= pending.right() + 0.5 &&
                (pending.width() < 1.5 || c == pendingColor) && x1 - x0 <= 1.5) {
                pending.setRight(std::max(pending.right(), x1));
                continue;
            }
            flush();
            pending = QRectF(QPointF(x0, top), QPointF(x1, top + height));
            pendingColor = c;
            if (m_label && x1 - x0 > 40) {
                flush();
                const QString text = m_label(*it);
                const QRectF box(QPointF(x0, top), QPointF(x1, top + height));
                painter->setFont(labelFont);
                if (!text.isEmpty() &&
                    painter->fontMetrics().horizontalAdvance(text) < box.width() - 6) {
                    painter->setPen(m_labelColor);
                    painter->drawText(box.adjusted(3, 0, -3, 0), Qt::AlignVCenter | Qt::AlignLeft,
                                      text);
                    painter->setPen(Qt::NoPen);
                }
            }
        }
        flush();
    }
}

void LaneRects::drawLegendIcon(QCPPainter* painter, const QRectF& rect) const {
    painter->setPen(Qt::NoPen);
    painter->setBrush(brush());
    painter->drawRect(rect);
}

}  // namespace coreduel::ui
