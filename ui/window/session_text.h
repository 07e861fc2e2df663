#pragma once
// What the window says about a session: the line shown when one is opened (its size, what it
// holds, and whether it was damaged or cut off — told apart as the reader told them) and the
// title of each of its parts. Pure functions of the session, so every place says the same.

#include <QString>
#include <cstddef>

#include "core/session/session.h"

namespace coreduel::ui {

/// "Opened session a.coreduel: 6 runs, …", with the damage or interruption the reader found.
/// `shown`: the part the charts show (0-based).
[[nodiscard]] QString openedSessionText(const Session& session, const QString& fileName, int shown);

/// "2 of 3: with a lock", and what became of a part that did not end.
[[nodiscard]] QString partTitle(const SessionPart& part, std::size_t index, std::size_t count);

}  // namespace coreduel::ui
