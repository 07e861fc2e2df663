#!/usr/bin/env bash
# A session of a gil-threads + processes run, and a lesson's session of three parts, exported as
# Chrome traces and read by an independent parser: speedscope's own Trace Event importer
# (speedscope_check.cjs).
#   check_trace.sh COREDUEL_CLI MODULES_DIR
# MODULES_DIR holds node_modules/speedscope (scripts/bootstrap.sh test installs it there:
#   npm install --prefix MODULES_DIR speedscope@1.25.0). Exit 77 (skipped) without node or it.
set -uo pipefail
cli=$1 modules=$2/node_modules
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
command -v node >/dev/null || { echo "SKIP: node is not installed"; exit 77; }
[ -d "$modules/speedscope" ] || { echo "SKIP: no $modules/speedscope (see scripts/bootstrap.sh)"; exit 77; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$cli" run -w primes -p end=400000 -p tasks=32 -m sequential,gil-threads,processes -n 2 -q \
  --session "$tmp/run.coreduel" >/dev/null || { echo "FAIL: the run failed"; exit 1; }
"$cli" export-trace "$tmp/run.coreduel" -o "$tmp/trace.json" || { echo "FAIL: export-trace"; exit 1; }

out=$(NODE_PATH="$modules" node "$here/speedscope_check.cjs" "$tmp/trace.json" 2>&1)
rc=$?
echo "$out" | cut -c1-240
[ $rc -eq 0 ] || { echo "FAIL: speedscope rejected the trace or warned (exit $rc)"; exit 1; }
# One thread profile per worker of every run: sequential 1, gil-threads 2, processes 2.
profiles=$(grep -c '^- "run ' <<<"$out")
[ "$profiles" -eq 5 ] || { echo "FAIL: $profiles thread profiles, expected 5"; exit 1; }
# gil-threads tasks hold the GIL inside: depth 2 on both of its threads; process tasks: 1.
gil=$(grep '^- "run .*gil-threads' <<<"$out" | grep -c 'max depth 2,')
[ "$gil" -eq 2 ] || { echo "FAIL: GIL holds are not nested in the gil-threads tasks"; exit 1; }
processes=$(grep '^- "run .*processes' <<<"$out")
grep -q 'max depth 1,' <<<"$processes" ||
  { echo "FAIL: the process workers' tasks are not plain slices"; exit 1; }
echo "trace: speedscope imported every thread without a warning"

# A lesson's session of three parts: every run of every part is a process of its own, named by
# its part, and speedscope reads them all without a warning.
"$cli" lesson isolation --quick --session "$tmp/lesson.coreduel" >/dev/null 2>&1 ||
  { echo "FAIL: the lesson failed"; exit 1; }
"$cli" export-trace "$tmp/lesson.coreduel" -o "$tmp/lesson.json" ||
  { echo "FAIL: export-trace of the lesson"; exit 1; }
out=$(NODE_PATH="$modules" node "$here/speedscope_check.cjs" "$tmp/lesson.json" 2>&1)
rc=$?
[ $rc -eq 0 ] || { echo "$out" | cut -c1-240; echo "FAIL: speedscope rejected the lesson's trace or warned (exit $rc)"; exit 1; }
for part in '1 (no lock)' '2 (with a lock)' '3 (shared memory with a lock)'; do
  grep -q "^- \"part $part · run " <<<"$out" || { echo "FAIL: no thread of part $part"; exit 1; }
done
echo "trace: speedscope imported every part of the lesson's session without a warning"
