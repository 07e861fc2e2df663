#include "ui/export/chart_export.h"

#include <qcustomplot.h>

#include <QBuffer>
#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QPageLayout>
#include <QPageSize>
#include <QPdfWriter>
#include <QPointer>
#include <QRegularExpression>
#include <QSvgGenerator>
#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <set>

#include "ui/plots/chart.h"

namespace coreduel::ui {
namespace {

// The shorter side of the logical layout: an 11 pt tick label (15 px) is then about 3 % of
// the picture's shorter side, 33 px on a 1080 px slide, which reads from the back of a room.
constexpr int kLogicalShortSide = 480;
constexpr int kEdge = 6;  // logical pixels of background round an exported chart

QFont pixelFont(QFont f) {
    // Points depend on the DPI of the screen the layout is measured on; pixels do not.
    if (f.pointSizeF() > 0)
        f.setPixelSize(std::max(1, static_cast<int>(std::lround(f.pointSizeF() * 96.0 / 72.0))));
    return f;
}

/// Marks in the SVG where a layerable's drawing starts or ends, with its clip rect, so that
/// applySvgClipMarkers can wrap it in a clip group (QSvgGenerator drops QPainter clipping).
class ClipMarker final : public QCPLayerable {
public:
    ClipMarker(QCustomPlot* plot, QCPLayer* layer, QCPLayerable* target, bool begin)
        : QCPLayerable(plot, layer->name()), m_target(target), m_begin(begin) {}

protected:
    void applyDefaultAntialiasingHint(QCPPainter*) const override {}
    void draw(QCPPainter* painter) override {
        if (m_target.isNull() || !m_target->realVisibility()) return;
        // clipRect() is protected; a pointer to it formed in this subclass may be called on
        // any layerable (the plottables' and items' overrides give their axis rect).
        const QRect clip = (m_target.data()->*(&ClipMarker::clipRect))();
        const QRect viewport = parentPlot()->viewport();
        if (clip.contains(viewport)) return;
        painter->setPen(QColor(0, 0, 0, 0));
        QFont f = painter->font();
        f.setPixelSize(1);
        painter->setFont(f);
        // QCPLayer::draw clips to the rect moved up by one pixel: the same here.
        const QRect r = clip.translated(0, -1);
        painter->drawText(QPointF(viewport.center()),
                          QStringLiteral("cdclip%1:%2,%3,%4,%5")
                              .arg(m_begin ? QLatin1String() : QLatin1String("end"))
                              .arg(r.x())
                              .arg(r.y())
                              .arg(r.width())
                              .arg(r.height()));
    }

private:
    QPointer<QCPLayerable> m_target;
    bool m_begin;
};

/// Puts a begin and an end marker around every layerable, in drawing order, while alive.
class SvgClipMarkers {
public:
    explicit SvgClipMarkers(QCustomPlot& plot) {
        const QString scratchName = QStringLiteral("coreduel-export-scratch");
        plot.addLayer(scratchName);
        QCPLayer* scratch = plot.layer(scratchName);
        for (int i = 0; i < plot.layerCount(); ++i) {
            QCPLayer* layer = plot.layer(i);
            if (layer == scratch) continue;
            // setLayer appends: move the children out and back in order, markers between.
            const QList<QCPLayerable*> children = layer->children();
            for (QCPLayerable* c : children) c->setLayer(scratch);
            for (QCPLayerable* c : children) {
                m_markers.push_back(std::make_unique<ClipMarker>(&plot, layer, c, true));
                c->setLayer(layer);
                m_markers.push_back(std::make_unique<ClipMarker>(&plot, layer, c, false));
            }
        }
        plot.removeLayer(scratch);  // empty again
    }

private:
    std::vector<std::unique_ptr<ClipMarker>> m_markers;  // deleting one takes it off its layer
};

void checkOptions(const ImageOptions& o) {
    if (o.pixels.width() < 16 || o.pixels.height() < 16 || o.pixels.width() > 16384 ||
        o.pixels.height() > 16384) {
        throw ExportError("image size must be between 16 and 16384 pixels a side");
    }
    if (o.dpi < 36 || o.dpi > 1200) throw ExportError("DPI must be between 36 and 1200");
}

QString fileNamePart(const QString& text) {
    QString s = text.toLower();
    s.replace(QRegularExpression(QStringLiteral("[^a-z0-9]+")), QStringLiteral("-"));
    while (s.startsWith(QLatin1Char('-'))) s.remove(0, 1);
    while (s.endsWith(QLatin1Char('-'))) s.chop(1);
    return s;
}

}  // namespace

const std::vector<ExportPreset>& exportPresets() {
    static const std::vector<ExportPreset> presets = {
        {QStringLiteral("Slide 16:9"), QSize(1920, 1080), 144},
        {QStringLiteral("Document column"), QSize(1200, 800), 200},  // 6 × 4 in
        {QStringLiteral("Poster"), QSize(3000, 2000), 300},          // 10 × 6.7 in
    };
    return presets;
}

ExportGeometry exportGeometry(const ImageOptions& o) {
    checkOptions(o);
    const int shorter = std::min(o.pixels.width(), o.pixels.height());
    // The shorter side sets the type size; the DPI keeps it at least at three quarters of its
    // nominal points on paper (11 pt tick labels are 8 pt or more in a small figure).
    const double scale = std::max(shorter / double(kLogicalShortSide), 0.75 * o.dpi / 96.0);
    const QSize logical(std::max(16, static_cast<int>(std::lround(o.pixels.width() / scale))),
                        std::max(16, static_cast<int>(std::lround(o.pixels.height() / scale))));
    return {logical, scale};
}

ExportLayout::ExportLayout(Chart& chart, const ImageOptions& options)
    : m_chart(chart), m_geometry(exportGeometry(options)), m_oldViewport(chart.viewport()) {
    // A picture says what was measured, not how to use the window.
    chart.setPrinting(true);
    m_restore.emplace_back([&chart] { chart.setPrinting(false); });
    if (options.slide) chart.setSubtitleShown(false);
    m_restore.emplace_back([&chart] { chart.setSubtitleShown(true); });
    for (QCPLayoutElement* e : chart.plotLayout()->elements(true)) {
        if (auto* t = qobject_cast<QCPTextElement*>(e)) {
            const QFont old = t->font();
            t->setFont(pixelFont(old));
            m_restore.emplace_back([t, old] { t->setFont(old); });
        }
    }
    std::set<QCPAxis*> axes;
    for (QCPAxisRect* rect : chart.axisRects()) {
        for (QCPAxis* a : rect->axes()) axes.insert(a);
    }
    for (QCPColorScale* scale : chart.findChildren<QCPColorScale*>()) axes.insert(scale->axis());
    for (QCPAxis* a : axes) {
        const QFont tick = a->tickLabelFont();
        const QFont label = a->labelFont();
        a->setTickLabelFont(pixelFont(tick));
        a->setLabelFont(pixelFont(label));
        m_restore.emplace_back([a, tick, label] {
            a->setTickLabelFont(tick);
            a->setLabelFont(label);
        });
    }
    QCPLegend* legend = chart.legend;
    const QFont legendFont = legend->font();
    legend->setFont(pixelFont(legendFont));  // sets every item's font too
    m_restore.emplace_back([legend, legendFont] { legend->setFont(legendFont); });
    // Half a line between a swatch and its name: SVG renderers set the text in their own font,
    // which may start further left or run wider than Qt measured, onto the swatch.
    const int padding = legend->iconTextPadding();
    legend->setIconTextPadding(std::max(padding, QFontMetrics(legend->font()).height() / 2));
    m_restore.emplace_back([legend, padding] { legend->setIconTextPadding(padding); });
    for (int i = 0; i < chart.itemCount(); ++i) {
        if (auto* text = qobject_cast<QCPItemText*>(chart.item(i))) {
            const QFont old = text->font();
            text->setFont(pixelFont(old));
            m_restore.emplace_back([text, old] { text->setFont(old); });
        }
    }
    // A margin round the picture: the legend's frame is drawn on its outer rect, which would
    // otherwise lie on the picture's edges (its lower line one pixel past the bottom).
    QCPLayoutGrid* grid = chart.plotLayout();
    const QMargins margins = grid->margins();
    grid->setMargins(QMargins(kEdge, kEdge, kEdge, kEdge));
    m_restore.emplace_back([grid, margins] { grid->setMargins(margins); });
    // Twice: the tick counts and category labels fit the axis rect of the previous layout.
    // Where the texts and the legend do not fit at this type size (a small picture, a long
    // legend), smaller type rather than cut or overlapping text.
    for (int attempt = 0;; ++attempt) {
        chart.setViewport(QRect(QPoint(0, 0), m_geometry.logical));
        relayout();
        relayout();
        if (fits() || attempt == 8) break;
        m_geometry.scale *= 0.9;
        m_geometry.logical =
            QSize(static_cast<int>(std::lround(options.pixels.width() / m_geometry.scale)),
                  static_cast<int>(std::lround(options.pixels.height() / m_geometry.scale)));
    }
}

bool ExportLayout::fits() const {
    for (QCPLayoutElement* e : m_chart.plotLayout()->elements(true)) {
        if (e == nullptr || !e->visible()) continue;
        if (qobject_cast<QCPTextElement*>(e) || qobject_cast<QCPLegend*>(e) ||
            qobject_cast<QCPAbstractLegendItem*>(e)) {
            const QSize min = e->minimumOuterSizeHint();
            if (e->outerRect().width() < min.width() || e->outerRect().height() < min.height())
                return false;
        }
    }
    for (QCPAxisRect* rect : m_chart.axisRects()) {
        if (rect->visible() && (rect->width() < 100 || rect->height() < 60)) return false;
    }
    return true;
}

ExportLayout::~ExportLayout() {
    for (auto& restore : m_restore) restore();
    m_chart.setViewport(m_oldViewport);
    relayout();
}

void ExportLayout::widenLegend() {
    // A legend below the plot takes as many columns as the picture's width holds (up to four,
    // and never fewer than the chart chose): on a wide slide, two rows leave the plot the room
    // that four rows would take.
    QCPLegend* legend = m_chart.legend;
    if (legend->layout() != m_chart.plotLayout() || legend->itemCount() < 2) return;
    std::vector<int> widths;
    for (int i = 0; i < legend->itemCount(); ++i) {
        if (QCPAbstractLegendItem* item = legend->item(i))
            widths.push_back(item->minimumOuterSizeHint().width());
    }
    const int available = m_geometry.logical.width() - 2 * kEdge - 8;
    int best = legend->wrap();
    for (int columns = best + 1; columns <= std::min<int>(4, int(widths.size())); ++columns) {
        std::vector<int> col(static_cast<std::size_t>(columns), 0);
        for (std::size_t i = 0; i < widths.size(); ++i)
            col[i % col.size()] = std::max(col[i % col.size()], widths[i]);
        int sum = legend->margins().left() + legend->margins().right();
        for (int w : col) sum += w + legend->columnSpacing();
        if (sum <= available) best = columns;
    }
    if (best != legend->wrap()) {
        legend->setWrap(best);
        legend->setFillOrder(QCPLayoutGrid::foColumnsFirst, true);
    }
}

void ExportLayout::relayout() {
    // What QCustomPlot::replot does before drawing, without drawing: the chart's own fitting
    // (titles, legend columns, ticks) runs on beforeReplot and afterLayout.
    emit m_chart.beforeReplot();
    widenLegend();
    QCPLayoutGrid* layout = m_chart.plotLayout();
    layout->update(QCPLayoutElement::upPreparation);
    layout->update(QCPLayoutElement::upMargins);
    layout->update(QCPLayoutElement::upLayout);
    emit m_chart.afterLayout();
}

QImage renderImage(Chart& chart, const ImageOptions& o) {
    ExportLayout layout(chart, o);
    const QSize logical = layout.geometry().logical;
    QImage image(o.pixels, QImage::Format_ARGB32_Premultiplied);
    image.fill(chart.theme().background);
    {
        QCPPainter painter(&image);
        painter.setMode(QCPPainter::pmNonCosmetic);  // lines scale with the picture
        painter.scale(double(o.pixels.width()) / logical.width(),
                      double(o.pixels.height()) / logical.height());
        chart.toPainter(&painter, logical.width(), logical.height());
    }
    image.convertTo(QImage::Format_RGB32);
    const int dpm = static_cast<int>(std::lround(o.dpi / 0.0254));
    image.setDotsPerMeterX(dpm);
    image.setDotsPerMeterY(dpm);
    return image;
}

QByteArray renderPng(Chart& chart, const ImageOptions& o) {
    const QImage image = renderImage(chart, o);
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    if (!image.save(&buffer, "PNG")) throw ExportError("could not encode the PNG image");
    return bytes;
}

QByteArray renderPdf(Chart& chart, const ImageOptions& o) {
    ExportLayout layout(chart, o);
    const QSize logical = layout.geometry().logical;
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    {
        QPdfWriter writer(&buffer);
        writer.setCreator(QStringLiteral("CoreDuel"));
        writer.setTitle(chart.title());
        // The page is the picture at its DPI: 1920 × 1080 at 144 DPI is 960 × 540 pt.
        const QSizeF points(o.pixels.width() * 72.0 / o.dpi, o.pixels.height() * 72.0 / o.dpi);
        writer.setPageSize(QPageSize(points, QPageSize::Point, QString(), QPageSize::ExactMatch));
        writer.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout::Point);
        writer.setResolution(o.dpi);
        QCPPainter painter(&writer);
        painter.setMode(QCPPainter::pmNonCosmetic);
        painter.scale(double(writer.width()) / logical.width(),
                      double(writer.height()) / logical.height());
        chart.toPainter(&painter, logical.width(), logical.height());
    }
    return bytes;
}

QByteArray renderSvg(Chart& chart, const ImageOptions& o) {
    ExportLayout layout(chart, o);
    const QSize logical = layout.geometry().logical;
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    {
        SvgClipMarkers markers(chart);
        QSvgGenerator svg;
        svg.setOutputDevice(&buffer);
        // Drawn in logical units; the view box scales them to the output's pixels.
        svg.setSize(logical);
        svg.setViewBox(QRect(QPoint(0, 0), logical));
        svg.setResolution(96);
        svg.setTitle(chart.title());
        svg.setDescription(QStringLiteral("CoreDuel chart"));
        QCPPainter painter(&svg);
        painter.setMode(QCPPainter::pmNonCosmetic);
        chart.toPainter(&painter, logical.width(), logical.height());
    }
    return applySvgClipMarkers(bytes, o.pixels);
}

QByteArray applySvgClipMarkers(const QByteArray& svg, QSize pixels) {
    const QString in = QString::fromUtf8(svg);
    static const QRegularExpression root(QStringLiteral("<svg\\b[^>]*>"));
    static const QRegularExpression viewBox(QStringLiteral("viewBox=\"([^\"]*)\""));
    static const QRegularExpression marker(
        QStringLiteral("<text\\b[^>]*>cdclip(end)?:(-?\\d+),(-?\\d+),(\\d+),(\\d+)</text>"));
    const QRegularExpressionMatch rootMatch = root.match(in);
    if (!rootMatch.hasMatch()) throw ExportError("the SVG generator wrote no <svg> element");
    const QString box = viewBox.match(rootMatch.captured()).captured(1);
    // SVG 1.1 (Qt writes 1.2 Tiny, which has no clip paths); the size is the output's pixels.
    QString out = in.left(rootMatch.capturedStart());
    out +=
        QStringLiteral(
            "<svg width=\"%1\" height=\"%2\" viewBox=\"%3\" xmlns=\"http://www.w3.org/2000/svg\" "
            "xmlns:xlink=\"http://www.w3.org/1999/xlink\" version=\"1.1\">\n")
            .arg(pixels.width())
            .arg(pixels.height())
            .arg(box);
    const qsizetype defsAt = out.size();
    std::map<QString, int> clips;  // "x,y,w,h" -> id
    qsizetype from = rootMatch.capturedEnd();
    auto it = marker.globalMatch(in, from);
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        // Qt's SVG engine writes a flat sequence of <g> groups, one per painter state: close
        // the open one, open (or close) the clip group, and reopen the same state.
        const qsizetype open = in.lastIndexOf(QLatin1String("<g "), m.capturedStart());
        const qsizetype openEnd = in.indexOf(QLatin1Char('>'), open);
        if (open < 0 || openEnd < 0 || openEnd > m.capturedStart())
            throw ExportError("unexpected SVG structure around a clip marker");
        const QString state = in.mid(open, openEnd - open + 1);
        out += in.mid(from, m.capturedStart() - from);
        if (m.captured(1).isEmpty()) {
            const QString rect =
                QStringLiteral("%1,%2,%3,%4")
                    .arg(m.captured(2), m.captured(3), m.captured(4), m.captured(5));
            const int id = clips.emplace(rect, static_cast<int>(clips.size())).first->second;
            out += QStringLiteral("</g>\n<g clip-path=\"url(#cdclip%1)\">\n").arg(id) + state;
        } else {
            out += QStringLiteral("</g>\n</g>\n") + state;
        }
        from = m.capturedEnd();
    }
    out += in.mid(from);
    QString defs = QStringLiteral("<defs>\n");
    for (const auto& [rect, id] : clips) {
        const QStringList v = rect.split(QLatin1Char(','));
        defs += QStringLiteral(
                    "<clipPath id=\"cdclip%1\"><rect x=\"%2\" y=\"%3\" width=\"%4\" "
                    "height=\"%5\"/></clipPath>\n")
                    .arg(id)
                    .arg(v[0], v[1], v[2], v[3]);
    }
    defs += QStringLiteral("</defs>\n");
    out.insert(defsAt, defs);
    return out.toUtf8();
}

void exportChart(Chart& chart, const QString& path, const ImageOptions& options) {
    const QString ext = QFileInfo(path).suffix().toLower();
    QByteArray bytes;
    if (ext == QLatin1String("png")) {
        bytes = renderPng(chart, options);
    } else if (ext == QLatin1String("pdf")) {
        bytes = renderPdf(chart, options);
    } else if (ext == QLatin1String("svg")) {
        bytes = renderSvg(chart, options);
    } else {
        throw ExportError(path.toStdString() + ": unknown image format (use .png, .pdf or .svg)");
    }
    writeAtomically(path, bytes);
}

QString chartFileName(const Chart& chart, const QString& experiment, const QString& format) {
    QString name = fileNamePart(chart.slug());
    if (name.isEmpty()) name = QStringLiteral("chart");
    if (const QString e = fileNamePart(experiment); !e.isEmpty()) name += QLatin1Char('-') + e;
    return name + QLatin1Char('.') + format.toLower();
}

ExportAllResult exportAllCharts(const std::vector<Chart*>& charts, const QString& dir,
                                const QString& experiment, const QString& format,
                                const ImageOptions& options) {
    const QString ext = format.toLower();
    if (ext != QLatin1String("png") && ext != QLatin1String("svg") && ext != QLatin1String("pdf")) {
        throw ExportError(format.toStdString() + ": unknown image format (use png, pdf or svg)");
    }
    checkOptions(options);
    ExportAllResult result;
    for (Chart* c : charts) {
        if (c == nullptr || !c->hasData()) {
            ++result.skipped;
            continue;
        }
        const QString path = QDir(dir).filePath(chartFileName(*c, experiment, ext));
        exportChart(*c, path, options);
        ++result.written;
        result.files << path;
    }
    return result;
}

}  // namespace coreduel::ui
