#pragma once
// The engine's error vocabulary, at the bottom of the layers so every layer can throw it.
// System calls throw std::system_error naming the call (util/sys.h); broken internal
// assumptions throw std::logic_error and are reported as bugs, never as a failed run.

#include <stdexcept>

namespace coreduel {

/// Bad user input (parameters, worker counts, names). The message says what is allowed.
class InvalidArgument : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

}  // namespace coreduel
