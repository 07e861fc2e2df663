// ExperimentPanel's "Real Python (CPython)" group: the py: models, which run the same tasks
// in a real interpreter, its path, and why they cannot run (no Python port of the workload,
// no such interpreter).
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSignalBlocker>
#include <QVBoxLayout>

#include "core/exec/python_executor.h"
#include "core/run/experiment.h"
#include "core/util/install_paths.h"
#include "core/vocab/interpreter_spec.h"
#include "ui/panels/experiment_panel.h"
#include "ui/panels/interpreter_picker.h"

namespace coreduel::ui {

namespace {

/// The field is narrow and a cached interpreter's path is long: it showed only the path's
/// tail. Each interpreter on a line of its own below it, the home folder as ~, the middle of a
/// long path left out (the tooltip has them whole).
QLabel* interpreterList(QLineEdit* field, QWidget* parent) {
    auto* list = new QLabel(parent);
    list->setObjectName(QStringLiteral("python-interpreter-list"));
    list->setTextFormat(Qt::PlainText);
    auto showList = [field, list] {
        const QStringList specs = field->text().split(QLatin1Char(','), Qt::SkipEmptyParts);
        QStringList shown, whole;
        for (const QString& raw : specs) {
            const QString spec = raw.trimmed();
            whole << spec;
            QString s = spec;
            if (s.startsWith(QDir::homePath() + QLatin1Char('/')))
                s = QStringLiteral("~") + s.mid(QDir::homePath().size());
            constexpr int kHead = 9, kTail = 20;
            if (s.size() > kHead + kTail + 1)
                s = s.left(kHead) + QStringLiteral("…") + s.right(kTail);
            shown << QStringLiteral("%1. %2").arg(shown.size() + 1).arg(s);
        }
        list->setText(shown.join(QLatin1Char('\n')));
        list->setToolTip(whole.join(QLatin1Char('\n')));
        list->setVisible(specs.size() > 1 || (specs.size() == 1 && specs.front().size() > 30));
    };
    QObject::connect(field, &QLineEdit::textChanged, list, showList);
    showList();
    return list;
}

}  // namespace

QWidget* ExperimentPanel::makePythonBox() {
    // The same tasks in a real interpreter, next to the engine's models: what the GIL model
    // is compared with. Off by default: it needs python3 and a workload with a Python port.
    m_pythonBox = new QGroupBox(tr("Real Python (CPython)"), this);
    m_pythonBox->setObjectName(QStringLiteral("python-models"));
    auto* layout = new QVBoxLayout(m_pythonBox);
    const std::pair<Model, const char*> tips[] = {
        {Model::PySequential,
         "The interpreter's own loop: the tasks one after another in CPython. The baseline of "
         "the py: models (their speedups are over it, the interpreter against itself); added "
         "by itself whenever another py: model runs."},
        {Model::PyThreads,
         "A concurrent.futures.ThreadPoolExecutor in CPython, one future per task, under the "
         "interpreter's real GIL with the switch interval below (sys.setswitchinterval). Its "
         "GIL waits on CPU-bound work are inferred from time off CPU, not measured."},
        {Model::PyProcesses,
         "A multiprocessing Pool in CPython with the start method and chunksize below "
         "(Pool.imap): worker interpreters of their own, tasks and results pickled over the "
         "pool's pipes (the transport and payload fields do not apply)."},
    };
    for (const auto& [model, tip] : tips) {
        auto* box = new QCheckBox(QString::fromLatin1(toString(model)), m_pythonBox);
        box->setToolTip(tr(tip));
        m_models[model] = box;
        layout->addWidget(box);
    }
    connect(m_models[Model::PySequential], &QCheckBox::toggled, this, [this](bool on) {
        if (m_models[Model::PySequential]->isEnabled()) m_pythonBaselineChosen = on;
        revalidate();
    });
    for (Model m : {Model::PyThreads, Model::PyProcesses}) {
        connect(m_models[m], &QCheckBox::toggled, this, [this] {
            syncPythonBaseline();
            revalidate();
        });
    }
    auto* row = new QFormLayout;
    row->setContentsMargins(0, 0, 0, 0);
    m_python = new QLineEdit(m_pythonBox);
    m_python->setObjectName(QStringLiteral("python-interpreter"));
    m_python->setPlaceholderText(QStringLiteral("python3"));
    m_python->setToolTip(
        tr("The interpreters the py: models run, separated by commas: each a path or a name "
           "looked up on PATH, \":gil=1\" to force a free-threaded build's GIL on. Several: "
           "every py: model runs under each, against its own py:sequential. Empty: python3."));
    auto* interpreters = new QWidget(m_pythonBox);
    auto* line = new QHBoxLayout(interpreters);
    line->setContentsMargins(0, 0, 0, 0);
    line->addWidget(m_python, 1);
    auto* picker = new InterpreterPicker(interpreters);
    line->addWidget(picker);
    connect(picker, &InterpreterPicker::chosen, this, [this](const QString& spec) {
        // Added to the list, once; the default python3 is kept when it was the empty field.
        QStringList specs = m_python->text().split(QLatin1Char(','), Qt::SkipEmptyParts);
        for (QString& s : specs) s = s.trimmed();
        if (specs.isEmpty()) specs << QStringLiteral("python3");
        if (!specs.contains(spec)) specs << spec;
        m_python->setText(specs.join(QLatin1Char(',')));
        revalidate();
    });
    row->addRow(tr("Interpreters"), withErrorLine(interpreters, m_pythonBox));
    m_fieldErrors[m_python] = fieldError(interpreters);  // the list's errors under the list
    layout->addLayout(row);
    layout->addWidget(interpreterList(m_python, m_pythonBox));
    // Why the py: models cannot run this workload, under their boxes.
    m_pythonError = new QLabel(m_pythonBox);
    m_pythonError->setObjectName(QStringLiteral("field-error-line"));
    m_pythonError->setWordWrap(true);
    QFont small = m_pythonError->font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    m_pythonError->setFont(small);
    m_pythonError->setVisible(false);
    layout->addWidget(m_pythonError);
    m_fieldErrors[m_pythonBox] = m_pythonError;
    recolourErrors();
    return m_pythonBox;
}

QWidget* ExperimentPanel::pythonBox() const {
    return m_pythonBox;
}

void ExperimentPanel::syncPythonBaseline() {
    QCheckBox* baseline = m_models[Model::PySequential];
    const bool implied =
        m_models[Model::PyThreads]->isChecked() || m_models[Model::PyProcesses]->isChecked();
    const QSignalBlocker block(baseline);
    baseline->setChecked(implied || m_pythonBaselineChosen);
    baseline->setEnabled(!implied);
}

void ExperimentPanel::syncModelsToWorkload() {
    // A Python function runs only under the py: models: the engine's models are off (and say
    // why), and py:sequential is its baseline, as sequential is everyone else's.
    const bool pyOnly = pythonOnlyWorkload(m_workload->currentData().toString().toStdString());
    for (const auto& [model, box] : m_models) {
        if (isPython(model)) continue;
        const QSignalBlocker block(box);
        if (model == Model::Sequential) {
            box->setChecked(!pyOnly);
        } else {
            if (pyOnly) box->setChecked(false);
            box->setEnabled(!pyOnly);
        }
        box->setToolTip(pyOnly ? tr("Your Python function runs only under the py: models, "
                                    "against py:sequential.")
                               : QString());
    }
    if (pyOnly && !m_pythonBaselineChosen) {
        m_pythonBaselineChosen = true;
        syncPythonBaseline();
    }
}

namespace {

/// Why the interpreter list cannot run (a spec that does not parse, an interpreter that is
/// not there); empty when every one can.
QString interpreterListError(const std::string& list) {
    std::vector<std::string> specs;
    try {
        specs = splitInterpreters(list);
        if (specs.empty()) specs.emplace_back();
        for (const std::string& spec : specs) {
            const std::string asked = parseInterpreterSpec(spec).python;
            if (!findOnPath(asked.empty() ? "python3" : asked).empty()) continue;
            if (asked.empty())
                return QObject::tr(
                    "no python3 on PATH: install it (Debian: sudo apt-get install "
                    "python3) or give an interpreter's path");
            return QObject::tr("%1: no such executable%2")
                .arg(QString::fromStdString(asked))
                .arg(asked.find('/') == std::string::npos ? QObject::tr(" on PATH") : QString());
        }
    } catch (const std::exception& e) {
        return QString::fromUtf8(e.what());
    }
    return {};
}

}  // namespace

void ExperimentPanel::checkPython(const std::string& workload) {
    // Only while a py: model is asked for: an interpreter that is not there, or a workload
    // coreduel_py has no version of, would fail every py: run.
    bool wanted = false;
    for (Model m : pythonModels()) wanted = wanted || m_models[m]->isChecked();
    QString portError;
    if (wanted && !hasPythonPort(workload))
        portError = tr("%1 has no Python version, so the py: models cannot run it (these have "
                       "one: %2).")
                        .arg(QString::fromStdString(workload))
                        .arg(QString::fromStdString(pythonPortList()));
    m_pythonError->setText(portError);
    m_pythonError->setVisible(!portError.isEmpty());
    QString interpreterError;
    if (wanted) interpreterError = interpreterListError(m_python->text().trimmed().toStdString());
    markInvalid(m_python, !interpreterError.isEmpty());
    fieldError(m_python)->setText(interpreterError);
    fieldError(m_python)->setVisible(!interpreterError.isEmpty());
    for (const QString& why : {portError, interpreterError})
        if (m_error.isEmpty() && !why.isEmpty()) m_error = why;
}

}  // namespace coreduel::ui
