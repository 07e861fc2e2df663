#pragma once
// Controls that change only when the user means it: the mouse wheel over a combo box, spin box
// or slider that does not have the keyboard focus scrolls the form it sits in instead of
// changing the value. Without it, scrolling the Experiment panel past Start method or
// Transport silently switched them (spawn -> forkserver, pipe -> unix), and an engineer
// benchmarked a configuration they never chose.

class QWidget;

namespace coreduel::ui {

/// Guards every combo box, spin box and slider below `root` (those that exist now): click or
/// tab into one to use the wheel on it.
void guardWheel(QWidget* root);

}  // namespace coreduel::ui
