#include "app/report_command.h"

#include <iostream>

#include "core/report/formats.h"
#include "core/report/schema.h"

namespace coreduel::app {

int reportCommand(const std::string& resultPath, const std::string& outputPath) {
    const auto result = loadResultFile(resultPath);
    writeFileAtomically(outputPath, renderForFile(result, outputPath));
    std::cerr << "wrote " << outputPath << '\n';
    return 0;
}

}  // namespace coreduel::app
