// LaneRects' level of detail (issue 14: a million-task timeline within one frame): what a
// whole-run view draws from the lanes' summaries must be true to the segments. Every column
// with a task in it is drawn, in the colour of the state that covers the most time there; a
// lane built in batches (live) draws as one built at once; zoomed-in views draw as without LOD.
//
// The plots here have no margins and an x range of [0, width]: one key unit is one pixel column,
// so a test knows which column each segment falls in.

#include <gtest/gtest.h>

#include <QImage>
#include <algorithm>
#include <random>
#include <vector>

#include "ui/plots/lane_rects.h"
#include "ui/plots/lane_ticker.h"
#include "ui/plots/timeline_chart.h"

using namespace coreduel;
using namespace coreduel::ui;

namespace {

const QColor kStates[] = {QColor(200, 30, 30), QColor(30, 160, 30), QColor(30, 30, 200),
                          QColor(230, 150, 0)};
const QColor kBackground = Qt::white;

struct LanePlot {
    static constexpr int kWidth = 400;
    static constexpr int kLaneHeight = 40;

    explicit LanePlot(int lanes = 1) : m_lanes(lanes) {
        plot.axisRect()->setAutoMargins(QCP::msNone);
        plot.axisRect()->setMargins(QMargins(0, 0, 0, 0));
        plot.xAxis->setVisible(false);
        plot.yAxis->setVisible(false);
        plot.xAxis->grid()->setVisible(false);
        plot.yAxis->grid()->setVisible(false);
        plot.setBackground(kBackground);
        plot.xAxis->setRange(0, kWidth);
        plot.yAxis->setRange(-0.5, lanes - 0.5);
        plot.yAxis->setRangeReversed(true);  // lane 0 on top, as in the timeline
        bars = new LaneRects(plot.xAxis, plot.yAxis);
        bars->setBarHeight(0.8);
        bars->setColorFunction(
            [](const LaneSegment& s) { return kStates[static_cast<int>(s.value)]; }, true);
        bars->setLaneCount(lanes);
    }
    QImage render() { return plot.toPixmap(kWidth, kLaneHeight * m_lanes).toImage(); }
    /// The colour at the middle of `lane` in pixel column `column`.
    static QColor at(const QImage& image, int column, int lane = 0) {
        return image.pixelColor(column, lane * kLaneHeight + kLaneHeight / 2);
    }

    QCustomPlot plot;
    LaneRects* bars = nullptr;

private:
    int m_lanes;
};

/// A lane where pixel column c is mostly state c % 3 (3 of every 4 segments, each as long),
/// but starts with a segment of another state: `perColumn` segments per column, so groups of
/// 16 both fit inside columns and straddle their borders.
std::vector<LaneSegment> dominatedColumns(int perColumn) {
    std::vector<LaneSegment> out;
    for (int c = 0; c < LanePlot::kWidth; ++c) {
        for (int j = 0; j < perColumn; ++j) {
            const double a = c + double(j) / perColumn, b = c + double(j + 1) / perColumn;
            const int state = j % 4 == 0 ? (c + 1) % 3 : c % 3;
            out.push_back(LaneSegment{a, b, float(state), std::uint32_t(out.size())});
        }
    }
    return out;
}

/// Bursts of short tasks with idle gaps and lone tasks between them, in random states.
std::vector<LaneSegment> burstsAndGaps(unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> unit(0, 1);
    std::vector<LaneSegment> out;
    double t = 0.3;
    while (t < LanePlot::kWidth - 20) {
        if (unit(rng) < 0.7) {  // a burst: 50-400 tasks of 1-20 µs-ish (in pixels)
            const int n = 50 + int(unit(rng) * 350);
            for (int i = 0; i < n; ++i) {
                const double len = 0.001 + unit(rng) * 0.02;
                out.push_back(LaneSegment{t, t + len, float(int(unit(rng) * 3) % 3),
                                          std::uint32_t(out.size())});
                t += len + unit(rng) * 0.01;
            }
        } else {  // a lone task a millionth of the view long
            out.push_back(LaneSegment{t, t + 0.0004, 3, std::uint32_t(out.size())});
        }
        t += 2 + unit(rng) * 10;  // idle
    }
    return out;
}

}  // namespace

TEST(TimelineLod, EachDenseColumnTakesTheColourOfItsDominantState) {
    for (int perColumn : {64, 40}) {
        LanePlot p;
        for (const LaneSegment& s : dominatedColumns(perColumn)) p.bars->add(0, s);
        const QImage image = p.render();
        for (int c = 0; c < LanePlot::kWidth; ++c) {
            // The column's first segment is of another state: a sample of the first bar (the
            // draw before LOD) would show that one.
            ASSERT_EQ(LanePlot::at(image, c), kStates[c % 3])
                << "column " << c << ", " << perColumn << " segments per column";
        }
        // A whole-run view costs rectangles per column, not per segment.
        EXPECT_LE(p.bars->lastDrawnRects(), std::size_t(LanePlot::kWidth));
    }
}

TEST(TimelineLod, EveryColumnWithATaskIsDrawnAndNoOther) {
    LanePlot p;
    const std::vector<LaneSegment> segments = burstsAndGaps(7);
    for (const LaneSegment& s : segments) p.bars->add(0, s);
    const QImage image = p.render();
    std::vector<bool> busy(LanePlot::kWidth, false);
    for (const LaneSegment& s : segments) {
        for (int c = int(s.start); c < s.end && c < LanePlot::kWidth; ++c) busy[c] = true;
    }
    auto drawn = [&](int c) {
        return c >= 0 && c < LanePlot::kWidth && LanePlot::at(image, c) != kBackground;
    };
    auto busyAt = [&](int c) { return c >= 0 && c < LanePlot::kWidth && busy[c]; };
    for (int c = 0; c < LanePlot::kWidth; ++c) {
        // Dense stretches lie exactly in their columns. Lone tasks are drawn as before LOD: a
        // bar at least a pixel wide from their start, antialiased (QCustomPlot then shifts
        // fills by half a pixel), so a lone task may show mostly in the next column or two.
        EXPECT_TRUE(!busy[c] || drawn(c) || drawn(c + 1) || drawn(c + 2))
            << "column " << c << " has a task but nothing near it is drawn";
        EXPECT_TRUE(!drawn(c) || busyAt(c) || busyAt(c - 1) || busyAt(c - 2))
            << "column " << c << " is drawn but idle";
    }
    // Each lone task (the only segments of state 3, orange) is at least half opaque somewhere.
    int lone = 0;
    for (const LaneSegment& s : segments) {
        if (s.value != 3) continue;
        ++lone;
        const int c = int(s.start);
        EXPECT_TRUE(LanePlot::at(image, c).blue() < 128 || LanePlot::at(image, c + 1).blue() < 128)
            << "lone task at " << s.start;
    }
    EXPECT_GT(lone, 5);
}

TEST(TimelineLod, ALoneMicrosecondTaskInALongIdleStretchStillShows) {
    // 400 ms of a run on 400 px: 1 ms per column. Dense work, 100 ms idle with one 1 µs task
    // in the middle, dense work again.
    LanePlot p;
    std::uint32_t tag = 0;
    auto dense = [&](double from, double to) {
        for (double t = from; t < to; t += 0.01)
            p.bars->add(0, LaneSegment{t, t + 0.008, 0, tag++});
    };
    dense(0, 150);
    p.bars->add(0, LaneSegment{200.4, 200.401, 2, tag++});
    dense(250, 400);
    const QImage image = p.render();
    // A bar a pixel wide (the draw never hides short tasks), antialiased over columns 200 and
    // 201 as before LOD: at least one of them is more the task's colour than the background.
    const QColor a = LanePlot::at(image, 200), b = LanePlot::at(image, 201);
    const QColor strongest = a.red() < b.red() ? a : b;
    EXPECT_LT(strongest.red(), (255 + kStates[2].red()) / 2);
    EXPECT_GT(strongest.blue(), kStates[2].blue() - 10);
    for (int c : {151, 180, 199, 202, 220, 249}) EXPECT_EQ(LanePlot::at(image, c), kBackground);
    EXPECT_EQ(LanePlot::at(image, 100), kStates[0]);
    EXPECT_EQ(LanePlot::at(image, 300), kStates[0]);
    // The tooltip still finds it.
    const LaneSegment* s = p.bars->segmentAt(200.4005, 0);
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->value, 2);
}

TEST(TimelineLod, ALaneBuiltInBatchesDrawsAsOneBuiltAtOnce) {
    std::vector<std::vector<LaneSegment>> lanes;
    for (unsigned lane = 0; lane < 3; ++lane) lanes.push_back(burstsAndGaps(11 + lane));
    lanes.push_back(dominatedColumns(40));
    // Live: batches of odd sizes, drawn after each (the summaries catch up), a few segments
    // out of order, and a run marker that grows.
    LanePlot live(4);
    for (std::size_t from = 0; from < 16000; from += 1237) {
        for (std::size_t lane = 0; lane < lanes.size(); ++lane) {
            const auto& all = lanes[lane];
            for (std::size_t i = from; i < std::min(all.size(), from + 1237); ++i) {
                // Each batch's second segment arrives after the rest of the batch.
                if (i == from + 1) continue;
                live.bars->add(int(lane), all[i]);
            }
            if (from + 1 < all.size()) live.bars->add(int(lane), all[from + 1]);
        }
        (void)live.render();
    }
    LanePlot once(4);
    for (std::size_t lane = 0; lane < lanes.size(); ++lane)
        for (const LaneSegment& s : lanes[lane]) once.bars->add(int(lane), s);
    EXPECT_EQ(live.render(), once.render());

    // extendLast and trimBefore change summarized segments: the draw must follow.
    const double grown = lanes[0].back().end + 5;
    live.bars->extendLast(0, grown);
    live.bars->trimBefore(100.5);
    const QImage trimmed = live.render();
    LanePlot fresh(4);
    for (std::size_t lane = 0; lane < lanes.size(); ++lane) {
        for (std::size_t i = 0; i < lanes[lane].size(); ++i) {
            LaneSegment s = lanes[lane][i];
            if (lane == 0 && i + 1 == lanes[lane].size()) s.end = grown;
            if (s.end >= 100.5) fresh.bars->add(int(lane), s);
        }
    }
    EXPECT_EQ(trimmed, fresh.render());
}

TEST(TimelineLod, ZoomedInViewsDrawAsWithoutLevelOfDetail) {
    // Ranges where a pixel holds fewer than a group's 16 segments: the picture and the
    // number of rectangles are what the draw without summaries gives.
    auto same = [](LanePlot& p, double lower, double upper) {
        p.plot.xAxis->setRange(lower, upper);
        p.bars->setLevelOfDetail(true);
        const QImage lod = p.render();
        const std::size_t lodRects = p.bars->lastDrawnRects();
        p.bars->setLevelOfDetail(false);
        const QImage exact = p.render();
        EXPECT_EQ(lod, exact) << lower << "–" << upper;
        EXPECT_EQ(lodRects, p.bars->lastDrawnRects()) << lower << "–" << upper;
    };
    LanePlot bursts(2);
    for (const LaneSegment& s : burstsAndGaps(3)) bursts.bars->add(0, s);
    for (const LaneSegment& s : dominatedColumns(40)) bursts.bars->add(1, s);
    for (const auto& [lower, upper] :
         std::vector<std::pair<double, double>>{{10, 30}, {100.2, 101.7}, {250, 250.5}})
        same(bursts, lower, upper);
    // Ten evenly spaced segments per pixel: the bars before LOD merged, colours and all.
    LanePlot even;
    for (const LaneSegment& s : dominatedColumns(40)) even.bars->add(0, s);
    same(even, 0, 100);
    same(even, 37.3, 52.9);
    // A long first segment makes the walk start at the lane's beginning: the groups left of
    // the view are skipped whole, and the picture is the same.
    LanePlot longFirst;
    longFirst.bars->add(0, LaneSegment{0, 395.5, 2, 0});
    for (const LaneSegment& s : dominatedColumns(40)) longFirst.bars->add(0, s);
    same(longFirst, 395, 398);
}

TEST(TimelineLod, WideSegmentsKeepTheirLabels) {
    LanePlot p;
    p.bars->setLabelFunction([](const LaneSegment&) { return QStringLiteral("run 1"); });
    p.bars->setLabelColor(Qt::black);
    // A wide labelled segment after a dense stretch: the label must survive LOD.
    for (double t = 0; t < 100; t += 0.01) p.bars->add(0, LaneSegment{t, t + 0.008, 1, 0});
    p.bars->add(0, LaneSegment{150, 390, 0, 1});
    const QImage lod = p.render();
    p.bars->setLevelOfDetail(false);
    const QImage exact = p.render();
    EXPECT_EQ(lod.copy(140, 0, 260, LanePlot::kLaneHeight),
              exact.copy(140, 0, 260, LanePlot::kLaneHeight));
    int text = 0;
    for (int x = 152; x < 388; ++x)
        text += LanePlot::at(lod, x) != kStates[0] && LanePlot::at(lod, x) != kBackground;
    EXPECT_GT(text, 3) << "the label is drawn";
}

TEST(TimelineLod, AWholeRunViewDrawsABarPerLaneNotOnePerTask) {
    TimelineChart chart;
    RunConfig config;
    config.model = Model::GilThreads;
    config.workers = 4;
    chart.beginRun(0, config);
    std::vector<TaskEvent> events;
    for (std::uint64_t i = 0; i < 200'000; ++i) {
        TaskEvent e;
        e.task = i;
        e.worker = static_cast<std::uint32_t>(i % 4);
        e.startNs = 1'000'000'000 + std::int64_t(i / 4) * 20'000;
        e.endNs = e.startNs + 15'000;
        e.gilWaitNs = e.gilWaitBeforeNs = (i % 3 == 0) ? 4'000 : 0;
        events.push_back(e);
    }
    chart.addEvents(0, events);
    auto* bars = chart.findChild<LaneRects*>();
    ASSERT_NE(bars, nullptr);
    bars->setLevelOfDetail(false);
    (void)chart.toPixmap(1600, 500);
    const std::size_t exactRects = bars->lastDrawnRects();
    bars->setLevelOfDetail(true);
    (void)chart.toPixmap(1600, 500);
    // On CPU dominates every column: one bar per lane where there were hundreds.
    EXPECT_LT(bars->lastDrawnRects(), 4u * 20u);
    EXPECT_GT(exactRects, 4u * 100u);
}

TEST(TimelineLanes, LaneLabelsAreThinnedForTheLayoutTheyAreDrawnIn) {
    // Ticks (lane labels, numbers) are made before a layout, for the previous layout's rect: a
    // timeline laid out small and then drawn once at its real size named only "process 0"
    // of two, under an x axis with one number (the walkthrough at 1366×768).
    TimelineChart chart;
    RunConfig config;
    config.model = Model::Processes;
    config.workers = 4;
    chart.beginRun(0, config);
    std::vector<TaskEvent> events;
    for (std::uint64_t i = 0; i < 40; ++i) {
        TaskEvent e;
        e.task = i;
        e.worker = static_cast<std::uint32_t>(i % 4);
        e.startNs = 1'000'000'000 + std::int64_t(i / 4) * 2'000'000;
        e.endNs = e.startNs + 1'500'000;
        events.push_back(e);
    }
    chart.addEvents(0, events);
    chart.setViewport(QRect(0, 0, 400, 120));  // a dock being placed
    chart.replot(QCustomPlot::rpImmediateRefresh);
    auto* lanes = dynamic_cast<LaneTicker*>(chart.yAxis->ticker().data());
    ASSERT_NE(lanes, nullptr);
    ASSERT_GT(lanes->step(), 1);
    chart.setViewport(QRect(0, 0, 700, 480));  // its real size, drawn once
    chart.replot(QCustomPlot::rpImmediateRefresh);
    EXPECT_EQ(lanes->step(), 1) << "every lane named at 480 px";
    EXPECT_GE(chart.xAxis->tickVector().size(), 3);
}
