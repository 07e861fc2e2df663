#pragma once
// The Real Python group's "Add interpreter" button: a menu of the interpreters this machine
// has (python3 and python3.X on PATH, free-threaded 3.13t/3.14t, the bootstrap's cache), each
// with its version and GIL state, a free-threaded one also "with the GIL forced on"; and any
// other file. Choosing one adds its spec to the experiment's interpreter list. The machine is
// asked (a short run of each interpreter) on a background job the first time the menu opens:
// the GUI thread never waits for a Python to start.

#include <QToolButton>

#include "ui/live/background_jobs.h"

class QMenu;

namespace coreduel {
struct InterpreterInfo;
}

namespace coreduel::ui {

class InterpreterPicker : public QToolButton {
    Q_OBJECT
public:
    explicit InterpreterPicker(QWidget* parent = nullptr);

signals:
    /// An interpreter spec to add: a path, "PATH:gil=1".
    void chosen(const QString& spec);

private:
    void lookFor();
    void fill(const std::vector<InterpreterInfo>& found, const QString& error);
    void addOther();

    QMenu* m_menu = nullptr;
    BackgroundJobs m_jobs;
    bool m_asked = false;
};

}  // namespace coreduel::ui
