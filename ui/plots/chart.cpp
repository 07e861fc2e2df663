#include "ui/plots/chart.h"

#include <cmath>

namespace coreduel::ui {

Chart::Chart(const QString& title, QWidget* parent) : QCustomPlot(parent), m_titleText(title) {
    plotLayout()->insertRow(0);
    m_titleElement = new QCPTextElement(this, title, chartFont(13));
    plotLayout()->addElement(0, 0, m_titleElement);
    setNoAntialiasingOnDrag(true);
    setMinimumSize(320, 220);
    m_throttle.setSingleShot(true);
    connect(&m_throttle, &QTimer::timeout, this, &Chart::replotNow);
    connect(this, &QCustomPlot::afterReplot, this, [this] {
        ++m_replots;
        m_sinceReplot.restart();
    });
    m_sinceReplot.start();
}

void Chart::setTheme(const Theme& theme) {
    m_theme = theme;
    rebuild();
    applyTheme(*this, m_theme);
    if (m_subtitle != nullptr) {
        m_subtitle->setTextColor(m_theme.subtle);
        m_subtitle->setFont(chartFont(10));
    }
    requestReplot();
}

void Chart::setSubtitle(const QString& text) {
    if (m_subtitle == nullptr) {
        plotLayout()->insertRow(1);
        m_subtitle = new QCPTextElement(this, text, chartFont(10));
        m_subtitle->setTextColor(m_theme.subtle);
        plotLayout()->addElement(1, 0, m_subtitle);
    }
    m_subtitle->setText(text);
}

void Chart::placeLegendBelow(int columns) {
    if (legend->layout() == plotLayout()) return;
    if (auto* inset = axisRect()->insetLayout(); inset->elements(false).contains(legend)) {
        inset->take(legend);
        inset->simplify();
    }
    const int row = plotLayout()->rowCount();
    plotLayout()->insertRow(row);
    plotLayout()->addElement(row, 0, legend);
    plotLayout()->setRowStretchFactor(row, 0.001);
    legend->setWrap(columns);
    legend->setFillOrder(QCPLayoutGrid::foColumnsFirst, true);  // re-flows items already there
    legend->setMargins(QMargins(6, 2, 6, 2));
    legend->setVisible(true);
}

void Chart::showEvent(QShowEvent* event) {
    QCustomPlot::showEvent(event);
    if (m_dirty) requestReplot();
}

void Chart::requestReplot() {
    // Rendering costs CPU that the workers being measured could use: skip hidden charts.
    if (!isVisible()) {
        m_dirty = true;
        return;
    }
    m_dirty = false;
    if (m_throttle.isActive()) return;
    const qint64 since = m_sinceReplot.elapsed();
    m_throttle.start(since >= m_minIntervalMs ? 0 : static_cast<int>(m_minIntervalMs - since));
}

void Chart::replotNow() {
    replot(QCustomPlot::rpQueuedReplot);
}

QString formatSeconds(double s) {
    const double a = std::fabs(s);
    if (a >= 1) return QStringLiteral("%1 s").arg(s, 0, 'f', a >= 100 ? 0 : 2);
    if (a >= 1e-3) return QStringLiteral("%1 ms").arg(s * 1e3, 0, 'f', a >= 0.1 ? 0 : 1);
    return QStringLiteral("%1 µs").arg(s * 1e6, 0, 'f', 1);
}

QString formatBytes(double b) {
    if (b >= 1024.0 * 1024 * 1024) return QStringLiteral("%1 GiB").arg(b / 1073741824.0, 0, 'f', 2);
    if (b >= 1024.0 * 1024) return QStringLiteral("%1 MiB").arg(b / 1048576.0, 0, 'f', 1);
    if (b >= 1024.0) return QStringLiteral("%1 KiB").arg(b / 1024.0, 0, 'f', 1);
    return QStringLiteral("%1 B").arg(b, 0, 'f', 0);
}

}  // namespace coreduel::ui
