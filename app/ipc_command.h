#pragma once
// `coreduel-cli ipc`: the IPC lab from a terminal, one line per transport and size.

#include <cstddef>
#include <cstdint>
#include <string>

namespace coreduel::app {

/// "8", "4K", "1M": a message size from 1 B to 64 MiB. Throws InvalidArgument otherwise.
std::size_t parseSize(const std::string& text);

struct IpcCommandOptions {
    std::string mechanisms = "pipe,unix,mqueue,shm,thread-queue,spin";
    std::string sizes = "8,64,512,4K,32K,256K,1M,4M";
    double seconds = 0.2;  ///< per transport and size, all rounds together
    std::size_t rounds = 7;
    std::uint64_t seed = 0;  ///< of the rounds' order; 0: drawn, and printed
    unsigned spinUs = 0;
    std::string placement = "both";  ///< both, same, split, any (IpcPlacement)
    bool json = false;
};

int ipcCommand(const IpcCommandOptions& options);

}  // namespace coreduel::app
