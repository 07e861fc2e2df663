// MainWindow's session parts: a lesson streams each part into one session; once it ends the
// session is read back (off the GUI thread) and the parts bar above the live strip lets the
// user show any part on every chart, as a reopened session does. A report of such a session
// has a cover and then every part.
#include <QComboBox>
#include <QFileInfo>
#include <QLabel>
#include <QStatusBar>

#include "core/lessons/lesson.h"
#include "ui/exporter.h"
#include "ui/lessons_panel.h"
#include "ui/main_window.h"
#include "ui/plots/chart.h"
#include "ui/plots/ipc_chart.h"
#include "ui/report_document.h"
#include "ui/report_render.h"
#include "ui/run_views.h"

namespace coreduel::ui {

namespace {

/// "2 of 3: with a lock", and what became of a part that did not end.
QString partTitle(const SessionPart& part, std::size_t index, std::size_t count) {
    QString title = QObject::tr("%1 of %2").arg(index + 1).arg(count);
    const QString label =
        QString::fromStdString(part.label.empty() ? part.result.experiment.workload : part.label);
    if (!label.isEmpty()) title += QStringLiteral(": ") + label;
    if (!part.complete)
        title += QObject::tr(" (cut off)");
    else if (part.result.cancelled)
        title += QObject::tr(" (stopped)");
    return title;
}

}  // namespace

int MainWindow::partCount() const {
    return m_session ? static_cast<int>(m_session->parts.size()) : 0;
}

void MainWindow::showPart(int index) {
    if (!m_session || index < 0 || index >= partCount()) return;
    if (chartsLive()) return;
    if (index != m_shownPart) {
        m_shownPart = index;
        m_views->replay(m_session->parts[static_cast<std::size_t>(index)]);
    }
    m_partPicker->setCurrentIndex(index);
    const SessionPart& part = m_session->parts[static_cast<std::size_t>(index)];
    statusBar()->showMessage(
        tr("Part %1: %2 runs, %3 task events.")
            .arg(partTitle(part, static_cast<std::size_t>(index), m_session->plannedParts))
            .arg(part.result.runs.size())
            .arg(part.taskEvents));
}

void MainWindow::refreshPartsBar() {
    m_partPicker->clear();
    const Lesson* lesson = m_lessons->current();
    if (m_activity == Activity::Lesson && lesson != nullptr && lesson->parts.size() > 1) {
        // While the lesson runs the charts follow its part; the others can be picked after.
        const std::size_t runningPart = m_lessonRun ? m_lessonRun->results().size() : 0;
        for (std::size_t i = 0; i < lesson->parts.size(); ++i) {
            QString text = tr("%1 of %2: %3")
                               .arg(i + 1)
                               .arg(lesson->parts.size())
                               .arg(QString::fromStdString(lesson->parts[i].label));
            if (i == runningPart) text += tr(" (running)");
            m_partPicker->addItem(text);
        }
        m_partPicker->setCurrentIndex(static_cast<int>(runningPart));
        m_partPicker->setEnabled(false);
        m_partPicker->setToolTip(
            tr("The lesson \u201c%1\u201d is running: the charts show its running part. Every "
               "part can be picked once it has ended.")
                .arg(QString::fromStdString(lesson->title)));
        m_partsBar->show();
        return;
    }
    if (!m_session || m_session->parts.size() < 2) {
        m_partsBar->hide();
        return;
    }
    for (std::size_t i = 0; i < m_session->parts.size(); ++i)
        m_partPicker->addItem(partTitle(m_session->parts[i], i, m_session->plannedParts));
    m_partPicker->setCurrentIndex(m_shownPart);
    m_partPicker->setEnabled(true);
    QString tip =
        m_session->lesson
            ? tr("Lesson \u201c%1\u201d: ").arg(QString::fromStdString(m_session->lesson->title))
            : QString();
    tip += tr("every chart, the table and the timeline's run picker show one part at a time.");
    if (m_session->parts.size() < m_session->plannedParts)
        tip += QStringLiteral(" ") + tr("The lesson stopped after %1 of its %2 parts.")
                                         .arg(m_session->parts.size())
                                         .arg(m_session->plannedParts);
    m_partPicker->setToolTip(tip);
    m_partsBar->show();
}

void MainWindow::readBackLessonSession(bool ok, bool announce) {
    const bool several = m_lessons->current() != nullptr && m_lessons->current()->parts.size() > 1;
    if (m_sessionFile.isEmpty()) {
        refreshPartsBar();
        finishPresentation();
        if (announce) emit lessonDone(ok);
        return;
    }
    // The explanation joins the file, and the file is read back: both off this thread.
    const std::string path = m_sessionFile.toStdString();
    const std::string outcome = m_lessons->outcomeText().toStdString();
    auto loaded = std::make_shared<std::shared_ptr<Session>>();
    m_sessionJobs.start(
        [path, outcome, loaded, several](JobContext&) {
            if (!outcome.empty()) appendLessonOutcome(path, outcome);
            if (several) *loaded = std::make_shared<Session>(loadSession(path));
        },
        [this, loaded, ok, announce](const QString& error) {
            if (!error.isEmpty()) {
                statusBar()->showMessage(
                    tr("The lesson's session could not be completed: %1").arg(error));
            } else if (*loaded && !(*loaded)->parts.empty() && !chartsLive()) {
                // The charts already show the last part, as it ran.
                m_session = *loaded;
                m_shownPart = static_cast<int>(m_session->parts.size()) - 1;
                // Each part's result as its run handed it over, as Save result writes it: the
                // file's copy lost facts on the way back (the environment's memory and
                // compiler), and the window's reports must say what the run measured.
                const std::vector<ExperimentResult>& ran =
                    m_lessonRun ? m_lessonRun->results() : std::vector<ExperimentResult>{};
                for (std::size_t i = 0; i < m_session->parts.size() && i < ran.size(); ++i) {
                    ExperimentResult& stored = m_session->parts[i].result;
                    if (stored.experiment.workload == ran[i].experiment.workload) stored = ran[i];
                }
            }
            refreshPartsBar();
            finishPresentation();
            if (announce) emit lessonDone(ok);
        });
}

void MainWindow::exportPartsReport(const QString& path, const PrintSelection& what) {
    const QString ext = QFileInfo(path).suffix().toLower();
    if (ext != QLatin1String("pdf") && ext != QLatin1String("html") && ext != QLatin1String("htm"))
        throw ExportError(path.toStdString() + ": unknown report format (use .pdf or .html)");
    const std::size_t n = m_session->parts.size();
    std::vector<ReportDocument> documents;
    documents.push_back(buildSessionCover(*m_session));
    // Each part's document is built while its data is on the charts (which figures it has and
    // their captions depend on it); the renderer shows the part again to draw them. The part
    // the user picked comes with the timeline as the user left it (exportReport restores the
    // window afterwards).
    std::vector<Chart*> partCharts;
    for (Chart* c : charts())
        if (c != m_views->ipc()) partCharts.push_back(c);
    // The session records when it began; each part's own start is not read back.
    const ReportContext context{what.measuredAt, /*sessionStart=*/n > 1};
    for (std::size_t i = 0; i < n; ++i) {
        showForPrint(static_cast<int>(i), what);
        std::vector<Chart*> these = partCharts;
        if (i + 1 == n) these.push_back(m_views->ipc());  // the session's IPC lab, once, at the end
        ReportDocument d = buildReportDocument(m_session->parts[i].result, these, context);
        d.title = tr("Part %1").arg(partTitle(m_session->parts[i], i, m_session->plannedParts));
        d.part = static_cast<int>(i);
        documents.push_back(std::move(d));
    }
    const ShowPart show = [this, &what](int part) { showForPrint(part, what); };
    writeAtomically(path, ext == QLatin1String("pdf") ? renderReportPdf(documents, show)
                                                      : renderReportHtml(documents, show));
}

}  // namespace coreduel::ui
