#include "core/util/version.h"

#include "coreduel_version.h"  // generated into the build folder by cmake/version.cmake

namespace coreduel {

const char* versionNumber() {
    return COREDUEL_VERSION;
}
const char* versionString() {
    return COREDUEL_VERSION_FULL;
}

}  // namespace coreduel
