#include "ui/model_names.h"

#include <QRegularExpression>
#include <QStringList>
#include <algorithm>
#include <set>

namespace coreduel::ui {

QString interpreterTag(const std::string& interpreter) {
    // "<implementation> <major>.<minor>[.patch…] (<path>), …" (the engine's line) or a short
    // label ("CPython 3.13t (no GIL)"): keep the name and major.minor, which is what changes
    // how the GIL behaves; the path and patch level are in tooltips. A free-threaded build is
    // another interpreter for the GIL's sake: "3.13t", and whether its run had the GIL (an
    // extension or PYTHON_GIL=1 can switch it back on).
    static const QRegularExpression head(QStringLiteral("^(\\S+) (\\d+)\\.(\\d+)(t?)"));
    const QString text = QString::fromStdString(interpreter);
    const QRegularExpressionMatch m = head.match(text);
    if (!m.hasMatch()) return QStringLiteral("CPython");
    QString tag = QStringLiteral("%1 %2.%3").arg(m.captured(1), m.captured(2), m.captured(3));
    const bool freeThreaded =
        !m.captured(4).isEmpty() || text.contains(QLatin1String("free-threaded build"));
    if (freeThreaded) {
        tag += QLatin1Char('t');
        if (text.contains(QLatin1String("GIL disabled")) || text.contains(QLatin1String("no GIL")))
            tag += QStringLiteral(", no GIL");
        else if (text.contains(QLatin1String("GIL enabled")) ||
                 text.contains(QLatin1String("PYTHON_GIL=1")) ||
                 text.contains(QLatin1String("GIL came back")))
            tag += QStringLiteral(", GIL on");
    }
    return tag;
}

std::string interpreterName(const RunResult& run) {
    return run.interpreterLabel.empty() ? run.interpreter : run.interpreterLabel;
}

QString interpreterTags(const ExperimentResult& result) {
    std::vector<std::string> specs;
    for (const RunResult& r : result.runs)
        if (isPython(r.config.model) &&
            std::find(specs.begin(), specs.end(), r.config.python) == specs.end())
            specs.push_back(r.config.python);
    if (specs.size() < 2) return interpreterTag(interpreterOf(result));
    QStringList tags;
    for (const std::string& spec : specs) tags << interpreterTag(interpreterOfSpec(result, spec));
    return tags.join(QStringLiteral(" and "));
}

unsigned interpreterCount(const std::vector<RunResult>& runs) {
    std::set<std::string> specs;
    for (const RunResult& r : runs)
        if (isPython(r.config.model)) specs.insert(r.config.python);
    return static_cast<unsigned>(specs.size());
}

std::string interpreterOf(const std::vector<RunResult>& runs) {
    for (const RunResult& r : runs)
        if (isPython(r.config.model) && !r.interpreter.empty()) return r.interpreter;
    for (const RunResult& r : runs)
        if (isPython(r.config.model) && !r.interpreterLabel.empty()) return r.interpreterLabel;
    return {};
}

std::string interpreterOf(const ExperimentResult& result) {
    // With several interpreters the environment's line names them all: the first run's is one.
    if (!result.environment.python.empty() && interpreterCount(result.runs) < 2)
        return result.environment.python;
    return interpreterOf(result.runs);
}

std::string interpreterOfSpec(const ExperimentResult& result, const std::string& spec) {
    for (const RunResult& r : result.runs)
        if (isPython(r.config.model) && r.config.python == spec &&
            !(r.interpreter.empty() && r.interpreterLabel.empty()))
            return r.interpreter.empty() ? r.interpreterLabel : r.interpreter;
    return interpreterOf(result);
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
