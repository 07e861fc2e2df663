#pragma once
// `coreduel-cli lesson`: the lessons of resources/lessons/ from a terminal — the question,
// the predictions (given as --predict MODEL=SPEEDUP, so it works without a keyboard), the run,
// and the explanation filled in with the numbers just measured.

#include <map>
#include <string>
#include <vector>

namespace coreduel::app {

struct LessonOptions {
    std::string name;  ///< empty: list the lessons
    bool quick = false;
    std::map<std::string, double> predictions;  ///< model name -> predicted speedup
    std::string output;                         ///< result file, as for `run -o`
    std::string session;  ///< session file: every part, streamed as it runs (run --session)
};

int runLessonCommand(const LessonOptions& options);

/// "--predict MODEL=SPEEDUP" values into options.predictions. Throws InvalidArgument for a
/// speedup that is not a non-negative number.
void parsePredictions(const std::vector<std::string>& values, LessonOptions& options);

}  // namespace coreduel::app
