#include "core/exec/exec_result.h"

namespace coreduel {

TimeBreakdown& TimeBreakdown::operator+=(const TimeBreakdown& o) {
    startupNs += o.startupNs;
    computeNs += o.computeNs;
    blockedNs += o.blockedNs;
    encodeNs += o.encodeNs;
    decodeNs += o.decodeNs;
    transferNs += o.transferNs;
    lockWaitNs += o.lockWaitNs;
    idleNs += o.idleNs;
    teardownNs += o.teardownNs;
    engineEncodeNs += o.engineEncodeNs;
    engineDecodeNs += o.engineDecodeNs;
    engineTransferNs += o.engineTransferNs;
    return *this;
}

}  // namespace coreduel
