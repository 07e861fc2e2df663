#pragma once
// Level of detail for LaneRects: what a million-task lane looks like at one pixel per thousand
// tasks, without visiting the thousand tasks. A lane's segments (sorted by start) are summed up
// in groups of 16, 256, 4096 and 65536 consecutive ones: the group's time span and how much time
// each state covers in it. A whole-run redraw then consumes a group that falls inside one pixel
// column at once, so it costs about lanes × pixel columns × a few groups, not one step per
// segment.
//
// Summaries are indexed by segment position, so they survive appends (new groups are summed up
// when a draw needs them) and are dropped from the first changed position on otherwise (a sort
// after an out-of-order add, extendLast, trimBefore): a lazy rebuild of what changed.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace coreduel::ui {

struct LaneSegment {
    double start = 0;  ///< key-axis units
    double end = 0;
    float value = 0;        ///< what the colour function reads (utilization, state)
    std::uint32_t tag = 0;  ///< the owner's index into its own records (tooltips)
};

/// The distinct segment values of one plottable, as small ids. A group sums time per id, so
/// the values must be few (timeline states); a plottable with more values draws without LOD.
class LodStates {
public:
    static constexpr int kMax = 12;
    /// The id of `value`, adding it if new; -1 when the table is full.
    int idOf(float value);
    [[nodiscard]] float value(int id) const { return m_values[static_cast<std::size_t>(id)]; }
    [[nodiscard]] int size() const { return m_size; }
    void clear() { m_size = m_last = 0; }

private:
    std::array<float, kMax> m_values{};
    int m_size = 0;
    int m_last = 0;  // the last id found: consecutive segments often share a state
};

/// Time per state id in some stretch of a lane, and which states occur there at all (a state
/// of zero-length segments still occurs: the column it is in gets drawn).
struct LodCover {
    std::array<float, LodStates::kMax> time{};
    std::uint16_t present = 0;

    void add(int id, float t) {
        time[static_cast<std::size_t>(id)] += t;
        present |= static_cast<std::uint16_t>(1u << id);
    }
    void add(const LodCover& other);
    /// The state covering the most time, among equals the lowest value (not the lowest id: ids
    /// follow the order values were first seen, which a rebuild may change); -1 if empty.
    [[nodiscard]] int dominant(const LodStates& states) const;
};

/// One lane's summaries.
class LaneLod {
public:
    static constexpr std::size_t kFanout = 16;
    static constexpr int kLevels = 4;  // groups of 16, 256, 4096, 65536 segments

    struct Group {
        double start = 0;   ///< the first segment's start (segments are sorted by start)
        double maxEnd = 0;  ///< the latest end of any segment in the group
        LodCover cover;
    };

    /// Segments from `index` on changed (or went away): their summaries are stale.
    void invalidateFrom(std::size_t index);
    void clear() { invalidateFrom(0); }
    /// Sums up the complete groups not summed up yet; false when the segments have more
    /// distinct values than `states` can hold.
    bool update(const std::vector<LaneSegment>& segments, LodStates& states);
    /// Segments per group at `level`.
    static constexpr std::size_t groupSize(int level) {
        constexpr std::array<std::size_t, kLevels> kSizes = {kFanout, kFanout * kFanout,
                                                             kFanout * kFanout * kFanout,
                                                             kFanout * kFanout * kFanout * kFanout};
        return kSizes[static_cast<std::size_t>(level)];
    }
    /// The group of `level` starting at segment `index` (a multiple of groupSize), or nullptr
    /// if it is not summed up (incomplete, or stale).
    [[nodiscard]] const Group* group(int level, std::size_t index) const {
        const std::size_t g = index / groupSize(level);
        const auto& groups = m_levels[static_cast<std::size_t>(level)];
        return g < groups.size() ? &groups[g] : nullptr;
    }
    [[nodiscard]] std::size_t summarized() const { return m_levels[0].size() * kFanout; }

private:
    std::array<std::vector<Group>, kLevels> m_levels;
};

/// The pixel columns of a lane's dense stretch while a draw walks it left to right: time per
/// state in the current column and the next two (a segment under 1.5 px that starts in one
/// column can reach two more). `onColumn(column, stateId)` is called once per finished non-empty
/// column with its dominant state.
class ColumnRaster {
public:
    [[nodiscard]] bool active() const { return m_active; }
    /// The rightmost column holding anything, or the current one minus one.
    [[nodiscard]] long lastFilled() const { return m_base + m_filled; }
    void start(long column, const LodStates& states);
    /// Adds a whole group that lies inside `column` (>= the current column).
    template <class OnColumn>
    void addGroup(long column, const LodCover& cover, OnColumn&& onColumn) {
        advanceTo(column, onColumn);
        m_cols[0].add(cover);
        m_filled = std::max<long>(m_filled, 0);
    }
    /// Adds the narrow span [x0, x1] (pixels) of state `id`, split over the columns it touches;
    /// `keyPerPixel` turns pixels back into key units, the unit of the groups' covers.
    template <class OnColumn>
    void addSpan(double x0, double x1, int id, double keyPerPixel, OnColumn&& onColumn) {
        advanceTo(static_cast<long>(std::floor(x0)), onColumn);
        const auto left = static_cast<double>(m_base);
        if (x1 <= left + 1) {  // the common case: inside the current column
            m_cols[0].add(id, static_cast<float>((x1 - x0) * keyPerPixel));
            m_filled = std::max<long>(m_filled, 0);
            return;
        }
        for (std::size_t i = 0; i < kSpan; ++i) {
            const double l = left + static_cast<double>(i);
            const double a = std::max(x0, l), b = std::min(x1, l + 1);
            if (b <= a) continue;
            m_cols[i].add(id, static_cast<float>((b - a) * keyPerPixel));
            m_filled = std::max(m_filled, static_cast<long>(i));
        }
    }
    /// Emits every column still open and stops.
    template <class OnColumn>
    void finish(OnColumn&& onColumn) {
        for (long i = 0; i <= m_filled; ++i) emitColumn(static_cast<std::size_t>(i), onColumn);
        m_active = false;
    }

private:
    static constexpr std::size_t kSpan = 3;
    template <class OnColumn>
    void emitColumn(std::size_t i, OnColumn& onColumn) {
        const int id = m_cols[i].dominant(*m_states);
        if (id >= 0) onColumn(m_base + static_cast<long>(i), id);
        m_cols[i] = LodCover{};
    }
    /// Finishes the columns before `column` and makes it the current one.
    template <class OnColumn>
    void advanceTo(long column, OnColumn& onColumn) {
        while (m_base < column) {
            if (m_filled < 0) {  // nothing open: jump over the empty columns
                m_base = column;
                return;
            }
            emitColumn(0, onColumn);
            for (std::size_t i = 0; i + 1 < kSpan; ++i) m_cols[i] = m_cols[i + 1];
            m_cols[kSpan - 1] = LodCover{};
            ++m_base;
            --m_filled;
        }
    }

    std::array<LodCover, kSpan> m_cols{};
    const LodStates* m_states = nullptr;
    long m_base = 0;
    long m_filled = -1;  // the last column holding anything, relative to m_base; -1: none
    bool m_active = false;
};

}  // namespace coreduel::ui
