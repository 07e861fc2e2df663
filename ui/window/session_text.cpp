// What the window says about a session and its parts.
#include "ui/window/session_text.h"

#include <QObject>

namespace coreduel::ui {
namespace {

QString contentsText(const Session& session, const QString& fileName, int shown) {
    const SessionPart& s = session.parts[static_cast<std::size_t>(shown)];
    if (session.parts.size() > 1 || session.lesson) {
        return QObject::tr(
                   "Opened session %1: %2, %3 of %4 parts (%5 task events); part %6 is shown, "
                   "the others are in the part picker.")
            .arg(fileName, session.lesson ? QObject::tr("lesson \u201c%1\u201d")
                                                .arg(QString::fromStdString(session.lesson->title))
                                          : QObject::tr("a session"))
            .arg(session.parts.size())
            .arg(session.plannedParts)
            .arg(session.taskEvents)
            .arg(shown + 1);
    }
    return QObject::tr("Opened session %1: %2 runs, %3 task events, %4 per-core samples%5.")
        .arg(fileName)
        .arg(s.result.runs.size())
        .arg(session.taskEvents)
        .arg(s.samples.size())
        .arg(session.ipcLab.empty()
                 ? QString()
                 : QObject::tr(", %1 IPC-lab points").arg(session.ipcLab.size()));
}

}  // namespace

QString openedSessionText(const Session& session, const QString& fileName, int shown) {
    QString status = contentsText(session, fileName, shown);
    // Damage (flipped bytes inside the file) and an interruption (a cut at its end) are told
    // apart, as the reader told them: a damaged file's missing parts were not "stopped".
    if (session.damaged()) {
        const auto stretches = static_cast<int>(session.damage.size());
        status +=
            QStringLiteral(" ") +
            (stretches == 1 ? QObject::tr("The session file is damaged: what was in the damaged "
                                          "stretch is lost, every intact record is shown.")
                            : QObject::tr("The session file is damaged: what was in its %1 damaged "
                                          "stretches is lost, every intact record is shown.")
                                  .arg(stretches));
        for (const SessionDamage& d : session.damage)
            status += QStringLiteral(" ") + QString::fromStdString(d.text) + QStringLiteral(".");
    } else if (!session.complete) {
        const SessionPart& s = session.parts[static_cast<std::size_t>(shown)];
        status += QStringLiteral(" ") +
                  (session.parts.size() < session.plannedParts || s.complete
                       ? QObject::tr("The lesson did not finish (stopped or killed): the parts "
                                     "that ran are shown.")
                       : QObject::tr("The experiment did not finish (stopped or killed): the "
                                     "runs that finished are shown."));
    }
    if (!session.truncation.empty())
        status += QStringLiteral(" ") + QString::fromStdString(session.truncation);
    return status;
}

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

}  // namespace coreduel::ui
