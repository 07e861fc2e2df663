#pragma once
// What every part of coreduel-mpi-worker shares: message tags, a polite wait for a message,
// and how a rank names its host.
//
// Open MPI's blocking receives spin on the CPU until the message comes. An idle rank that
// spins takes a core from the ranks that compute (this program often runs more ranks than
// cores: rank 0 only coordinates) and shows as busy in every CPU figure. So ranks wait by
// probing, spinning only briefly, then sleeping in steps that grow to a fraction of a
// millisecond: an idle rank is idle, at the price of at most that much latency when it wakes.

#include <mpi.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>

namespace coreduel::mpi {

enum Tag : int {
    kTagData = 1,   ///< protocol.h frames (bytes), both ways; an empty message ends the stream
    kTagClock = 2,  ///< i64: rank 0's ping (its clock; -1 ends the exchange) and the answer
    kTagInfo = 3,   ///< a RankInfo (mpi_wire.h), rank -> 0, once ready
    kTagFinal = 4,  ///< a RankFinal and the host's samples, rank -> 0, at the end
    kTagPing = 5    ///< the IPC lab's ping-pong
};

/// Spin a little, then sleep in growing steps (10 us doubling to 250 us).
class Backoff {
public:
    void reset() { m_idle = 0; }
    void pause() {
        if (++m_idle <= 64) return;
        const long ns = std::min<long>(250'000, 10'000L << std::min(m_idle - 64, 5));
        const timespec ts{0, ns};
        ::nanosleep(&ts, nullptr);
    }

private:
    int m_idle = 0;
};

/// Waits (without spinning a core) for a message from `source` with `tag`; returns its size
/// in bytes and the sender.
inline int waitForMessage(int source, int tag, int* from = nullptr) {
    Backoff backoff;
    for (;;) {
        int flag = 0;
        MPI_Status st;
        MPI_Iprobe(source, tag, MPI_COMM_WORLD, &flag, &st);
        if (flag) {
            int count = 0;
            MPI_Get_count(&st, MPI_BYTE, &count);
            if (from != nullptr) *from = st.MPI_SOURCE;
            return count;
        }
        backoff.pause();
    }
}

/// The host a rank reports: COREDUEL_HOST_LABEL when set (several "hosts" that share one
/// machine, as a launcher agent can make them), else the machine's host name.
inline std::string hostLabel() {
    if (const char* label = std::getenv("COREDUEL_HOST_LABEL"); label != nullptr && *label)
        return label;
    char name[256] = {};
    ::gethostname(name, sizeof name - 1);
    return name;
}

}  // namespace coreduel::mpi
