#pragma once
// `coreduel-cli list`: the workloads with their parameters, the models, start methods and
// schedules, as text or JSON.

namespace coreduel::app {

int listCommand(bool json);

}  // namespace coreduel::app
