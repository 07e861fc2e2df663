#!/usr/bin/env bash
# What the live window costs a run it measures: its GUI thread's CPU (the window's own account)
# and the X server's (Xvfb's CPU time from /proc), each as % of one core over the run.
#   scripts/window_cost.sh BUILD_DIR [EXPERIMENT.json] [N]      (needs Xvfb)
# Alternate it with another build's BUILD_DIR to compare like with like on a noisy machine.
set -euo pipefail
build=${1:?usage: window_cost.sh BUILD_DIR [EXPERIMENT.json] [N]}
work=$(mktemp -d)
trap 'kill "$xvfb" 2>/dev/null; rm -rf "$work"' EXIT
experiment=${2:-$work/exp.json}
[ -n "${2:-}" ] || cat >"$experiment" <<'JSON'
{"schema": "coreduel.experiment/1", "workload": "primes",
 "models": ["sequential", "threads", "processes"], "workers": [1, 2], "repetitions": 3}
JSON
display=:$((90 + RANDOM % 100))
Xvfb "$display" -screen 0 1920x1080x24 >/dev/null 2>&1 &
xvfb=$!
sleep 1
cpu() { awk '{print $14 + $15}' "/proc/$xvfb/stat"; }  # utime + stime, in clock ticks
for _ in $(seq "${3:-1}"); do
  x0=$(cpu) t0=$(date +%s.%N)
  DISPLAY=$display "$build/app/coreduel" --run "$experiment" --quit-when-done \
    --export-result "$work/out.json" 2>"$work/err.txt"
  x1=$(cpu) t1=$(date +%s.%N)
  gui=$(grep -o "used [0-9.]* % of one core.*" "$work/err.txt" || echo "(no figure)")
  awk -v x0="$x0" -v x1="$x1" -v t0="$t0" -v t1="$t1" -v hz="$(getconf CLK_TCK)" -v gui="$gui" \
    'BEGIN { printf "X server %.2f %% of one core over %.1f s; window: %s\n", (x1 - x0) / hz / (t1 - t0) * 100, t1 - t0, gui }'
done
