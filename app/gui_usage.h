#pragma once
// What `coreduel --help` prints. It lives apart from gui_main.cpp (and free of Qt) so that
// coreduel-docgen writes the coreduel(1) man page from the very same text.

namespace coreduel::app {

const char* guiUsage();

}  // namespace coreduel::app
