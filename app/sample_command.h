#pragma once
// `coreduel-cli sample`: per-core utilization once a second, to hold against mpstat -P ALL 1.

namespace coreduel::app {

int sampleCommand(double seconds, double hz);

}  // namespace coreduel::app
