#include "ui/panels/experiment_panel.h"
#include "ui/panels/param_field.h"
#include "ui/panels/wheel_guard.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QSpinBox>
#include <QVBoxLayout>
#include <algorithm>
#include <thread>

#include "core/report/schema.h"
#include "core/util/errors.h"
#include "core/workloads/workload.h"

namespace coreduel::ui {
namespace {

QString rangeText(const ParamSpec& s) {
    switch (s.kind) {
        case ParamKind::Int:
        case ParamKind::Double:
            return QStringLiteral("%1 … %2").arg(s.min).arg(s.max);
        case ParamKind::IntList:
            return QStringLiteral("comma-separated, each %1 … %2").arg(s.min).arg(s.max);
        default:
            return QStringLiteral("text");
    }
}

}  // namespace

Experiment ExperimentPanel::defaultExperiment() {
    Experiment e;
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    e.workerCounts.clear();
    for (unsigned n = 1; n <= 2 * cores; n *= 2) e.workerCounts.push_back(n);
    if (e.workerCounts.back() != 2 * cores && cores > 1) e.workerCounts.push_back(2 * cores);
    return e;
}

namespace {

/// Every workload of the catalogue, its description on hover; your own code named as such.
QComboBox* workloadList(QWidget* parent) {
    auto* list = new QComboBox(parent);
    for (const WorkloadInfo& w : workloadCatalog()) {
        const QString name = QString::fromStdString(w.name);
        list->addItem(w.userCode ? QObject::tr("%1 — your code").arg(name) : name, name);
        list->setItemData(list->count() - 1,
                          QStringLiteral("%1 (%2)")
                              .arg(QString::fromStdString(w.description))
                              .arg(QString::fromLatin1(toString(w.bound))),
                          Qt::ToolTipRole);
    }
    return list;
}

}  // namespace

ExperimentPanel::ExperimentPanel(QWidget* parent) : QWidget(parent) {
    // The fields scroll (vertically only: the panel is never wider than its dock); Run/Stop,
    // the progress, the error and the status stay below them, always in view.
    auto* root = new QVBoxLayout(this);
    root->setContentsMargins(0, 0, 0, 0);
    m_scroll = new QScrollArea(this);
    m_scroll->setObjectName(QStringLiteral("experiment-fields"));
    m_scroll->setWidgetResizable(true);
    m_scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_fields = new QWidget;
    auto* outer = new QVBoxLayout(m_fields);
    m_scroll->setWidget(m_fields);
    root->addWidget(m_scroll, 1);

    auto* workBox = new QGroupBox(tr("Workload"), this);
    auto* workLayout = new QVBoxLayout(workBox);
    m_workload = workloadList(workBox);
    m_workload->setToolTip(
        tr("The job every model runs. Its tasks and their results are the "
           "same under every model, which is how results are verified."));
    m_description = new QLabel(workBox);
    m_description->setWordWrap(true);
    m_paramBox = new QWidget(workBox);
    m_paramForm = new QFormLayout(m_paramBox);
    m_paramForm->setContentsMargins(0, 0, 0, 0);
    workLayout->addWidget(m_workload);
    workLayout->addWidget(m_description);
    workLayout->addWidget(m_paramBox);
    outer->addWidget(workBox);

    auto* modelBox = new QGroupBox(tr("Execution models"), this);
    auto* modelLayout = new QVBoxLayout(modelBox);
    const std::pair<Model, const char*> modelTips[] = {
        {Model::Sequential,
         "One thread, one task after another. Always run: every speedup is "
         "measured against it."},
        {Model::Threads,
         "Real OS threads sharing memory, no interpreter lock (C++, or Python "
         "code that releases the GIL)."},
        {Model::GilThreads,
         "Threads that must hold one simulated interpreter lock to run, "
         "handed over every switch interval as CPython does."},
        {Model::Processes,
         "Worker processes (coreduel-worker) with their own memory; tasks and "
         "results travel over the chosen transport."},
    };
    for (const auto& [model, tip] : modelTips) {
        auto* box = new QCheckBox(QString::fromLatin1(toString(model)), modelBox);
        box->setToolTip(QString::fromUtf8(tip));
        box->setChecked(true);
        if (model == Model::Sequential) box->setEnabled(false);
        m_models[model] = box;
        modelLayout->addWidget(box);
        connect(box, &QCheckBox::toggled, this, &ExperimentPanel::revalidate);
    }
    outer->addWidget(modelBox);
    outer->addWidget(makePythonBox());
    outer->addWidget(makeMpiBox());

    auto* runBox = new QGroupBox(tr("Workers and scheduling"), this);
    auto* form = new QFormLayout(runBox);
    m_workers = new QLineEdit(runBox);
    m_workers->setToolTip(
        tr("Worker counts to compare: \"1,2,4\", a range \"1-8\", or "
           "\"cores\" for this machine's logical CPUs. Each count is one "
           "point on the speedup curve."));
    form->addRow(tr("Workers"), withErrorLine(m_workers, runBox));
    m_chunks = new QLineEdit(runBox);
    m_chunks->setToolTip(
        tr("Tasks per chunk (Pool.map's chunksize). 0 = Python's rule, "
           "ceil(tasks / (4 × workers)). Several values sweep it: \"1,8,64\"."));
    form->addRow(tr("Chunksize [tasks]"), withErrorLine(m_chunks, runBox));
    m_schedule = new QComboBox(runBox);
    m_schedule->addItem(QStringLiteral("dynamic"), int(Schedule::Dynamic));
    m_schedule->addItem(QStringLiteral("static"), int(Schedule::Static));
    m_schedule->setToolTip(
        tr("dynamic: an idle worker takes the next chunk (what Pool.map "
           "does). static: chunk i belongs to worker i mod N from the start."));
    form->addRow(tr("Schedule"), m_schedule);
    m_startMethod = new QComboBox(runBox);
    m_startMethod->addItem(QStringLiteral("spawn"), int(StartMethod::Spawn));
    m_startMethod->addItem(QStringLiteral("forkserver"), int(StartMethod::ForkServer));
    m_startMethod->setToolTip(
        tr("processes: spawn = posix_spawn a fresh coreduel-worker; forkserver = a "
           "single-threaded server process forks workers. (fork is only in coreduel-cli: "
           "forking this multithreaded window without exec is unsafe.)"));
    form->addRow(tr("Start method"), m_startMethod);
    m_transport = new QComboBox(runBox);
    for (Transport t : allTransports()) {
        m_transport->addItem(QString::fromLatin1(toString(t)), int(t));
    }
    m_transport->setToolTip(
        tr("processes: how tasks and results travel — pipe, Unix socket, "
           "POSIX message queue, or a shared-memory ring."));
    form->addRow(tr("Transport"), m_transport);
    m_payload = new QSpinBox(runBox);
    m_payload->setRange(0, 64 << 20);
    m_payload->setSuffix(QStringLiteral(" B"));
    m_payload->setSingleStep(1024);
    m_payload->setToolTip(
        tr("processes: extra bytes sent with every task and every result, "
           "like pickled arguments in Python. Threads pass nothing."));
    form->addRow(tr("Payload per task"), m_payload);
    m_repetitions = new QSpinBox(runBox);
    m_repetitions->setRange(1, 1000);
    m_repetitions->setToolTip(
        tr("Runs per configuration. With 2 or more, speedups get 95 % "
           "confidence intervals."));
    form->addRow(tr("Repetitions"), m_repetitions);
    m_warmups = new QSpinBox(runBox);
    m_warmups->setRange(0, 10);
    m_warmups->setToolTip(
        tr("Unreported runs before each configuration (warm caches, "
           "page cache, CPU frequency)."));
    form->addRow(tr("Warm-up runs"), m_warmups);
    m_switchInterval = new QDoubleSpinBox(runBox);
    m_switchInterval->setRange(0.01, 1000);
    m_switchInterval->setDecimals(2);
    m_switchInterval->setSuffix(QStringLiteral(" ms"));
    m_switchInterval->setToolTip(
        tr("gil-threads: how long a waiting thread waits before asking "
           "the holder to drop the lock (sys.setswitchinterval; "
           "CPython's default is 5 ms)."));
    form->addRow(tr("GIL switch interval"), m_switchInterval);
    m_gilReleased = new QCheckBox(tr("tasks release the GIL"), runBox);
    m_gilReleased->setToolTip(
        tr("gil-threads: tasks are native code that drops the lock while "
           "computing, as NumPy does."));
    form->addRow(QString(), m_gilReleased);
    m_weak = new QCheckBox(tr("weak scaling (N workers, N× the work)"), runBox);
    m_weak->setToolTip(
        tr("Gustafson: N workers get N copies of the job; the speedup shown is "
           "the scaled speedup N × T(1) / T(N)."));
    form->addRow(QString(), m_weak);
    outer->addWidget(runBox);
    outer->addStretch(1);

    auto* footer = new QWidget(this);
    auto* footerLayout = new QVBoxLayout(footer);
    root->addWidget(footer);
    auto* buttons = new QHBoxLayout;
    m_run = new QPushButton(tr("Run"), this);
    m_run->setToolTip(tr("Run the experiment (Ctrl+R)"));
    m_stop = new QPushButton(tr("Stop"), this);
    m_stop->setToolTip(
        tr("Stop now (Esc): threads stop at their next check point, worker "
           "processes are killed and reaped."));
    m_stop->setEnabled(false);
    buttons->addWidget(m_run);
    buttons->addWidget(m_stop);
    footerLayout->addLayout(buttons);
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 1000);
    m_progress->setValue(0);
    m_progress->setFormat(QStringLiteral("idle"));
    m_progress->setToolTip(
        tr("Share of the experiment's tasks done; the ETA extrapolates the "
           "time so far."));
    footerLayout->addWidget(m_progress);
    // Below the buttons, so a longer message never moves them (a click meant for Stop must
    // not land on a field that moved under the pointer).
    m_error_label = new QLabel(this);
    m_error_label->setObjectName(QStringLiteral("field-error"));
    m_error_label->setWordWrap(true);

    footerLayout->addWidget(m_error_label);
    recolourErrors();
    m_status = new QLabel(tr("Ready."), this);
    m_status->setObjectName(QStringLiteral("run-status"));
    m_status->setWordWrap(true);
    m_status->setMinimumHeight(2 * m_status->fontMetrics().lineSpacing());
    m_status->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    footerLayout->addWidget(m_status);

    connect(m_run, &QPushButton::clicked, this, &ExperimentPanel::runRequested);
    connect(m_stop, &QPushButton::clicked, this, &ExperimentPanel::stopRequested);
    connect(m_workload, &QComboBox::currentIndexChanged, this, [this] {
        rebuildParams();  // and the models it can run under
        revalidate();
    });
    for (QLineEdit* e : {m_workers, m_chunks, m_python}) {
        connect(e, &QLineEdit::textChanged, this, &ExperimentPanel::revalidate);
    }
    for (QSpinBox* s : {m_payload, m_repetitions, m_warmups}) {
        connect(s, &QSpinBox::valueChanged, this, &ExperimentPanel::revalidate);
    }
    settleControls();
    setExperiment(defaultExperiment());
    fitWidth();
}

void ExperimentPanel::settleControls() {
    for (QComboBox* c : findChildren<QComboBox*>()) {
        // A long entry must not widen the panel: the combo shows what fits, the list all.
        c->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        c->setMinimumContentsLength(10);
    }
    guardWheel(this);
}

void ExperimentPanel::markInvalid(QWidget* w, bool bad) {
    w->setStyleSheet(bad ? QStringLiteral("border: 2px solid #D55E00;") : QString());
}

QWidget* ExperimentPanel::withErrorLine(QWidget* field, QWidget* parent, QWidget* key) {
    // The reason sits right under the field it is about, in the panel's width (wrapped, never
    // scrolled to), and takes no room while the field is valid.
    auto* box = new QWidget(parent);
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(1);
    field->setParent(box);
    layout->addWidget(field);
    auto* error = new QLabel(box);
    error->setObjectName(QStringLiteral("field-error-line"));
    error->setWordWrap(true);
    QFont small = error->font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    error->setFont(small);
    error->setVisible(false);
    layout->addWidget(error);
    m_fieldErrors[key != nullptr ? key : field] = error;
    recolourErrors();
    return box;
}

void ExperimentPanel::recolourErrors() {
    // A palette colour, not a style sheet: a styled label keeps the palette it was polished
    // with and would not follow a theme switch. Okabe-Ito's vermillion (#D55E00) reads at only
    // 3.5:1 on either theme's window, so a darker one on light and a lighter one on dark.
    const bool dark = palette().color(QPalette::Window).lightness() < 128;
    const QColor red = dark ? QColor(0xFF9966) : QColor(0xB34700);
    auto paint = [&red](QLabel* label) {
        QPalette p = label->palette();
        p.setColor(QPalette::WindowText, red);
        label->setPalette(p);
    };
    if (m_error_label != nullptr) paint(m_error_label);
    for (const auto& [field, line] : m_fieldErrors) paint(line);
}

void ExperimentPanel::changeEvent(QEvent* event) {
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) recolourErrors();
}

QLabel* ExperimentPanel::fieldError(const QWidget* field) const {
    const auto it = m_fieldErrors.find(field);
    return it != m_fieldErrors.end() ? it->second : nullptr;
}

void ExperimentPanel::fitWidth() {
    m_fields->adjustSize();
    m_scroll->setMinimumWidth(m_fields->minimumSizeHint().width() +
                              m_scroll->verticalScrollBar()->sizeHint().width() + 2);
}

void ExperimentPanel::rebuildParams() {
    // What was typed for a workload comes back when the user returns to it (python → native →
    // python kept no file, function or inputs).
    for (const auto& [name, edit] : m_params) m_typed[m_paramsWorkload][name] = edit->text();
    for (const auto& [name, edit] : m_params) m_fieldErrors.erase(edit);
    if (m_kernelParams != nullptr) m_fieldErrors.erase(m_kernelParams);
    while (m_paramForm->rowCount() > 0) m_paramForm->removeRow(0);
    m_params.clear();
    m_kernelParams = nullptr;
    const WorkloadInfo* info =
        &findWorkloadInfo(m_workload->currentData().toString().toStdString());
    m_description->setText(QStringLiteral("%1 (%2)")
                               .arg(QString::fromStdString(info->description))
                               .arg(QString::fromLatin1(toString(info->bound))));
    QComboBox* functions = nullptr;
    for (const ParamSpec& s : info->params) {
        const ParamField field = makeParamField(info->name, s, m_paramBox);
        QLineEdit* edit = field.edit;
        edit->setObjectName(QStringLiteral("param-") + QString::fromStdString(s.name));
        if (field.functions != nullptr) functions = field.functions;
        if (!s.recorded) edit->setPlaceholderText(QString::fromStdString(s.defaultValue));
        edit->setToolTip(QStringLiteral("%1\nallowed: %2%3\ndefault: %4")
                             .arg(QString::fromStdString(s.help))
                             .arg(rangeText(s))
                             .arg(s.unit.empty()
                                      ? QString()
                                      : QStringLiteral(" ") + QString::fromStdString(s.unit))
                             .arg(QString::fromStdString(s.defaultValue)));
        QString label = QString::fromStdString(s.name);
        if (!s.unit.empty()) label += QStringLiteral(" [%1]").arg(QString::fromStdString(s.unit));
        m_paramForm->addRow(label, withErrorLine(field.widget, m_paramBox, edit));
        m_params[s.name] = edit;
        edit->setText(m_typed[info->name][s.name]);
        connect(edit, &QLineEdit::textChanged, this, &ExperimentPanel::revalidate);
    }
    m_paramsWorkload = info->name;
    if (functions != nullptr && m_params.count("file") != 0)
        followFile(m_params["file"], functions);
    if (info->userCode && !info->pythonOnly) {  // a native kernel: its own parameters too
        m_kernelParams = makeKernelParamsField(m_paramBox);
        m_paramForm->addRow(tr("kernel's own"), withErrorLine(m_kernelParams, m_paramBox));
        connect(m_kernelParams, &QLineEdit::textChanged, this, &ExperimentPanel::revalidate);
    }
    // What a run recorded of the user's file describes that file: another one (or the same
    // chosen again) starts without it. setExperiment sets the file first (keys in order), so a
    // reopened experiment keeps its recorded hash.
    for (const char* code : {"file", "library"}) {
        const auto file = m_params.find(code);
        if (file == m_params.end()) continue;
        for (const ParamSpec& s : info->params)
            if (s.recorded && s.name != "python")
                connect(file->second, &QLineEdit::textChanged, m_params[s.name], &QLineEdit::clear);
    }
    if (!m_models.empty()) syncModelsToWorkload();
    if (m_scroll != nullptr && m_fields != nullptr) fitWidth();
}

Experiment ExperimentPanel::experiment() const {
    Experiment e;
    e.workload = m_workload->currentData().toString().toStdString();
    for (const auto& [name, edit] : m_params) {
        const QString text = edit->text().trimmed();
        if (!text.isEmpty()) e.params[name] = text.toStdString();
    }
    if (m_kernelParams != nullptr) e.params.merge(parseKernelParams(m_kernelParams->text()));
    // The workload's own checks, with its messages; a user's kernel is not loaded for that
    // (it runs code: only a run does).
    checkParams(e.workload, e.params);
    e.models.clear();
    for (const auto& [model, box] : m_models) {
        if (box->isChecked()) e.models.push_back(model);
    }
    e.workerCounts = parseWorkerCounts(m_workers->text().trimmed().toStdString());
    e.chunksizes = parseChunksizes(
        m_chunks->text().trimmed().isEmpty() ? "0" : m_chunks->text().trimmed().toStdString());
    e.schedule = static_cast<Schedule>(m_schedule->currentData().toInt());
    e.startMethod = static_cast<StartMethod>(m_startMethod->currentData().toInt());
    e.transport = static_cast<Transport>(m_transport->currentData().toInt());
    e.payloadBytes = static_cast<std::size_t>(m_payload->value());
    e.repetitions = static_cast<unsigned>(m_repetitions->value());
    e.warmups = static_cast<unsigned>(m_warmups->value());
    e.gilSwitchIntervalMs = m_switchInterval->value();
    e.gilReleasedByTasks = m_gilReleased->isChecked();
    e.weakScaling = m_weak->isChecked();
    e.python = m_python->text().trimmed().toStdString();
    e.mpirun = m_mpirun->text().trimmed().toStdString();
    e.hostfile = m_hostfile->text().trimmed().toStdString();
    // Checked on every keystroke and whenever an experiment, result or session is shown: the
    // user's code is never imported or loaded for that (it would run before Run asks, and a
    // Python interpreter per keystroke is slow). A run loads it, after UserCodeConsent.
    validate(e, /*loadUserCode=*/false);
    return e;
}

void ExperimentPanel::setExperiment(const Experiment& e) {
    const QSignalBlocker block(this);
    const int w = m_workload->findData(QString::fromStdString(e.workload));
    m_workload->setCurrentIndex(w < 0 ? 0 : w);
    rebuildParams();
    for (const auto& [name, edit] : m_params) edit->clear();  // exactly the experiment's
    for (const auto& [name, value] : e.params) {
        if (auto it = m_params.find(name); it != m_params.end()) {
            it->second->setText(QString::fromStdString(value));
        }
    }
    if (m_kernelParams != nullptr)
        m_kernelParams->setText(kernelParamsText(e.params, findWorkloadInfo(e.workload).params));
    auto asked = [&e](Model m) {
        return std::find(e.models.begin(), e.models.end(), m) != e.models.end();
    };
    for (const auto& [model, box] : m_models)
        box->setChecked(model == Model::Sequential || asked(model));
    // py:sequential alone is a choice; next to another py: model it is the engine's addition.
    m_pythonBaselineChosen =
        asked(Model::PySequential) && !asked(Model::PyThreads) && !asked(Model::PyProcesses);
    syncPythonBaseline();
    syncModelsToWorkload();
    m_python->setText(QString::fromStdString(e.python));
    m_mpirun->setText(QString::fromStdString(e.mpirun));
    m_hostfile->setText(QString::fromStdString(e.hostfile));
    QStringList counts;
    for (unsigned n : e.workerCounts) counts << QString::number(n);
    m_workers->setText(counts.join(QLatin1Char(',')));
    QStringList chunks;
    for (std::size_t c : e.chunksizes) chunks << QString::number(c);
    m_chunks->setText(chunks.join(QLatin1Char(',')));
    m_schedule->setCurrentIndex(m_schedule->findData(int(e.schedule)));
    const bool fork = e.startMethod == StartMethod::Fork;
    m_startMethod->setCurrentIndex(
        m_startMethod->findData(int(fork ? StartMethod::ForkServer : e.startMethod)));
    m_transport->setCurrentIndex(m_transport->findData(int(e.transport)));
    m_payload->setValue(static_cast<int>(e.payloadBytes));
    m_repetitions->setValue(static_cast<int>(e.repetitions));
    m_warmups->setValue(static_cast<int>(e.warmups));
    m_switchInterval->setValue(e.gilSwitchIntervalMs);
    m_gilReleased->setChecked(e.gilReleasedByTasks);
    m_weak->setChecked(e.weakScaling);
    revalidate();
    if (fork) {
        setStatus(
            tr("The experiment asked for the fork start method; the desktop app uses "
               "forkserver instead (use coreduel-cli for fork)."));
    }
}

void ExperimentPanel::revalidate() {
    // Field by field first, so the frame marks the culprit: each against its declared range
    // (ParamValues, cheap: no workload is built per keystroke and field). Then the whole
    // experiment, which builds the workload once for the checks that span fields.
    m_error.clear();
    auto check = [this](QWidget* w, auto&& parse) {
        bool bad = false;
        QString why;
        try {
            parse();
        } catch (const std::exception& ex) {
            bad = true;
            why = QString::fromUtf8(ex.what());
            if (m_error.isEmpty()) m_error = why;
        }
        markInvalid(w, bad);
        if (QLabel* line = fieldError(w)) {
            line->setText(why);
            line->setVisible(bad);
        }
    };
    const std::string workload = m_workload->currentData().toString().toStdString();
    const WorkloadInfo& info = findWorkloadInfo(workload);
    for (const auto& [name, edit] : m_params) {
        const std::string text = edit->text().trimmed().toStdString();
        check(edit, [&] {
            if (text.empty()) return;
            (void)ParamValues(workload, info.params, {{name, text}});
            // The user's file is looked at (never loaded) as it is typed: a typo shows here,
            // not after Run. A result or session naming a moved file still opens.
            if (info.userCode && !QFileInfo(QString::fromStdString(text)).isFile() &&
                (name == "file" || name == "library"))
                throw InvalidArgument("'" + text + "' is not a file");
        });
    }
    if (m_kernelParams != nullptr)
        check(m_kernelParams, [this] { (void)parseKernelParams(m_kernelParams->text()); });
    check(m_workers, [this] { parseWorkerCounts(m_workers->text().trimmed().toStdString()); });
    check(m_chunks, [this] {
        if (!m_chunks->text().trimmed().isEmpty()) {
            parseChunksizes(m_chunks->text().trimmed().toStdString());
        }
    });
    checkPython(workload);
    checkMpi();
    if (m_error.isEmpty()) {
        try {
            (void)experiment();
        } catch (const std::exception& ex) {
            m_error = QString::fromUtf8(ex.what());
        }
    }
    m_error_label->setText(m_error);
    m_run->setEnabled(!m_running && m_error.isEmpty());
    emit changed();
}

void ExperimentPanel::setRunning(bool running) {
    m_running = running;
    // Locked while a run goes: what is measured is what the fields said when Run was pressed.
    m_fields->setEnabled(!running);
    m_run->setEnabled(!running && m_error.isEmpty());
    m_stop->setEnabled(running);
    if (running) {
        m_progress->setValue(0);
        m_progress->setFormat(QStringLiteral("starting…"));
    }
}

void ExperimentPanel::setProgress(int runIndex, int plannedRuns, double fraction,
                                  double etaSeconds) {
    QString text = QStringLiteral("run %1/%2 — %3 %")
                       .arg(runIndex + 1)
                       .arg(plannedRuns)
                       .arg(static_cast<int>(fraction * 100));
    if (etaSeconds >= 0) text += QStringLiteral(" — ETA %1 s").arg(etaSeconds, 0, 'f', 0);
    setProgressText(fraction, text);
}

void ExperimentPanel::setProgressText(double fraction, const QString& text) {
    // One queued paint for both changes: QProgressBar::setValue repaints at once, and then
    // setFormat again.
    m_progress->setUpdatesEnabled(false);
    m_progress->setValue(static_cast<int>(std::clamp(fraction, 0.0, 1.0) * 1000));
    m_progress->setFormat(text);
    m_progress->setUpdatesEnabled(true);  // schedules the paint
}

QString ExperimentPanel::progressText() const {
    return m_progress->format();
}

void ExperimentPanel::setStatus(const QString& text) {
    m_status->setText(text);
}

std::optional<Experiment> ExperimentPanel::savedExperiment() {
    const QString saved = QSettings().value(QStringLiteral("experiment")).toString();
    if (saved.isEmpty()) return std::nullopt;
    try {
        return experimentFromJson(nlohmann::json::parse(saved.toStdString()), "saved settings");
    } catch (const std::exception&) {
        return std::nullopt;  // a setting from an older version: the defaults are a fine start
    }
}

void ExperimentPanel::rememberExperiment(const Experiment& e) {
    QSettings().setValue(QStringLiteral("experiment"), QString::fromStdString(toJson(e).dump()));
}

void ExperimentPanel::rememberExperiment() const {
    try {
        rememberExperiment(experiment());
    } catch (const std::exception&) {
        // An invalid panel is not worth remembering.
    }
}

}  // namespace coreduel::ui
