#pragma once
// The IPC lab: round-trip latency (the median of the round medians, with their range as the
// bar; a two-moded row also shows both modes as hollow rings) and throughput against message
// size, one curve per mechanism, both axes logarithmic.

#include <vector>

#include "core/measure/ipc_lab.h"
#include "ui/plots/chart.h"

namespace coreduel::ui {

class IpcChart : public Chart {
    Q_OBJECT
public:
    explicit IpcChart(QWidget* parent = nullptr);

    QString slug() const override { return QStringLiteral("ipc"); }
    bool hasData() const override { return !m_points.empty(); }
    void clearData() override;
    void addMeasurement(const IpcMeasurement& m);
    [[nodiscard]] const std::vector<IpcMeasurement>& measurements() const { return m_points; }
    /// The lab was stopped after `done` of `planned` points: the subtitle says partial.
    void setPartial(int done, int planned);
    /// A baseline's points (a session's IPC lab), drawn as faded dashed curves (empty: none).
    void setBaseline(const std::vector<IpcMeasurement>& points, const QString& name);
    [[nodiscard]] std::size_t baselinePoints() const { return m_baseline.size(); }
    /// Empty for a complete (or running) lab.
    [[nodiscard]] QString partialNote() const { return m_partialNote; }

protected:
    void rebuild() override;

private:
    /// What was measured and how, and how many rows had two modes.
    [[nodiscard]] QString subtitleText(int twoModed) const;
    /// What the plotted points span, so the log axes hold every one.
    struct Extent {
        double minX, maxX, minL, maxL, minT, maxT;
    };
    /// The saved baseline of one mechanism: its colour, faded and dashed.
    void drawBaseline(const std::string& name, const QColor& c, QCPAxis* tx, QCPAxis* ty,
                      Extent& extent);

    std::vector<IpcMeasurement> m_points;
    std::vector<IpcMeasurement> m_baseline;
    QString m_baselineName;
    QCPAxisRect* m_throughputRect = nullptr;
    QString m_partialNote;
};

}  // namespace coreduel::ui
