#pragma once
// coreduel-cli profile [options] -- CMD ARGS... [--vs -- CMD2 ARGS...]

namespace coreduel::app {

/// What `coreduel-cli profile --help` prints (its man page is made from the same text).
const char* profileUsage();

/// argv from the word after "profile". Returns the exit code (2 for bad usage).
int profileCommand(int argc, char** argv);

}  // namespace coreduel::app
