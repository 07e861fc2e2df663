#pragma once
// coreduel-cli bench: the performance goals, each as a ratio measured in the same run.

namespace coreduel::app {

int benchCommand(bool quick);

}  // namespace coreduel::app
