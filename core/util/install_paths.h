#pragma once
// Where the programs find their helper and their data, relative to their own location, so the
// same binaries work from the build folder and from an installed prefix (/usr, /usr/local, a
// folder a .deb was extracted into).
//
//   installed:    PREFIX/bin/coreduel-cli
//                 PREFIX/libexec/coreduel/coreduel-worker
//                 PREFIX/share/coreduel/{lessons,examples}
//   build folder: build/app/coreduel-cli next to build/app/coreduel-worker; the data stays in
//                 the source tree's resources/

#include <string>

namespace coreduel {

/// The folder of the running executable ("" when /proc/self/exe cannot be read).
std::string executableDirectory();

/// $COREDUEL_WORKER, else coreduel-worker next to this program (build folder), else in
/// ../libexec/coreduel relative to it (installed); "coreduel-worker" when neither exists, so the
/// spawn fails with a clear error naming it.
std::string workerExecutable();

/// The folder holding lessons/ and examples/: $COREDUEL_DATA_DIR, else ../share/coreduel
/// relative to this program when it has lessons/ (installed), else the source tree's resources/.
std::string dataDirectory();

}  // namespace coreduel
