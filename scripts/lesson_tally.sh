#!/usr/bin/env bash
# Runs each lesson's quick size N times (default 10) and tallies what it concluded: shown, the
# machine was busy or its CPUs ran slow, too few cores, or not shown on a quiet machine (the
# measurement contradicted the claim; those outputs are kept in $TMPDIR for reading).
# Usage: scripts/lesson_tally.sh [N]   (after a build in build/)
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
N=${1:-10}
CLI=build/app/coreduel-cli
for l in $("$CLI" lesson | grep -E '^[0-9]{2}-' | sed 's/^[0-9]*-//'); do
    shown=0 busy=0 cores=0 contra=0 err=0
    for i in $(seq "$N"); do
        out=$(timeout 300 "$CLI" lesson "$l" --quick 2>&1)
        rc=$?
        if grep -q "This run did not show" <<<"$out"; then
            if grep -q "The machine was busy\|The CPUs ran slow" <<<"$out"; then
                busy=$((busy + 1))
            elif grep -q "lets CoreDuel use only" <<<"$out"; then
                cores=$((cores + 1))
            else
                contra=$((contra + 1))
                echo "$out" >"${TMPDIR:-/tmp}/lesson-tally-$l-$i.txt"
            fi
        elif [ "$rc" -ne 0 ]; then
            err=$((err + 1))
        else
            shown=$((shown + 1))
        fi
    done
    printf "%-16s shown %2d  busy-or-slow %2d  too-few-cores %2d  not-shown-quiet %2d  error %2d\n" \
        "$l" "$shown" "$busy" "$cores" "$contra" "$err"
done
