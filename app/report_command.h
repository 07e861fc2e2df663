#pragma once
// `coreduel-cli report`: a saved result or session rendered in the format the output's
// extension names; `coreduel-cli export-trace`: a session as a Chrome trace (Perfetto).

#include <string>

namespace coreduel::app {

/// .pdf is drawn by the coreduel program (offscreen); other formats here.
int reportCommand(const std::string& inputPath, const std::string& outputPath);
int exportTraceCommand(const std::string& sessionPath, const std::string& outputPath);

}  // namespace coreduel::app
