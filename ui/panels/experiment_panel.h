#pragma once
// The experiment panel: every field of an Experiment as a control with a tooltip that says
// what it changes, validated as it is typed (the engine's own validation, so the panel and the
// CLI accept exactly the same input). The fork start method is not offered: the GUI process
// is multithreaded and never forks without exec.

#include <QLabel>
#include <QWidget>
#include <map>
#include <optional>

#include "core/run/experiment.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QGroupBox;
class QLineEdit;
class QProgressBar;
class QScrollArea;
class QPushButton;
class QSpinBox;

namespace coreduel::ui {

class ExperimentPanel : public QWidget {
    Q_OBJECT
public:
    explicit ExperimentPanel(QWidget* parent = nullptr);

    /// The experiment as entered; throws InvalidArgument naming the first bad field.
    [[nodiscard]] Experiment experiment() const;
    /// Fills every control. A fork start method becomes forkserver (said in the status line).
    void setExperiment(const Experiment& e);
    /// The experiment last started or left in the panel (QSettings), if it still reads; an
    /// experiment remembered: the one given, or the panel's own when it is valid.
    [[nodiscard]] static std::optional<Experiment> savedExperiment();
    static void rememberExperiment(const Experiment& e);
    void rememberExperiment() const;
    /// The defaults for this machine: all models, 1 … 2 × cores in powers of two.
    static Experiment defaultExperiment();

    /// Empty when every field is valid, else the first problem.
    [[nodiscard]] QString validationError() const { return m_error; }

    void setRunning(bool running);
    void setProgress(int runIndex, int plannedRuns, double fraction, double etaSeconds);
    /// The bar at `fraction` (0…1) with its own text (a stopped run, the IPC lab).
    void setProgressText(double fraction, const QString& text);
    [[nodiscard]] QString progressText() const;
    void setStatus(const QString& text);
    [[nodiscard]] QString status() const { return m_status->text(); }

    /// The small red line under `field` that says why its text is not accepted (hidden while
    /// the field is valid); nullptr for a widget without one. The "Real Python" group's line
    /// (pythonBox()) says why the py: models cannot run the workload.
    [[nodiscard]] QLabel* fieldError(const QWidget* field) const;

    QPushButton* runButton() const { return m_run; }
    [[nodiscard]] QWidget* pythonBox() const;
    /// The check box of model `m` (tests, lessons).
    [[nodiscard]] QCheckBox* modelBox(Model m) const { return m_models.at(m); }
    QPushButton* stopButton() const { return m_stop; }

signals:
    void runRequested();
    void stopRequested();
    void changed();

protected:
    void changeEvent(QEvent* event) override;

private:
    /// Combos that never widen the panel; controls the wheel changes only when focused.
    void settleControls();
    /// The error lines in a red that reads on the current window colour (4.5:1 or more).
    void recolourErrors();
    void rebuildParams();
    /// The models the chosen workload can run under (a Python function: the py: ones only).
    void syncModelsToWorkload();
    void revalidate();
    /// The panel is never narrower than its fields: its dock then never scrolls sideways.
    void fitWidth();
    /// A red frame around a field whose text is not accepted.
    static void markInvalid(QWidget* w, bool bad);
    /// `field` with its error line below it, for a form row.
    /// `field` with its error line under it; `key` is the widget validated (default: field),
    /// when the field is a row around it (a path and its Browse… button).
    QWidget* withErrorLine(QWidget* field, QWidget* parent, QWidget* key = nullptr);
    /// The "Real Python (CPython)" group: the py: models and the interpreter.
    QWidget* makePythonBox();
    /// py:sequential is checked and locked while another py: model is: the engine adds it.
    void syncPythonBaseline();
    /// The py: models' own errors: no Python port of the workload, no such interpreter.
    void checkPython(const std::string& workload);
    /// The "Message passing (Open MPI)" group: the mpi model, mpirun and the hostfile.
    QWidget* makeMpiBox();
    /// The mpi model's own errors: no Open MPI, no such hostfile.
    void checkMpi();

    QScrollArea* m_scroll = nullptr;
    QWidget* m_fields = nullptr;
    QComboBox* m_workload = nullptr;
    QLabel* m_description = nullptr;
    QFormLayout* m_paramForm = nullptr;
    QWidget* m_paramBox = nullptr;
    std::map<std::string, QLineEdit*> m_params;
    QLineEdit* m_kernelParams = nullptr;  ///< a native kernel's own key=value pairs
    std::string m_paramsWorkload;         ///< whose fields m_params are
    std::map<std::string, std::map<std::string, QString>> m_typed;  ///< by workload, by field
    std::map<Model, QCheckBox*> m_models;
    QLineEdit* m_workers = nullptr;
    QLineEdit* m_chunks = nullptr;
    QComboBox* m_schedule = nullptr;
    QComboBox* m_startMethod = nullptr;
    QComboBox* m_transport = nullptr;
    QSpinBox* m_payload = nullptr;
    QSpinBox* m_repetitions = nullptr;
    QSpinBox* m_warmups = nullptr;
    QDoubleSpinBox* m_switchInterval = nullptr;
    QCheckBox* m_gilReleased = nullptr;
    QCheckBox* m_weak = nullptr;
    QGroupBox* m_pythonBox = nullptr;
    QLineEdit* m_python = nullptr;  // Experiment::python
    QLabel* m_pythonError = nullptr;
    bool m_pythonBaselineChosen = false;  // py:sequential asked for on its own
    QGroupBox* m_mpiBox = nullptr;
    QLineEdit* m_mpirun = nullptr;    // Experiment::mpirun
    QLineEdit* m_hostfile = nullptr;  // Experiment::hostfile
    QPushButton* m_run = nullptr;
    QPushButton* m_stop = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_error_label = nullptr;
    QLabel* m_status = nullptr;
    std::map<const QWidget*, QLabel*> m_fieldErrors;  // field -> its error line
    QString m_error;
    bool m_running = false;
};

}  // namespace coreduel::ui
