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
    std::vector<IpcMeasurement> m_points;
    std::vector<IpcMeasurement> m_baseline;
    QString m_baselineName;
    QCPAxisRect* m_throughputRect = nullptr;
    QString m_partialNote;
};

}  // namespace coreduel::ui
