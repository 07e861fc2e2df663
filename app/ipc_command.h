#pragma once
// `coreduel-cli ipc`: the IPC lab from a terminal, one line per transport and size.

#include <cstddef>
#include <string>

namespace coreduel::app {

/// "8", "4K", "1M": a message size from 1 B to 64 MiB. Throws InvalidArgument otherwise.
std::size_t parseSize(const std::string& text);

int ipcCommand(const std::string& mechanisms, const std::string& sizes, double seconds, bool json);

}  // namespace coreduel::app
