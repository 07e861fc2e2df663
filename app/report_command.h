#pragma once
// `coreduel-cli report`: a saved result or session rendered in the format the output's
// extension names; `coreduel-cli export-trace`: a session as a Chrome trace (Perfetto).

#include <cstddef>
#include <string>

namespace coreduel::app {

/// .pdf is drawn by the coreduel program (offscreen); other formats here. `part` (from 1)
/// picks one part of a lesson's session; 0 reports every part.
int reportCommand(const std::string& inputPath, const std::string& outputPath,
                  std::size_t part = 0);
int exportTraceCommand(const std::string& sessionPath, const std::string& outputPath);

}  // namespace coreduel::app
