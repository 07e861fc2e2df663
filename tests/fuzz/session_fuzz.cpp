// Fuzz target for the session reader (core/session): any bytes after a session's format line
// are either read, with damaged stretches told in Session::damage and a cut tail in
// Session::truncation, or refused with SessionFormatError. A crash, a hang, an allocation
// of what a damaged size field claims, or any other exception is a bug. What was read is
// also written as a Chrome trace, which must cope with what damage leaves (runs without a
// start, parts without an experiment).
//
// Built with driver.cpp (seeds: tests/fuzz/session_seeds, small real sessions), or with clang
// and -fsanitize=fuzzer as parsers_fuzz.cpp says.

#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>

#include "core/session/chrome_trace.h"
#include "core/session/session.h"
#include "core/session/session_codec.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace coreduel;
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    try {
        const Session s = parseSession(input, "fuzz.coreduel");
        (void)sessionLoadNotes(s);
        std::ostringstream trace;
        (void)writeChromeTrace(s, trace);
    } catch (const SessionFormatError&) {
        // Not a session, or nothing of an experiment in it: refused, as documented.
    }
    return 0;
}
