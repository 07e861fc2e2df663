#pragma once
// Per-core utilization, live: one lane per logical CPU, one cell per sampler window coloured
// by how busy that CPU was (/proc/stat: user + system of every process, not only ours), and a
// lane on top that marks which run (model and worker count) was executing when.

#include <deque>
#include <map>
#include <optional>
#include <vector>

#include "core/exec/mpi_result.h"
#include "core/measure/cpu_sampler.h"
#include "core/vocab/model.h"
#include "ui/plots/chart.h"
#include "ui/plots/lane_rects.h"

namespace coreduel::ui {

class CoreHeatChart : public Chart {
    Q_OBJECT
public:
    explicit CoreHeatChart(QWidget* parent = nullptr);

    QString slug() const override { return QStringLiteral("cores"); }
    bool hasData() const override { return !m_samples.empty(); }
    void clearData() override;

    /// Time zero of the axis: CLOCK_MONOTONIC ns (the engine's clock).
    void setOrigin(std::int64_t originNs);
    void addSamples(const std::vector<UtilizationSample>& samples);
    /// Marks the span of run `runIndex` from the times of its tasks.
    void addRunSpan(int runIndex, const RunConfig& config, std::int64_t startNs,
                    std::int64_t endNs);
    /// An mpi run on the hosts of a hostfile: each host's cores as lanes of their own, above
    /// the run lane, labelled by host (its lowest rank sampled its /proc/stat). A run on this
    /// machine only adds nothing: its cores are the lanes below.
    void addHostSamples(const MpiRunInfo& mpi);
    [[nodiscard]] int hostLaneCount() const { return m_hostLanes; }
    /// Seconds of history kept; older windows are dropped.
    void setHistorySeconds(double s) { m_historySeconds = s; }
    /// Seconds shown while following the live edge.
    void setVisibleSeconds(double s) { m_visibleSeconds = s; }
    [[nodiscard]] std::size_t sampleCount() const { return m_samples.size(); }
    [[nodiscard]] int coreCount() const { return m_cores; }
    /// Seconds since the experiment's start that the chart shows now, and that it kept (its
    /// samples: the whole experiment unless a long one outgrew the history).
    [[nodiscard]] QCPRange shownSpan() const { return xAxis->range(); }
    [[nodiscard]] QCPRange keptSpan() const;
    /// What a print of the chart shows (printingChanged): the kept span while following the
    /// live edge, else the span the user zoomed to.
    [[nodiscard]] QCPRange printedSpan() const { return m_follow ? keptSpan() : shownSpan(); }

protected:
    void rebuild() override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    /// Printed while following the live edge, the chart shows every sample it kept (the
    /// last 30 s the window shows would be a cut); a span the user zoomed to is printed as is.
    void printingChanged(bool printing) override;

private:
    struct Sample {
        double t0, t1;  // s since origin
        std::vector<CoreUsage> cores;
    };
    struct RunMark {
        Model model;
        unsigned interpreter = 0;  // py: models: the family of its interpreter (its shade)
        QString label;             // short, drawn in the lane
        QString fullLabel;         // with start method and transport, in the tooltip
    };
    void appendSample(const Sample& s, std::uint32_t tag);
    void updateAxes();
    void setCoreCount(int cores);
    /// The legend's model colours: the engine's models before any run, then those that ran.
    void updateSwatches();

    struct HostLanes {
        QString host;
        int cores = 0;
        int first = 0;  // its cpu0's lane, counted from the first host lane
    };
    /// The lane index (from the first host lane) of `host`'s `core`, adding lanes as needed.
    int hostLane(const QString& host, int cores, int core);

    LaneRects* m_heat = nullptr;
    LaneRects* m_hostHeat = nullptr;  // every host of an mpi run, above the run lane
    std::vector<HostLanes> m_hosts;
    int m_hostLanes = 0;
    LaneRects* m_runs = nullptr;
    QCPColorScale* m_scale = nullptr;
    std::vector<QCPBars*> m_modelSwatches;
    std::deque<Sample> m_samples;
    std::uint32_t m_firstTag = 0;  // tag of m_samples.front()
    std::map<int, RunMark> m_runMarks;
    std::map<int, std::pair<double, double>> m_runSpans;
    std::int64_t m_originNs = 0;
    int m_cores = 0;
    double m_latest = 0;
    double m_historySeconds = 600;
    double m_visibleSeconds = 30;
    std::optional<QCPRange> m_rangeBeforePrint;  // the live window, while printed whole
    bool m_follow = true;  // off once the user drags or zooms; double-click turns it back on
    QString m_resolutionNote;
};

}  // namespace coreduel::ui
