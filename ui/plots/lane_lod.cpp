#include "ui/plots/lane_lod.h"

#include <algorithm>

namespace coreduel::ui {

int LodStates::idOf(float value) {
    if (m_last < m_size && m_values[static_cast<std::size_t>(m_last)] == value) return m_last;
    for (int i = 0; i < m_size; ++i) {
        if (m_values[static_cast<std::size_t>(i)] == value) return m_last = i;
    }
    if (m_size == kMax) return -1;
    m_values[static_cast<std::size_t>(m_size)] = value;
    return m_last = m_size++;
}

void LodCover::add(const LodCover& other) {
    for (std::size_t i = 0; i < time.size(); ++i) time[i] += other.time[i];
    present |= other.present;
}

int LodCover::dominant(const LodStates& states) const {
    int best = -1;
    for (int i = 0; i < states.size(); ++i) {
        if ((present & (1u << i)) == 0) continue;
        const float t = time[static_cast<std::size_t>(i)];
        const float bestT = best < 0 ? 0 : time[static_cast<std::size_t>(best)];
        if (best < 0 || t > bestT || (t == bestT && states.value(i) < states.value(best))) best = i;
    }
    return best;
}

void LaneLod::invalidateFrom(std::size_t index) {
    for (int level = 0; level < kLevels; ++level) {
        auto& groups = m_levels[static_cast<std::size_t>(level)];
        groups.resize(std::min(groups.size(), index / groupSize(level)));
    }
}

bool LaneLod::update(const std::vector<LaneSegment>& segments, LodStates& states) {
    auto& leaves = m_levels[0];
    for (std::size_t g = leaves.size(); (g + 1) * kFanout <= segments.size(); ++g) {
        Group sum;
        sum.start = segments[g * kFanout].start;
        sum.maxEnd = sum.start;
        for (std::size_t i = g * kFanout; i < (g + 1) * kFanout; ++i) {
            const LaneSegment& s = segments[i];
            const int id = states.idOf(s.value);
            if (id < 0) return false;
            sum.maxEnd = std::max(sum.maxEnd, s.end);
            sum.cover.add(id, static_cast<float>(std::max(0.0, s.end - s.start)));
        }
        leaves.push_back(sum);
    }
    // The tail (an incomplete group) is drawn segment by segment, but its states need ids too.
    for (std::size_t i = leaves.size() * kFanout; i < segments.size(); ++i) {
        if (states.idOf(segments[i].value) < 0) return false;
    }
    for (std::size_t level = 1; level < m_levels.size(); ++level) {
        const auto& children = m_levels[level - 1];
        auto& groups = m_levels[level];
        for (std::size_t g = groups.size(); (g + 1) * kFanout <= children.size(); ++g) {
            Group sum = children[g * kFanout];
            for (std::size_t c = g * kFanout + 1; c < (g + 1) * kFanout; ++c) {
                sum.maxEnd = std::max(sum.maxEnd, children[c].maxEnd);
                sum.cover.add(children[c].cover);
            }
            groups.push_back(sum);
        }
    }
    return true;
}

void ColumnRaster::start(long column, const LodStates& states) {
    m_cols = {};
    m_states = &states;
    m_filled = -1;
    m_base = column;
    m_active = true;
}

}  // namespace coreduel::ui
