// MainWindow's printing: what a report or handout prints is taken from the window first (the
// part shown, the timeline's run and zoom, when it was measured), drawn from that value, and
// the window is put back as it was afterwards. Drawing a report of several parts shows each
// part on the charts in turn, so nothing may be read from the window while it draws.
#include <QApplication>
#include <QComboBox>

#include "ui/exporter.h"
#include "ui/main_window.h"
#include "ui/plots/chart.h"
#include "ui/plots/timeline_chart.h"
#include "ui/report_document.h"
#include "ui/run_views.h"

namespace coreduel::ui {

MainWindow::PrintSelection MainWindow::printSelection() const {
    PrintSelection what;
    what.part = partCount() > 0 ? m_shownPart : -1;
    what.timeline = m_views->timeline()->view();
    // A session says when it was recorded; a live run when it started; a result file nothing.
    what.measuredAt =
        m_session ? QString::fromStdString(m_session->manifest.value("created", std::string()))
                  : m_measuredAt;
    return what;
}

MainWindow::WindowView MainWindow::captureView() const {
    WindowView view;
    view.selection = printSelection();
    view.pickerIndex = m_views->runPicker()->currentIndex();
    for (Chart* c : charts()) {
        std::vector<QCPRange> ranges;
        for (QCPAxisRect* rect : c->axisRects())
            for (QCPAxis* axis : rect->axes()) ranges.push_back(axis->range());
        view.ranges.push_back(std::move(ranges));
    }
    return view;
}

void MainWindow::restoreView(const WindowView& view) {
    if (view.selection.part >= 0 && view.selection.part != m_shownPart)
        showPart(view.selection.part);
    m_views->timeline()->setView(view.selection.timeline);
    // Not `activated`: the picker only says what the timeline already shows.
    m_views->runPicker()->setCurrentIndex(view.pickerIndex);
    const std::vector<Chart*> all = charts();
    for (std::size_t i = 0; i < all.size() && i < view.ranges.size(); ++i) {
        std::vector<QCPAxis*> axes;
        for (QCPAxisRect* rect : all[i]->axisRects())
            for (QCPAxis* axis : rect->axes()) axes.push_back(axis);
        // A chart rebuilt with other axes meanwhile keeps its own fit.
        if (axes.size() != view.ranges[i].size()) continue;
        for (std::size_t a = 0; a < axes.size(); ++a) axes[a]->setRange(view.ranges[i][a]);
        all[i]->requestReplot();
    }
}

void MainWindow::showForPrint(int part, const PrintSelection& what) {
    showPart(part);
    if (part == what.part) m_views->timeline()->setView(what.timeline);
}

void MainWindow::exportReport(const QString& path, bool everyPart) {
    if (!m_views->result()) throw ExportError("no result to report yet: run an experiment first");
    const WindowView keep = captureView();
    const PrintSelection& what = keep.selection;
    try {
        withPrintTheme([&] {
            if (everyPart && partCount() > 1) {
                exportPartsReport(path, what);
            } else {
                m_views->timeline()->setView(what.timeline);
                ui::exportReport(*m_views->result(), charts(), path,
                                 ReportContext{what.measuredAt});
            }
        });
    } catch (...) {
        restoreView(keep);
        throw;
    }
    restoreView(keep);
}

void MainWindow::withPrintTheme(const std::function<void()>& draw) {
    const Theme user = m_theme;
    auto* app = qobject_cast<QApplication*>(QCoreApplication::instance());
    auto apply = [&](const Theme& t) {
        if (app != nullptr) applyTheme(*app, t);
        for (Chart* c : charts()) c->setTheme(t);
    };
    if (user.name == Theme::light().name) {
        draw();
        return;
    }
    apply(Theme::light());
    try {
        draw();
    } catch (...) {
        apply(user);
        throw;
    }
    apply(user);
}

}  // namespace coreduel::ui
