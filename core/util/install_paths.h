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

/// $COREDUEL_MPI_WORKER, else coreduel-mpi-worker next to this program or in
/// ../libexec/coreduel; "" when there is none (built only where Open MPI's headers were).
std::string mpiWorkerExecutable();

/// The folder holding lessons/ and examples/: $COREDUEL_DATA_DIR, else ../share/coreduel
/// relative to this program when it has lessons/ (installed), else the source tree's resources/.
std::string dataDirectory();

/// The coreduel_py package's parent folder (what goes on the interpreter's sys.path):
/// $COREDUEL_PYTHON_DIR, else dataDirectory()/python.
std::string pythonPackageDirectory();

/// `name` looked up on $PATH as a shell would (the first executable file of that name); a name
/// with a slash is taken as a path. "" when there is none.
std::string findOnPath(const std::string& name);

}  // namespace coreduel
