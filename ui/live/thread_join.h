#pragma once
// Every join of a thread in ui/ goes through here. The GUI thread may only ever reap a thread
// that has already finished (joining it then returns at once); joining one that still runs
// would freeze the window for as long as it runs. Such a join is counted, warned about, and
// fatal in debug builds, so a test or a developer notices the first one.

#include <atomic>
#include <thread>

namespace coreduel::ui {

/// True on the thread that runs the QApplication's event loop.
[[nodiscard]] bool onGuiThread();

/// Joins `thread`. `finished` says whether its function has already returned; a join on the
/// GUI thread with `finished` false is a blocking join (see blockingGuiJoins()).
void joinThread(std::thread& thread, bool finished);

/// Blocking joins on the GUI thread so far, in this process.
[[nodiscard]] int blockingGuiJoins();
/// Whether a blocking join aborts (default: in debug builds). Tests that provoke one on
/// purpose turn it off.
void setBlockingGuiJoinFatal(bool fatal);
[[nodiscard]] bool blockingGuiJoinFatal();

}  // namespace coreduel::ui
