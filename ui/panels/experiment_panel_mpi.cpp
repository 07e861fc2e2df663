// ExperimentPanel's "Message passing (Open MPI)" group: the mpi model, its launcher and its
// hosts, and why it cannot run (no mpirun, no rank program, no such hostfile).
#include <QCheckBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QVBoxLayout>

#include "core/exec/mpi_executor.h"
#include "ui/panels/experiment_panel.h"

namespace coreduel::ui {

QWidget* ExperimentPanel::makeMpiBox() {
    // Ranks that share nothing and talk by messages, on this machine or a cluster's hosts.
    // Off by default: it needs Open MPI, and an MPI job takes a while to start.
    m_mpiBox = new QGroupBox(tr("Message passing (Open MPI)"), this);
    m_mpiBox->setObjectName(QStringLiteral("mpi-model"));
    auto* layout = new QVBoxLayout(m_mpiBox);
    auto* box = new QCheckBox(QString::fromLatin1(toString(Model::Mpi)), m_mpiBox);
    box->setToolTip(
        tr("N worker ranks of an Open MPI job started by mpirun (plus rank 0, which hands out "
           "the chunks and collects the results as MPI messages). Wall time is the job's own "
           "window: mpirun's start-up is shown apart."));
    m_models[Model::Mpi] = box;
    layout->addWidget(box);
    connect(box, &QCheckBox::toggled, this, &ExperimentPanel::revalidate);
    // The launcher and the hosts only while the model is asked for: the group stays one line
    // high otherwise, so the fields below it stay in view on a small screen.
    auto* fields = new QWidget(m_mpiBox);
    auto* rows = new QFormLayout(fields);
    rows->setContentsMargins(0, 0, 0, 0);
    m_mpirun = new QLineEdit(fields);
    m_mpirun->setObjectName(QStringLiteral("mpirun"));
    m_mpirun->setPlaceholderText(QStringLiteral("mpirun"));
    m_mpirun->setToolTip(tr("The launcher: a path, or a name looked up on PATH. Empty: mpirun."));
    rows->addRow(tr("mpirun"), withErrorLine(m_mpirun, fields));
    m_hostfile = new QLineEdit(fields);
    m_hostfile->setObjectName(QStringLiteral("hostfile"));
    m_hostfile->setPlaceholderText(tr("this machine only"));
    m_hostfile->setToolTip(
        tr("An Open MPI hostfile (one host per line, with slots=N): the ranks run on those "
           "hosts. Empty: this machine only."));
    rows->addRow(tr("Hostfile"), withErrorLine(m_hostfile, fields));
    layout->addWidget(fields);
    fields->setVisible(false);
    connect(box, &QCheckBox::toggled, fields, &QWidget::setVisible);
    for (QLineEdit* e : {m_mpirun, m_hostfile})
        connect(e, &QLineEdit::textChanged, this, &ExperimentPanel::revalidate);
    return m_mpiBox;
}

void ExperimentPanel::checkMpi() {
    const bool wanted = m_models[Model::Mpi]->isChecked();
    QString launcherError;
    if (wanted) {
        const auto why = mpiUnavailableReason(m_mpirun->text().trimmed().toStdString());
        launcherError = QString::fromStdString(why);
    }
    markInvalid(m_mpirun, !launcherError.isEmpty());
    fieldError(m_mpirun)->setText(launcherError);
    fieldError(m_mpirun)->setVisible(!launcherError.isEmpty());
    const QString hostfile = m_hostfile->text().trimmed();
    QString hostfileError;
    if (wanted && !hostfile.isEmpty() && !QFileInfo(hostfile).isReadable())
        hostfileError = tr("%1: cannot be read").arg(hostfile);
    markInvalid(m_hostfile, !hostfileError.isEmpty());
    fieldError(m_hostfile)->setText(hostfileError);
    fieldError(m_hostfile)->setVisible(!hostfileError.isEmpty());
    for (const QString& why : {launcherError, hostfileError})
        if (m_error.isEmpty() && !why.isEmpty()) m_error = why;
}

}  // namespace coreduel::ui
