#pragma once
// The version every program prints with --version: the project's version from CMake and, in
// a git checkout, `git describe` of the tree it was built from.

namespace coreduel {

/// "0.1.0"
const char* versionNumber();
/// "0.1.0 (git b426630-dirty)" in a checkout, "0.1.0" from a source tarball.
const char* versionString();

}  // namespace coreduel
