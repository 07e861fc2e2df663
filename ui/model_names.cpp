#include "ui/model_names.h"

#include <QRegularExpression>

namespace coreduel::ui {

QString interpreterTag(const std::string& interpreter) {
    // "<implementation> <major>.<minor>[.patch…] (<path>), …": keep the name and major.minor,
    // which is what changes how the GIL behaves; the path and patch level are in tooltips.
    static const QRegularExpression head(QStringLiteral("^(\\S+) (\\d+)\\.(\\d+)"));
    const QRegularExpressionMatch m = head.match(QString::fromStdString(interpreter));
    if (!m.hasMatch()) return QStringLiteral("CPython");
    return QStringLiteral("%1 %2.%3").arg(m.captured(1), m.captured(2), m.captured(3));
}

std::string interpreterOf(const std::vector<RunResult>& runs) {
    for (const RunResult& r : runs)
        if (isPython(r.config.model) && !r.interpreter.empty()) return r.interpreter;
    return {};
}

std::string interpreterOf(const ExperimentResult& result) {
    if (!result.environment.python.empty()) return result.environment.python;
    return interpreterOf(result.runs);
}

bool anyPython(const ExperimentResult& result) {
    for (Model m : result.experiment.models)
        if (isPython(m)) return true;
    for (const RunResult& r : result.runs)
        if (isPython(r.config.model)) return true;
    return false;
}

QString modelName(Model m, const std::string& interpreter) {
    QString name = QString::fromLatin1(toString(m));
    if (isPython(m)) name += QStringLiteral(" (%1)").arg(interpreterTag(interpreter));
    return name;
}

QString modelRunLabel(const RunConfig& config, const std::string& interpreter) {
    QString label = QString::fromStdString(modelLabel(config));
    if (isPython(config.model)) label += QStringLiteral(" (%1)").arg(interpreterTag(interpreter));
    return label;
}

void markInterpreterPen(QPen& pen) {
    // Dashes in units of the pen's width: long enough to keep the colour readable at 3 px.
    pen.setDashPattern({3.0, 1.5});
}

}  // namespace coreduel::ui
