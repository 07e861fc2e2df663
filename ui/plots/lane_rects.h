#pragma once
// A plottable for lanes of rectangles on a time axis: the worker timeline (one lane per
// worker, one bar per task phase) and the per-core heat strip (one lane per core, one cell per
// sample). QCustomPlot has no such plottable, and QCPBars would cost a data container per
// lane. Drawing only visits the visible time range (binary search) and merges neighbouring
// bars narrower than a pixel into one, so 100 000 tasks still repaint in milliseconds. Where
// whole groups of segments fall inside one pixel column (a whole-run view of a million tasks),
// a draw reads the lane's level-of-detail summaries instead (lane_lod.h): one step per group.

#include <qcustomplot.h>

#include <QColor>
#include <QString>
#include <functional>
#include <vector>

#include "ui/plots/lane_lod.h"

namespace coreduel::ui {

class LaneRects : public QCPAbstractPlottable {
    Q_OBJECT
public:
    using ColorFn = std::function<QColor(const LaneSegment&)>;
    using LabelFn = std::function<QString(const LaneSegment&)>;

    LaneRects(QCPAxis* keyAxis, QCPAxis* valueAxis);

    struct Lane {
        std::vector<LaneSegment> segments;  // sorted by start once `sorted`
        bool sorted = true;
        std::size_t unsortedFrom = 0;  // !sorted: segments before it are still in order
        double minUnsorted = 0;        // !sorted: the earliest start added since
        double longest = 0;            // the widest segment: how far back a visible one can start
        double minStart = 0, maxEnd = 0;  // the key range, kept so fitting the view is O(lanes)
        LaneLod lod;
    };
    /// Lanes built away from the plot (on a job's thread: no Qt object is touched), sorted and
    /// summed up there, then handed over whole with adopt(): a million-task run's lanes cost
    /// the GUI thread a move, not the building.
    struct Prepared {
        std::vector<Lane> lanes;
        LodStates states;
        bool lodBroken = false;
    };
    static void addTo(std::vector<Lane>& lanes, int lane, const LaneSegment& segment);
    static void reserveIn(std::vector<Lane>& lanes, int lane, std::size_t more);
    /// Sorts every lane and sums up its level of detail, as the first draw would.
    static void prepare(Prepared& p);
    /// Replaces every lane with `p`'s.
    void adopt(Prepared&& p);

    /// `byValueOnly`: the colour depends on LaneSegment::value alone (not on the tag), so a
    /// draw may reuse the colour of the previous segment with the same value, and dense
    /// stretches may be drawn from the level-of-detail summaries (when the values are few).
    void setColorFunction(ColorFn fn, bool byValueOnly = false) {
        m_color = std::move(fn);
        m_colorByValue = byValueOnly;
    }
    /// Level of detail on (the default) or off: off, every visible segment is visited (tests
    /// and the benchmark compare both).
    void setLevelOfDetail(bool on) { m_lodWanted = on; }
    /// Text drawn inside a segment when it is wide enough (the run lane's labels).
    void setLabelFunction(LabelFn fn) { m_label = std::move(fn); }
    void setLabelColor(const QColor& c) { m_labelColor = c; }
    /// Fraction of a lane's height the bars fill.
    void setBarHeight(double fraction) { m_barHeight = fraction; }
    /// Lane i is centred on value i + offset.
    void setLaneOffset(double offset) { m_offset = offset; }

    void setLaneCount(int lanes);
    [[nodiscard]] int laneCount() const { return static_cast<int>(m_lanes.size()); }
    void add(int lane, const LaneSegment& segment);
    /// Room for `more` segments in `lane` beyond those it has.
    void reserve(int lane, std::size_t more);
    /// Replaces the last segment of a lane (a run marker that grows while the run goes on).
    void extendLast(int lane, double end);
    void clear();
    /// Drops every segment that ends before `key` (bounded memory for live views).
    void trimBefore(double key);
    [[nodiscard]] std::size_t segmentCount() const;
    /// The segment under (key, lane), or nullptr.
    [[nodiscard]] const LaneSegment* segmentAt(double key, int lane) const;
    /// Rectangles the last draw painted (after merging), for the benchmark and tests.
    [[nodiscard]] std::size_t lastDrawnRects() const { return m_lastDrawn; }

    double selectTest(const QPointF& pos, bool onlySelectable,
                      QVariant* details = nullptr) const override;
    QCPRange getKeyRange(bool& foundRange,
                         QCP::SignDomain inSignDomain = QCP::sdBoth) const override;
    QCPRange getValueRange(bool& foundRange, QCP::SignDomain inSignDomain = QCP::sdBoth,
                           const QCPRange& inKeyRange = QCPRange()) const override;

protected:
    void draw(QCPPainter* painter) override;
    void drawLegendIcon(QCPPainter* painter, const QRectF& rect) const override;

private:
    static void sortLane(Lane& lane);
    /// Brings every lane's summaries up to date; false if LOD cannot be used (too many values).
    bool updateLod();
    struct DrawState;  // one draw's painter, pixel mapping, colours and merged rectangle
    void drawLane(DrawState& d, const Lane& lane, double top, double height);

    mutable std::vector<Lane> m_lanes;
    ColorFn m_color;
    bool m_colorByValue = false;
    LabelFn m_label;
    QColor m_labelColor = Qt::white;
    double m_barHeight = 0.8;
    double m_offset = 0;
    std::size_t m_lastDrawn = 0;
    bool m_lodWanted = true;
    bool m_lodBroken = false;  // more distinct values than LodStates holds: draws without LOD
    LodStates m_states;
};

}  // namespace coreduel::ui
