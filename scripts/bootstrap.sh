#!/usr/bin/env bash
# One entry point for people and CI, on Debian 12:
#   scripts/bootstrap.sh run [ARGS...]  install what is missing, get a free-threaded CPython
#                                       (cached), build, start coreduel
#   scripts/bootstrap.sh test           install what is missing, check the layers, build, run
#                                       every test, build and check the .deb, then the core
#                                       tests and the parser and session fuzzers under ASan +
#                                       UBSan, then the core tests under TSan
#   scripts/bootstrap.sh package        install what is missing, build, make the .deb in build/
#                                       and check it (contents, runs extracted, lintian)
# Installs with apt-get (non-interactive, only the packages that are missing) when run as
# root, or through sudo when that is available.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

# Why each package is here: see README.md, "Dependencies".
packages=(
  g++ cmake ninja-build pkg-config   # toolchain
  ccache                             # compiler cache in $HOME: the three builds of `test` and
                                     # every later clone on this machine reuse its objects
  python3                            # the py: models' interpreter, the lessons' real-Python parts,
                                     # the layer check
  libgmp-dev                         # exact big integers for the factorial workload
  libstb-dev                         # PNG/JPEG decoding for the image workload
  libzstd-dev                        # compression of session files (zstd frames)
  nettle-dev                         # SHA-256 of a native kernel's library (which file ran)
  openmpi-bin libopenmpi-dev         # the mpi model: mpirun, and the MPI library its ranks link
  nlohmann-json3-dev                 # result files and --json output
  libcli11-dev                       # command-line parsing for coreduel-cli
  libgtest-dev                       # the test suites
  qt6-base-dev                       # the GUI side (ui/): Qt 6 Core, Widgets, PDF writer
  qt6-svg-dev libqcustomplot-dev     # SVG export and the plots of the desktop app
  librsvg2-bin                       # rsvg-convert: the chart export test checks our SVG with librsvg
  fonts-dejavu-core                  # the chart font (DejaVu Sans), same on every machine
  xvfb xauth                         # xvfb-run: the end-to-end test drives the real window
  poppler-utils                      # pdftotext/pdffonts/pdftoppm: the report page checks
  dpkg-dev                           # dpkg-shlibdeps: the .deb's library dependencies (CPack)
  man-db                             # man: the generated man pages are rendered in a test
  lintian desktop-file-utils appstream  # the .deb, menu entry and metainfo checked as Debian does
)
# speedscope's importer reads our Chrome traces in a test: Debian's node and npm, unless the
# machine already has them (an image may ship its own Node in /usr/local).
command -v npm >/dev/null || packages+=(nodejs npm)

install_missing() {
  local missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "installing: ${missing[*]}"
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
    sudo=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -q
  "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
}

jobs=$(nproc 2>/dev/null || echo 2)

# ccache, when installed, makes the three builds of `test` (and rebuilds) much cheaper.
# Paths relative to the clone, so that a fresh clone in another folder (CI) hits the cache.
# The debug info's build folder is then the first clone's (ccache's hash_dir off): a gdb
# session in a later clone finds the sources by their relative paths.
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$here}" CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-1}"

configure() {  # configure DIR [cmake args...]
  local dir=$1; shift
  # Looked for here, after install_missing: a first run on a fresh machine uses it too.
  local launcher=()
  command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  cmake -S . -B "$dir" -G Ninja "${launcher[@]}" "$@" >/dev/null
}

build() {  # build DIR [cmake args...]
  local dir=$1; shift
  configure "$dir" "$@"
  cmake --build "$dir" -j "$jobs"
}

make_package() {  # the .deb from build/, checked; its path on stdout's last line
  rm -f build/coreduel_*.deb
  cmake --build build --target package >/dev/null
  local deb
  deb=$(ls build/coreduel_*.deb)
  scripts/check_package.sh "$deb"
  echo "$deb"
}

# A free-threaded CPython for the interpreter axis (--python python3,PATH) and the tests that
# compare a GIL build with one: any python3.14t / python3.13t on PATH, else one built once per
# machine from Debian trixie's python3.13 source package into ~/.cache/coreduel (about 10
# minutes on 2 cores; scripts/build_free_threaded_python.sh). Its path goes to the tests and
# the app in COREDUEL_FREE_THREADED_PYTHON. In CI (CI=true) a failed build fails the run:
# the tests that need it must not silently skip there.
free_threaded_python() {
  local path
  if path=$(scripts/build_free_threaded_python.sh); then
    export COREDUEL_FREE_THREADED_PYTHON="$path"
    echo "free-threaded python: $path"
  elif [ "${CI:-}" = true ]; then
    echo "error: no free-threaded python could be built (CI needs one)" >&2
    exit 1
  else
    echo "warning: no free-threaded python: the tests that need one will skip" >&2
  fi
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case "$cmd" in
  run)
    install_missing
    free_threaded_python
    build build -DCMAKE_BUILD_TYPE=RelWithDebInfo
    exec build/app/coreduel "$@"
    ;;
  test)
    install_missing
    echo "== a free-threaded CPython beside the GIL build (built once per machine, cached) =="
    free_threaded_python
    echo "== layers: every #include points down, no file over the size limit =="
    python3 scripts/check_layers.py
    build build -DCMAKE_BUILD_TYPE=RelWithDebInfo
    # The independent trace reader (tests/trace_check): speedscope, pinned, from npm. Without
    # the registry the trace test says SKIP instead of failing the build.
    mkdir -p build/trace-check
    cp tests/trace_check/package.json build/trace-check/
    (cd build/trace-check && npm install --no-audit --no-fund --silent) ||
      echo "warning: npm could not install speedscope: the trace test will be skipped"
    ctest --test-dir build --output-on-failure -j "$jobs"
    echo "== the Debian package: built, extracted and run, validated =="
    make_package
    echo "== core tests and the fuzzers under AddressSanitizer + UndefinedBehaviorSanitizer =="
    # Only what those tests run (the Qt side has its own coverage above).
    # -g1 (function names and line tables, what a sanitizer's report prints) instead of full
    # debug info: a third less compile time in both sanitizer builds.
    configure build-asan -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG=-g1 \
      -DCOREDUEL_SANITIZE=address
    cmake --build build-asan -j "$jobs" --target core_tests sampler_tests native_tests \
      parsers_fuzz session_fuzz
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
      ctest --test-dir build-asan --output-on-failure -j "$jobs" -L 'core|fuzz' \
        -E '/Python(Port|Fault)\.|PythonAxis\.'
    # (Left out above: the per-workload and per-fault runs of the real interpreter, and the
    # interpreter axis' runs of two real interpreters (PythonAxis), whose
    # engine side is the same executor the other Python tests run; CI's 30 minutes.)
    echo "== core tests under ThreadSanitizer =="
    # Only the core test programs (and the worker they start): the Qt side is not built here.
    configure build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -g1 -DNDEBUG" -DCOREDUEL_SANITIZE=thread
    cmake --build build-tsan -j "$jobs" --target core_tests sampler_tests native_tests
    # Left out: the two lesson tests that run every lesson end to end (minutes under TSan's
    # 5-15x slowdown, past their timeout; the same engine paths run in the other core tests),
    # and the real-interpreter runs (one engine thread talks to a child: nothing for TSan).
    # ForkSafety skips itself: TSan's runtime is not fork-safe with other threads running.
    TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
      ctest --test-dir build-tsan --output-on-failure -j "$jobs" -L core \
        -E '^Lessons(/EveryLesson\.RunsQuickAndExplainsItsOwnNumbers/.*|\.IsolationLosesUpdatesWithoutALockAndNeverWithOne)$|Python(Port|Fault|Runtime|Axis)\.'
    ;;
  package)
    install_missing
    build build -DCMAKE_BUILD_TYPE=RelWithDebInfo
    make_package
    echo "install it with: apt-get install ./$(ls build/coreduel_*.deb)"
    ;;
  *)
    echo "usage: scripts/bootstrap.sh run [coreduel args] | test | package" >&2
    exit 2
    ;;
esac
