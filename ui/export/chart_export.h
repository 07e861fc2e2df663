#pragma once
// Charts laid out for the file they go into. A chart exported at 1920×1080 is not the widget
// blown up: it is laid out at a logical size whose shorter side is about 480 px (less where
// type would fall below 3/4 of its points at the DPI) and drawn scaled to the output, so type,
// lines and markers keep their share of the picture at any size: a slide reads from the back
// of the room, a poster is not a desert of thin lines. Where a long legend would not fit, the
// type gets smaller rather than anything being cut. Fonts are switched to pixel sizes for the
// export, so the layout does not depend on the DPI of the screen the program runs on.

#include <QRect>
#include <QSize>
#include <QString>
#include <QStringList>
#include <functional>
#include <vector>

#include "ui/export/exporter.h"

class QCustomPlot;

namespace coreduel::ui {

class Chart;

/// A named output size: "Slide 16:9" 1920×1080 at 144 DPI and so on.
struct ExportPreset {
    QString name;
    QSize pixels;
    int dpi = 96;
};
/// Slide 16:9, Document column, Poster (in that order).
const std::vector<ExportPreset>& exportPresets();

/// The size the chart is laid out at for `options`, and the factor from it to the output.
struct ExportGeometry {
    QSize logical;
    double scale = 1;
};
/// Throws ExportError for sizes or densities outside what an export supports.
ExportGeometry exportGeometry(const ImageOptions& options);

/// While alive, `chart` is laid out as it is exported with `options` (fonts in pixels, titles,
/// legend and ticks fitted to the logical size); the destructor puts fonts and layout back.
/// Tests read element rects through it; the renderers draw through it.
class ExportLayout {
public:
    ExportLayout(Chart& chart, const ImageOptions& options);
    ~ExportLayout();
    ExportLayout(const ExportLayout&) = delete;
    ExportLayout& operator=(const ExportLayout&) = delete;

    [[nodiscard]] const ExportGeometry& geometry() const { return m_geometry; }

private:
    void relayout();
    void widenLegend();
    [[nodiscard]] bool fits() const;
    Chart& m_chart;
    ExportGeometry m_geometry;
    QRect m_oldViewport;
    std::vector<std::function<void()>> m_restore;
};

/// "speedup-primes.svg": the chart's slug and the experiment, safe as a file name.
QString chartFileName(const Chart& chart, const QString& experiment, const QString& format);

struct ExportAllResult {
    int written = 0;
    int skipped = 0;  ///< charts without data
    QStringList files;
};
/// One file per chart with data in `dir` (chartFileName), in `format` (png, svg or pdf).
/// Throws ExportError on the first file that cannot be written.
ExportAllResult exportAllCharts(const std::vector<Chart*>& charts, const QString& dir,
                                const QString& experiment, const QString& format,
                                const ImageOptions& options);

/// Inserts a clip group around each layerable that QCustomPlot clips (plottables, items),
/// given the SVG `svg` that QSvgGenerator wrote with markers in it (see renderSvg): Qt's SVG
/// engine ignores clipping, so without this the lines run past the axes.
QByteArray applySvgClipMarkers(const QByteArray& svg, QSize pixels);

}  // namespace coreduel::ui
