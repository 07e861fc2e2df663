// WindowPrinter: reports and handouts of what the user selected, the window left as it was.
#include "ui/window/window_printer.h"

#include <QApplication>
#include <QComboBox>
#include <QFileInfo>

#include "core/lessons/lesson.h"
#include "ui/export/exporter.h"
#include "ui/live/run_views.h"
#include "ui/plots/chart.h"
#include "ui/plots/ipc_chart.h"
#include "ui/report/report_document.h"
#include "ui/report/report_render.h"
#include "ui/window/session_document.h"
#include "ui/window/session_text.h"

namespace coreduel::ui {

WindowPrinter::WindowPrinter(RunViews& views, SessionDocument& document,
                             std::function<void(int)> showPart, std::function<Theme()> theme)
    : m_views(views),
      m_document(document),
      m_showPart(std::move(showPart)),
      m_theme(std::move(theme)) {}

WindowPrinter::Selection WindowPrinter::selection() const {
    Selection what;
    what.part = m_document.partCount() > 0 ? m_document.shownPart() : -1;
    what.timeline = m_views.timeline()->view();
    what.measuredAt = m_document.measuredAt();
    return what;
}

WindowPrinter::WindowView WindowPrinter::captureView() const {
    WindowView view;
    view.selection = selection();
    view.pickerIndex = m_views.runPicker()->currentIndex();
    for (Chart* c : m_views.charts()) {
        std::vector<QCPRange> ranges;
        for (QCPAxisRect* rect : c->axisRects())
            for (QCPAxis* axis : rect->axes()) ranges.push_back(axis->range());
        view.ranges.push_back(std::move(ranges));
    }
    return view;
}

void WindowPrinter::restoreView(const WindowView& view) {
    if (view.selection.part >= 0 && view.selection.part != m_document.shownPart())
        m_showPart(view.selection.part);
    m_views.timeline()->setView(view.selection.timeline);
    // Not `activated`: the picker only says what the timeline already shows.
    m_views.runPicker()->setCurrentIndex(view.pickerIndex);
    const std::vector<Chart*> all = m_views.charts();
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

void WindowPrinter::showForPrint(int part, const Selection& what) {
    m_showPart(part);
    if (part == what.part) m_views.timeline()->setView(what.timeline);
}

void WindowPrinter::printed(const std::function<void(const Selection&)>& draw) {
    const WindowView keep = captureView();
    const Theme user = m_theme();
    auto* app = qobject_cast<QApplication*>(QCoreApplication::instance());
    auto apply = [&](const Theme& t) {
        if (app != nullptr) applyTheme(*app, t);
        for (Chart* c : m_views.charts()) c->setTheme(t);
    };
    const bool onWhite = user.name != Theme::light().name;
    auto putBack = [&] {
        if (onWhite) apply(user);
        restoreView(keep);
    };
    if (onWhite) apply(Theme::light());
    try {
        draw(keep.selection);
    } catch (...) {
        putBack();
        throw;
    }
    putBack();
}

void WindowPrinter::exportReport(const QString& path, bool everyPart) {
    if (!m_views.result()) throw ExportError("no result to report yet: run an experiment first");
    printed([&](const Selection& what) {
        if (everyPart && m_document.partCount() > 1) {
            exportPartsReport(path, what);
            return;
        }
        m_views.timeline()->setView(what.timeline);
        ui::exportReport(*m_views.result(), m_views.charts(), path, ReportContext{what.measuredAt});
    });
}

void WindowPrinter::exportHandout(const Lesson& lesson, const QString& outcome,
                                  const QStringList& pages,
                                  const std::vector<ExperimentResult>& parts, const QString& path) {
    Chart* c = m_views.chart(QString::fromStdString(lesson.chart));
    if (c == nullptr) c = m_views.chart(QStringLiteral("speedup"));
    // The part and the timeline run the user looks at, as for a report.
    printed([&](const Selection& what) {
        const std::size_t part =
            what.part >= 0 ? std::min(static_cast<std::size_t>(what.part), parts.size() - 1)
                           : parts.size() - 1;
        m_views.timeline()->setView(what.timeline);
        // The words about the chart printed (a walkthrough's handout drew part 2's chart under
        // part 1's verdict and predictions).
        const bool split = pages.size() == static_cast<qsizetype>(parts.size()) &&
                           !pages[static_cast<qsizetype>(part)].isEmpty();
        const QString words = !split             ? outcome
                              : parts.size() < 2 ? pages.front()
                                                 : QObject::tr("(Part %1 of %2.) %3")
                                                       .arg(part + 1)
                                                       .arg(parts.size())
                                                       .arg(pages[static_cast<qsizetype>(part)]);
        ui::exportHandout(lesson, words, *c, parts[part], path);
    });
}

void WindowPrinter::exportPartsReport(const QString& path, const Selection& what) {
    const QString ext = QFileInfo(path).suffix().toLower();
    if (ext != QLatin1String("pdf") && ext != QLatin1String("html") && ext != QLatin1String("htm"))
        throw ExportError(path.toStdString() + ": unknown report format (use .pdf or .html)");
    const Session& session = *m_document.session();
    const std::size_t n = session.parts.size();
    std::vector<ReportDocument> documents;
    documents.push_back(buildSessionCover(session));
    // Each part's document is built while its data is on the charts (which figures it has and
    // their captions depend on it); the renderer shows the part again to draw them.
    std::vector<Chart*> partCharts;
    for (Chart* c : m_views.charts())
        if (c != m_views.ipc()) partCharts.push_back(c);
    // The session records when it began; each part's own start is not read back.
    const ReportContext context{what.measuredAt, /*sessionStart=*/n > 1};
    for (std::size_t i = 0; i < n; ++i) {
        showForPrint(static_cast<int>(i), what);
        std::vector<Chart*> these = partCharts;
        if (i + 1 == n) these.push_back(m_views.ipc());  // the session's IPC lab, once, at the end
        ReportDocument d = buildReportDocument(session.parts[i].result, these, context);
        d.title = QObject::tr("Part %1").arg(partTitle(session.parts[i], i, session.plannedParts));
        d.part = static_cast<int>(i);
        documents.push_back(std::move(d));
    }
    const ShowPart show = [this, &what](int part) { showForPrint(part, what); };
    writeAtomically(path, ext == QLatin1String("pdf") ? renderReportPdf(documents, show)
                                                      : renderReportHtml(documents, show));
}

}  // namespace coreduel::ui
