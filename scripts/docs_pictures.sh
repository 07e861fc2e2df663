#!/usr/bin/env bash
# Retakes the pictures in docs/pictures/ from real runs on this machine, at a laptop's or a
# projector's 1366x768 and a desk's 1920x1080 (issue 24):
#   scripts/docs_pictures.sh BUILD_DIR [OUT_DIR]      (needs xvfb-run; ~3 minutes)
# - the main window after docs/examples/cpu_bound.json (light at 1366, dark at 1920);
# - presentation mode on the GIL lesson (quick), explain step, at both sizes;
# - every chart as File > Export > All charts writes it (--export-charts), at both sizes,
#   the IPC lab's included (--ipc-lab).
# Run it on an idle machine: the pictures say what the machine was doing (warnings included).
set -euo pipefail
build=${1:?usage: docs_pictures.sh BUILD_DIR [OUT_DIR]}
out=${2:-docs/pictures}
gui=$build/app/coreduel
cli=$build/app/coreduel-cli
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"

echo "running docs/examples/cpu_bound.json (coreduel-cli, streamed to a session)"
"$cli" run -f docs/examples/cpu_bound.json --session "$work/cpu.coreduel" >"$work/run.txt"

shot() {  # shot SIZE THEME ARGS...: the window on an Xvfb screen of SIZE
  local size=$1 theme=$2
  shift 2
  xvfb-run -a -s "-screen 0 ${size}x24" "$gui" --theme "$theme" --quit-when-done "$@" \
    2> >(grep -v -E "XDG_RUNTIME_DIR|propagateSizeHints" >&2)
}

for spec in 1366x768:light 1920x1080:dark; do
  size=${spec%%:*} theme=${spec##*:}
  echo "window, charts and IPC lab at $size ($theme)"
  shot "$size" "$theme" "$work/cpu.coreduel" --show speedup \
    --screenshot "$out/window-$size-$theme.png"
  mkdir -p "$work/charts-$size"
  shot "$size" light "$work/cpu.coreduel" --export-charts "$work/charts-$size" \
    --export-size "$size"
  shot "$size" light --ipc-lab --export-charts "$work/charts-$size" --export-size "$size"
  for f in "$work/charts-$size"/*.png; do
    name=$(basename "$f" .png)
    cp "$f" "$out/export-${name%%-*}-$size.png"
  done
  echo "presentation mode at $size"
  shot "$size" light --lesson gil --quick --present --screenshot "$out/present-$size.png"
done
ls -l "$out"
