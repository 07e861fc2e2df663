#pragma once
// Opening files in the window: an experiment (into the panel), a result (every chart and the
// table), a session (read on a job, then every chart, the table, the run picker and the parts
// as at the end of the run, a lesson's panel as it ended), and a baseline result or session
// drawn behind the charts. Menus, drag and drop and Recent sessions all come here.

#include <QObject>
#include <QString>
#include <functional>
#include <optional>

#include "core/measure/ipc_lab.h"
#include "core/run/result.h"
#include "core/session/session.h"
#include "ui/plots/timeline_chart.h"

class QDragEnterEvent;
class QDropEvent;
class QWidget;

namespace coreduel::ui {

class DialogMemory;
class ExperimentPanel;
class LessonController;
class LessonsPanel;
class RunController;
class RunViews;
class SessionDocument;

class FileOpener : public QObject {
    Q_OBJECT
public:
    struct Parts {  // all outlive the opener
        RunViews& views;
        ExperimentPanel& panel;
        SessionDocument& document;
        RunController& runs;
        LessonsPanel& lessons;
        LessonController& lesson;
        DialogMemory& dialogs;
        QWidget& window;
    };
    explicit FileOpener(Parts parts, QObject* parent = nullptr);

    /// What open and loadBaseline call on the GUI thread once the file is in (error empty) or
    /// could not be read (error says why).
    using Done = std::function<void(const QString& error)>;
    /// An experiment, result or session file (by its content). An experiment or result is read
    /// at once and throws on a bad file; a session is read on a job. `done` follows both.
    void open(const QString& path, Done done = {});
    /// A result or session file as the baseline (a result at once, a session on a job).
    void loadBaseline(const QString& path, Done done = {});
    void setBaseline(std::optional<ExperimentResult> baseline,
                     const std::vector<IpcMeasurement>& ipcLab, const QString& name);
    /// File › Open and File › Load baseline: ask for the file, open it, report a failure.
    void openWithDialog();
    void loadBaselineWithDialog();
    /// Drag and drop: a .json or .coreduel file is accepted, and the first one dropped opened.
    void acceptDrag(QDragEnterEvent& event) const;
    void openDropped(const QDropEvent& event);
    /// A Done that reports a failure as `what` (default "Cannot open").
    Done errorReporter(const QString& what = QString());

signals:
    void message(const QString& text);
    void failed(const QString& what, const QString& message);
    void showChartWanted(const QString& slug);
    void partsChanged();

private:
    void openResult(const QString& path, const ExperimentResult& r);
    void showSession(const QString& path, std::shared_ptr<Session> session,
                     std::shared_ptr<TimelineChart::PreparedRun> prepared);
    /// Asks for a file (in the folder last opened from), reads it with `read`, and reports a
    /// failure as `what`.
    void askAndOpen(const QString& title, const QString& filter, const QString& what,
                    const std::function<void(const QString&, Done)>& read);
    /// A reopened lesson session: the Lessons panel as the lesson left it.
    void restoreLesson(const Session& session);

    Parts m_parts;
};

}  // namespace coreduel::ui
