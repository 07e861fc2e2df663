#pragma once
// Reports and handouts from the window. What is printed is taken from the window first (the
// part shown, the timeline's run and zoom, when it was measured), drawn from that value, and
// the window is put back as it was afterwards — part, run picker, every chart's axis ranges,
// theme. Drawing a report of several parts shows each part on the charts in turn, so nothing
// may be read from the window while it draws.

#include <QString>
#include <functional>
#include <vector>

#include "core/run/result.h"
#include "ui/plots/timeline_chart.h"
#include "ui/theme.h"

class QCPRange;

namespace coreduel {
struct Lesson;
}  // namespace coreduel

namespace coreduel::ui {

class RunViews;
class SessionDocument;

class WindowPrinter {
public:
    /// `showPart` shows a session part on every chart (the window's own navigation); `theme`
    /// is the user's theme, put back after printing on white.
    WindowPrinter(RunViews& views, SessionDocument& document, std::function<void(int)> showPart,
                  std::function<Theme()> theme);

    /// What a report or handout prints, taken before anything is drawn.
    struct Selection {
        int part = -1;  ///< the session part shown; -1 without a session of parts
        TimelineChart::View timeline;
        QString measuredAt;  ///< "2026-12-07T08:01:32Z"; empty: not recorded (a result file)
    };
    [[nodiscard]] Selection selection() const;

    /// Throws ExportError. A lesson's session reports every part (a cover, then each part)
    /// unless `everyPart` is false; the part shown is printed with the timeline run and zoom
    /// the user picked.
    void exportReport(const QString& path, bool everyPart);
    /// The lesson's one-page PDF of the part the user looks at: its chart and its words
    /// (`pages`, one per part as presentation mode tells them; the whole `outcome` when they
    /// are not split); throws ExportError.
    void exportHandout(const Lesson& lesson, const QString& outcome, const QStringList& pages,
                       const std::vector<ExperimentResult>& parts, const QString& path);

private:
    struct WindowView {  // what printing changes, to put back afterwards
        Selection selection;
        int pickerIndex = 0;
        std::vector<std::vector<QCPRange>> ranges;  // per chart, in axis order
    };
    [[nodiscard]] WindowView captureView() const;
    void restoreView(const WindowView& view);
    /// Shows `part` for printing: the part the user picked with the timeline as it was, any
    /// other part with its newest run.
    void showForPrint(int part, const Selection& what);
    void exportPartsReport(const QString& path, const Selection& what);
    /// Runs `draw` with the window captured, on white (reports and handouts are printed on
    /// white: dark charts and light text would be unreadable there), and puts the window and
    /// the user's theme back afterwards, also when `draw` throws.
    void printed(const std::function<void(const Selection&)>& draw);

    RunViews& m_views;
    SessionDocument& m_document;
    std::function<void(int)> m_showPart;
    std::function<Theme()> m_theme;
};

}  // namespace coreduel::ui
