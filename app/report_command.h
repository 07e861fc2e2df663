#pragma once
// `coreduel-cli report`: a saved result rendered in the format the output's extension names.

#include <string>

namespace coreduel::app {

int reportCommand(const std::string& resultPath, const std::string& outputPath);

}  // namespace coreduel::app
