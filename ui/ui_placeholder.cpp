// Intentionally empty: the GUI library is built by the desktop-app issue.
namespace coreduel::ui {
int placeholder() { return 0; }
}  // namespace coreduel::ui
