// InterpreterPicker: the interpreters found, added to the experiment's list.
#include "ui/panels/interpreter_picker.h"

#include <QFileDialog>
#include <QMenu>

#include "core/exec/interpreters.h"

namespace coreduel::ui {

InterpreterPicker::InterpreterPicker(QWidget* parent) : QToolButton(parent) {
    setObjectName(QStringLiteral("python-add-interpreter"));
    setText(tr("Add…"));
    setToolTip(
        tr("Add an interpreter to the grid: every py: model runs under each one, against its "
           "own py:sequential (GIL on, GIL off side by side)."));
    setPopupMode(QToolButton::InstantPopup);
    m_menu = new QMenu(this);
    setMenu(m_menu);
    m_menu->addAction(tr("Looking for interpreters…"))->setEnabled(false);
    connect(m_menu, &QMenu::aboutToShow, this, &InterpreterPicker::lookFor);
}

void InterpreterPicker::lookFor() {
    if (m_asked) return;
    m_asked = true;
    auto found = std::make_shared<std::vector<InterpreterInfo>>();
    m_jobs.start([found](JobContext&) { *found = findInterpreters(); },
                 [this, found](const QString& error) { fill(*found, error); });
}

void InterpreterPicker::fill(const std::vector<InterpreterInfo>& found, const QString& error) {
    m_menu->clear();
    auto add = [this](const QString& text, const QString& spec, const QString& tip) {
        QAction* a = m_menu->addAction(text);
        a->setToolTip(tip);
        connect(a, &QAction::triggered, this, [this, spec] { emit chosen(spec); });
    };
    for (const InterpreterInfo& i : found) {
        if (!i.error.empty()) continue;  // a name on PATH that would not start
        const QString path = QString::fromStdString(i.path);
        const QString label = QString::fromStdString(i.label);
        add(tr("%1 — %2").arg(label, path), path,
            tr("%1 %2, from %3")
                .arg(QString::fromStdString(i.version), path, QString::fromStdString(i.source)));
        if (i.freeThreadedBuild)
            add(tr("%1 with the GIL forced on (PYTHON_GIL=1)").arg(label),
                path + QStringLiteral(":gil=1"),
                tr("The same free-threaded build with its GIL switched back on: what the GIL "
                   "costs, on one build."));
    }
    if (m_menu->isEmpty())
        m_menu
            ->addAction(error.isEmpty() ? tr("No Python interpreter found")
                                        : tr("Could not look: %1").arg(error))
            ->setEnabled(false);
    m_menu->addSeparator();
    m_menu->addAction(tr("Other file…"), this, &InterpreterPicker::addOther);
}

void InterpreterPicker::addOther() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Add a Python interpreter"));
    if (!path.isEmpty()) emit chosen(path);
}

}  // namespace coreduel::ui
