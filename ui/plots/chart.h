#pragma once
// The base of every chart: a QCustomPlot with a title, the current theme, and a replot that is
// queued (rpQueuedReplot) and rate-limited, so a burst of engine events costs at most one
// repaint per ~33 ms. Subclasses keep their data and rebuild their plottables from it, so a
// theme change or an export at another size redraws the same numbers.

#include <qcustomplot.h>

#include <QElapsedTimer>
#include <QString>
#include <QTimer>
#include <map>
#include <memory>
#include <vector>

#include "ui/plots/category_axis.h"
#include "ui/theme.h"

namespace coreduel::ui {

class Chart : public QCustomPlot {
    Q_OBJECT
public:
    Chart(const QString& title, QWidget* parent = nullptr);

    [[nodiscard]] QString title() const { return m_titleText; }
    /// The line under the title (the timeline's: which run it shows); empty if none.
    [[nodiscard]] QString subtitle() const { return m_subtitleText; }
    /// While printing (an exported image, a report's figure) the chart leaves out what only
    /// the window can do: its interaction hint ("wheel: zoom ..."). ExportLayout sets it.
    void setPrinting(bool printing);
    [[nodiscard]] bool printing() const { return m_printing; }
    /// A slide beside words that explain it leaves the subtitle out (ImageOptions::slide).
    void setSubtitleShown(bool shown);
    /// A file-name friendly identifier ("speedup", "timeline").
    [[nodiscard]] virtual QString slug() const = 0;
    /// True once there is something worth exporting.
    [[nodiscard]] virtual bool hasData() const = 0;
    /// Forgets all data (a new experiment).
    virtual void clearData() = 0;

    void setTheme(const Theme& theme);
    [[nodiscard]] const Theme& theme() const { return m_theme; }

    /// Replots soon, at most once per minimum interval (default 33 ms).
    void requestReplot();
    /// A shorter interval also shortens a replot already waiting: the whole picture at a run's
    /// end must not wait out the measuring pace (it did, up to 32 s: a stale live chart).
    void setMinimumReplotIntervalMs(int ms);
    /// The next replot asked for comes at once, whatever the pace (a replot waiting out the pace
    /// with it): a run's first data is drawn when it comes, not a measuring interval after the
    /// cleared chart (the timeline said "no run yet" for seven short runs).
    void replotNextAtOnce();
    /// Grows with every change asked to be drawn (requestReplot), shown or not: a copy of the
    /// chart elsewhere (presentation mode) is drawn again only when it changed.
    [[nodiscard]] quint64 revision() const { return m_revision; }
    /// Replots counted since construction (tests and the debug overlay read it).
    [[nodiscard]] int replotCount() const { return m_replots; }

    /// What the pointer at `pos` (widget pixels) would show on hover: a value under it, or the
    /// full text of a title, axis label or tick label that is shortened to fit; empty if none.
    [[nodiscard]] QString hoverText(const QPoint& pos) const;
    /// Why this view is empty when what is shown cannot fill it (a result file keeps no
    /// samples or task events): drawn instead of empty axes and a legend of nothing, until
    /// data comes or the note is cleared (empty). The window sets and clears it.
    void setAbsentNote(const QString& note);
    [[nodiscard]] QString absentNote() const { return m_absentNote; }
    /// True while a plot area would be too small to read: the chart then shows only a message.
    [[nodiscard]] bool tooSmallToRead() const { return m_tooSmall; }
    [[nodiscard]] QString tooSmallMessage() const;
    /// The legend's entries in order, in full (an entry wider than the chart is drawn
    /// wrapped onto more lines).
    [[nodiscard]] QStringList legendNames() const;

protected:
    /// Printing began or ended (setPrinting): a chart that shows a live window of its data
    /// shows what it kept instead while printed, and puts its view back afterwards.
    virtual void printingChanged(bool /*printing*/) {}
    /// Rebuilds plottables and items from the stored data with the current theme.
    virtual void rebuild() = 0;
    /// A chart hidden behind another tab does not repaint; it catches up when shown.
    void showEvent(QShowEvent* event) override;
    bool event(QEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void paintEvent(QPaintEvent* event) override;
    void setSubtitle(const QString& text);
    /// A last subtitle line about using the chart on screen; never printed.
    void setInteractionHint(const QString& hint);
    /// The subtitle as drawn: with the hint on screen, without it in print.
    [[nodiscard]] QString shownSubtitle() const;
    /// Moves the legend out of the axis rect to a row below it, so it never covers data. Its
    /// columns follow the width: as many as fit, never an entry cut.
    void placeLegendBelow(int columns = 4);
    /// The value under `pos` for the hover tooltip (subclasses); empty if none.
    [[nodiscard]] virtual QString valueAt(const QPoint& pos) const;
    /// Makes `axis` a two-level category axis (see CategoryAxis) that fits itself to the width.
    CategoryAxis* addCategoryAxis(QCPAxis* axis);
    QCPTextElement* m_titleElement = nullptr;

private:
    void replotNow();
    /// Before a layout: titles wrapped or elided to the width, legend columns that fit.
    void fitBeforeLayout();
    /// Legend entries wider than `width` wrapped onto lines of their own.
    void wrapLegendEntries(int width);
    /// The legend's columns and names for the chart's width (and, on screen, its height).
    void fitLegend();
    /// As many legend columns (up to m_legendColumns) as `room` pixels hold.
    [[nodiscard]] int legendColumnsFor(int room) const;
    /// After the layout: axis labels elided to their axis, the too-small check.
    void fitAfterLayout();
    /// Lays out once more where the ticks were made for another layout than this one (category
    /// names for another width, numbers and lane labels for another rect).
    void relayoutForTicks();
    struct Shortened {
        QRectF rect;
        QString full;
    };
    std::vector<Shortened> m_shortened;  // regions whose text is shortened, with the full text
    std::map<QCPAxis*, std::pair<QString, QString>> m_axisLabels;  // full, shown
    QString m_subtitleText;
    QString m_hintText;
    bool m_printing = false;
    bool m_subtitleShown = true;
    std::vector<std::unique_ptr<CategoryAxis>> m_categoryAxes;
    int m_legendColumns = 4;
    /// Per legend entry: its full name and the one shown (wrapped when too wide).
    std::map<const QCPAbstractPlottable*, std::pair<QString, QString>> m_legendNames;
    bool m_tooSmall = false;
    QString m_absentNote;

    QString m_titleText;
    Theme m_theme = Theme::light();
    QCPTextElement* m_subtitle = nullptr;
    QTimer m_throttle;
    QElapsedTimer m_sinceReplot;
    int m_minIntervalMs = 33;
    int m_replots = 0;
    bool m_dirty = false;  // a replot was asked for while hidden
    quint64 m_revision = 0;
    bool m_atOnce = false;        // replotNextAtOnce
    QList<QRect> m_laidOutRects;  // the axis rects of the last layout (fitAfterLayout)
};

/// "1.5 s", "20 ms", "800 µs": a duration with a unit a reader takes in at a glance.
QString formatSeconds(double seconds);
/// "12.3 MiB"
QString formatBytes(double bytes);

}  // namespace coreduel::ui
