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
    addTo(m_lanes, lane, segment);
}

void LaneRects::addTo(std::vector<Lane>& lanes, int lane, const LaneSegment& segment) {
    if (lane < 0) return;
    if (static_cast<std::size_t>(lane) >= lanes.size())
        lanes.resize(static_cast<std::size_t>(lane) + 1);
    Lane& l = lanes[static_cast<std::size_t>(lane)];
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

void LaneRects::reserve(int lane, std::size_t more) {
    reserveIn(m_lanes, lane, more);
}

void LaneRects::reserveIn(std::vector<Lane>& lanes, int lane, std::size_t more) {
    if (lane < 0) return;
    if (static_cast<std::size_t>(lane) >= lanes.size())
        lanes.resize(static_cast<std::size_t>(lane) + 1);
    Lane& l = lanes[static_cast<std::size_t>(lane)];
    l.segments.reserve(l.segments.size() + more);
}

void LaneRects::prepare(Prepared& p) {
    for (Lane& l : p.lanes) {
        sortLane(l);
        if (!p.lodBroken && !l.lod.update(l.segments, p.states)) p.lodBroken = true;
    }
    if (p.lodBroken)
        for (Lane& l : p.lanes) l.lod.clear();
}

void LaneRects::adopt(Prepared&& p) {
    m_lanes = std::move(p.lanes);
    m_states = p.states;
    m_lodBroken = p.lodBroken;
}

void LaneRects::extendLast(int lane, double end) {
    if (lane < 0 || lane >= laneCount()) return;
    Lane& l = m_lanes[static_cast<std::size_t>(lane)];
    if (l.segments.empty()) return;
    l.segments.back().end = std::max(l.segments.back().end, end);
    l.longest = std::max(l.longest, l.segments.back().end - l.segments.back().start);
    l.maxEnd = std::max(l.maxEnd, end);
    l.lod.invalidateFrom(l.segments.size() - 1);
}

void LaneRects::clear() {
    for (Lane& l : m_lanes) l = Lane{};
    m_states.clear();
    m_lodBroken = false;
}

void LaneRects::trimBefore(double key) {
    for (Lane& l : m_lanes) {
        sortLane(l);
        auto it = std::find_if(l.segments.begin(), l.segments.end(),
                               [key](const LaneSegment& s) { return s.end >= key; });
        if (it == l.segments.begin()) continue;
        l.segments.erase(l.segments.begin(), it);
        // Groups are counted from the lane's first segment: all of them moved.
        l.lod.clear();
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

void LaneRects::sortLane(Lane& lane) {
    if (lane.sorted) return;
    // The prefix was in order: sort only what came since and merge (stable, as a full sort
    // would be). Summaries stay valid for the prefix's segments that start before anything
    // added since: the merge leaves them where they were.
    auto byStart = [](const LaneSegment& a, const LaneSegment& b) { return a.start < b.start; };
    const auto mid = lane.segments.begin() + static_cast<std::ptrdiff_t>(lane.unsortedFrom);
    const auto kept = std::upper_bound(lane.segments.begin(), mid, lane.minUnsorted,
                                       [](double k, const LaneSegment& s) { return k < s.start; });
    lane.lod.invalidateFrom(static_cast<std::size_t>(kept - lane.segments.begin()));
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

bool LaneRects::updateLod() {
    if (m_lodBroken) return false;
    for (Lane& l : m_lanes) {
        sortLane(l);
        if (!l.lod.update(l.segments, m_states)) {
            m_lodBroken = true;
            for (Lane& other : m_lanes) other.lod.clear();
            return false;
        }
    }
    return true;
}

struct LaneRects::DrawState {
    QCPPainter* painter = nullptr;
    QCPAxis* key = nullptr;
    QCPRange visible;
    bool linear = true;
    double p0 = 0, p1 = 1;
    bool lod = false;
    QFont labelFont;
    // By value: a few recent (value, colour) pairs, since timeline states alternate.
    struct Cached {
        float value;
        QColor colour;
    };
    Cached cache[8];
    std::size_t cached = 0, next = 0;
    QColor scratch;
    std::array<QColor, LodStates::kMax> idColour;  // dense columns: the colour of a state id
    std::uint16_t idColourKnown = 0;
    // The rectangle being merged, painted when the next one cannot join it.
    QRectF pending;
    QColor pendingColor;
    bool pendingIsColumns = false;  // pending is whole dense columns: painted without blending
    ColumnRaster raster;

    // A million segments are mapped per repaint: on a linear axis the mapping is one multiply
    // and add, not QCPAxis::coordToPixel's checks each time.
    [[nodiscard]] double toPixel(double k) const {
        return linear ? p0 + (p1 - p0) * k : key->coordToPixel(k);
    }
};

void LaneRects::draw(QCPPainter* painter) {
    QCPAxis* key = keyAxis();
    QCPAxis* value = valueAxis();
    if (key == nullptr || value == nullptr || !m_color) return;
    painter->setPen(Qt::NoPen);
    m_lastDrawn = 0;
    DrawState d;
    d.painter = painter;
    d.key = key;
    d.visible = key->range();
    d.labelFont = painter->font();
    d.labelFont.setPointSize(9);
    d.linear = key->scaleType() == QCPAxis::stLinear;
    d.p0 = key->coordToPixel(0);
    d.p1 = key->coordToPixel(1);
    // Summaries need colours that follow the value alone, and columns that run left to right
    // at a fixed scale (a linear axis that is not reversed).
    d.lod = m_lodWanted && m_colorByValue && d.linear && d.p1 > d.p0 && updateLod();
    for (std::size_t lane = 0; lane < m_lanes.size(); ++lane) {
        Lane& l = m_lanes[lane];
        sortLane(l);
        const double centre = static_cast<double>(lane) + m_offset;
        const double y0 = value->coordToPixel(centre - m_barHeight / 2);
        const double y1 = value->coordToPixel(centre + m_barHeight / 2);
        drawLane(d, l, std::min(y0, y1), std::fabs(y1 - y0));
    }
}

void LaneRects::drawLane(DrawState& d, const Lane& l, double top, double height) {
    QCPPainter* painter = d.painter;
    const QCPRange& visible = d.visible;
    auto colorOf = [&](const LaneSegment& seg) -> const QColor& {
        if (!m_colorByValue) return d.scratch = m_color(seg);
        for (std::size_t i = 0; i < d.cached; ++i)
            if (d.cache[i].value == seg.value) return d.cache[i].colour;
        DrawState::Cached& slot = d.cache[d.next];
        d.next = (d.next + 1) % 8;
        d.cached = std::min<std::size_t>(d.cached + 1, 8);
        slot = {seg.value, m_color(seg)};
        return slot.colour;
    };
    QRectF& pending = d.pending;
    QColor& pendingColor = d.pendingColor;
    auto flush = [&] {
        if (pending.isNull()) return;
        // Dense columns are exact pixels. Antialiased (QCPPainter then shifts by half a
        // pixel) each would be half in its neighbour, and a column whose state differs from
        // both neighbours would show only as a tint.
        const bool wasAntialiased = d.pendingIsColumns && painter->antialiasing();
        if (wasAntialiased) painter->setAntialiasing(false);
        painter->fillRect(pending, pendingColor);
        if (wasAntialiased) painter->setAntialiasing(true);
        ++m_lastDrawn;
        pending = QRectF();
    };
    // A finished dense column is one pixel wide and takes the colour of the state that covers
    // the most time in it. (Merging sub-pixel bars below keeps the first bar's colour, which
    // at a million tasks made the picture a random sample; the dominant state is what the
    // column mostly was.) Neighbours of one colour become one rectangle.
    auto emitColumn = [&](long column, int id) {
        const auto slot = static_cast<std::size_t>(id);
        if ((d.idColourKnown & (1u << id)) == 0) {
            d.idColour[slot] = m_color(LaneSegment{0, 0, m_states.value(id), 0});
            d.idColourKnown |= static_cast<std::uint16_t>(1u << id);
        }
        const QColor& c = d.idColour[slot];
        const auto x = static_cast<double>(column);
        if (d.pendingIsColumns && !pending.isNull() && x <= pending.right() + 0.5 &&
            c == pendingColor) {
            pending.setRight(std::max(pending.right(), x + 1));
            return;
        }
        flush();
        pending = QRectF(x, top, 1, height);
        pendingColor = c;
        d.pendingIsColumns = true;
    };
    const double keyPerPixel = d.lod ? 1 / (d.p1 - d.p0) : 0;
    // The largest summarized group starting at segment `i` that lies inside one pixel column
    // goes into that column whole; returns how many segments it held (0: none fits, or none
    // is summarized there yet).
    auto consumeGroup = [&](std::size_t i) -> std::size_t {
        for (int level = LaneLod::kLevels - 1; level >= 0; --level) {
            const std::size_t size = LaneLod::groupSize(level);
            if (i % size != 0) continue;
            const LaneLod::Group* g = l.lod.group(level, i);
            if (g == nullptr) continue;
            // Wholly left of the view (a long segment made the walk start far back): skipped
            // at once, as its segments would be one by one.
            if (g->maxEnd < visible.lower) return size;
            const double column = std::floor(d.toPixel(g->start));
            if (std::floor(d.toPixel(g->maxEnd)) != column) continue;
            const auto col = static_cast<long>(column);
            if (!d.raster.active()) {
                // Entering a dense stretch: the merged bar before it stops where it begins.
                if (!pending.isNull() && pending.right() > column) {
                    pending.setRight(column);
                    if (pending.width() <= 0) pending = QRectF();
                }
                d.raster.start(col, m_states);
            }
            d.raster.addGroup(col, g->cover, emitColumn);
            return size;
        }
        return 0;
    };

    const auto& segments = l.segments;
    auto first = std::lower_bound(segments.begin(), segments.end(), visible.lower - l.longest,
                                  [](const LaneSegment& s, double k) { return s.start < k; });
    auto i = static_cast<std::size_t>(first - segments.begin());
    if (d.lod) i -= i % LaneLod::kFanout;  // group boundaries, so that groups are found
    while (i < segments.size() && segments[i].start <= visible.upper) {
        if (d.lod && i % LaneLod::kFanout == 0) {
            if (const std::size_t n = consumeGroup(i)) {
                i += n;
                continue;
            }
        }
        const LaneSegment& seg = segments[i++];
        if (seg.end < visible.lower) continue;
        double x0 = d.toPixel(seg.start);
        double x1 = d.toPixel(seg.end);
        if (x1 < x0) std::swap(x0, x1);
        if (d.raster.active()) {
            // Inside a dense stretch, narrow bars add to their columns, as long as the
            // columns stay contiguous; anything else ends the stretch.
            const int id = m_states.idOf(seg.value);
            if (id >= 0 && x1 - x0 <= 1.5 && x0 < static_cast<double>(d.raster.lastFilled() + 2)) {
                d.raster.addSpan(x0, x1, id, keyPerPixel, emitColumn);
                continue;
            }
            d.raster.finish(emitColumn);
        }
        if (x1 - x0 < 1.0) x1 = x0 + 1.0;
        const QColor& c = colorOf(seg);
        // Merge runs of sub-pixel bars: one rectangle per pixel column is all the eye sees.
        if (!pending.isNull() && !d.pendingIsColumns && x0 <= pending.right() + 0.5 &&
            (pending.width() < 1.5 || c == pendingColor) && x1 - x0 <= 1.5) {
            pending.setRight(std::max(pending.right(), x1));
            continue;
        }
        flush();
        pending = QRectF(QPointF(x0, top), QPointF(x1, top + height));
        pendingColor = c;
        d.pendingIsColumns = false;
        if (m_label && x1 - x0 > 40) {
            flush();
            const QString text = m_label(seg);
            const QRectF box(QPointF(x0, top), QPointF(x1, top + height));
            painter->setFont(d.labelFont);
            if (!text.isEmpty() &&
                painter->fontMetrics().horizontalAdvance(text) < box.width() - 6) {
                painter->setPen(m_labelColor);
                painter->drawText(box.adjusted(3, 0, -3, 0), Qt::AlignVCenter | Qt::AlignLeft,
                                  text);
                painter->setPen(Qt::NoPen);
            }
        }
    }
    if (d.raster.active()) d.raster.finish(emitColumn);
    flush();
}

void LaneRects::drawLegendIcon(QCPPainter* painter, const QRectF& rect) const {
    painter->setPen(Qt::NoPen);
    painter->setBrush(brush());
    painter->drawRect(rect);
}

}  // namespace coreduel::ui
