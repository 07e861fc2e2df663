#!/usr/bin/env bash
# A free-threaded CPython (built with --disable-gil) for the interpreter axis, on a Debian 12
# machine that has none: Debian trixie's own python3.13 source package, at a pinned version,
# fetched with apt-get source through a private apt configuration (the machine's sources.list,
# lists and caches stay untouched), built upstream's way without PGO/LTO (minutes, not an hour)
# into a cache folder in $HOME, once per machine.
#
#   scripts/build_free_threaded_python.sh          build if needed; print the interpreter's path
#   scripts/build_free_threaded_python.sh --path   print the path the cache would have (no build)
#
# Nothing is built when a free-threaded interpreter is already on PATH (python3.14t,
# python3.13t) or in the cache: its path is printed instead. The cache is complete or absent:
# the build installs into a temporary folder that is renamed into place, and the marker file
# (.complete) is written last.
set -euo pipefail

debian_version=3.13.5-2+deb13u5          # trixie's python3.13 (apt-cache showsrc python3.13)
upstream_version=${debian_version%%-*}   # 3.13.5
suite=trixie
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
cache_root=${COREDUEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/coreduel}
prefix=$cache_root/cpython-${upstream_version}t-${debian_version}
interpreter=$prefix/bin/python3.13t

if [ "${1:-}" = --path ]; then
  echo "$interpreter"
  exit 0
fi

is_free_threaded() {  # is_free_threaded PYTHON: a build with Py_GIL_DISABLED
  "$1" -c 'import sysconfig, sys; sys.exit(0 if sysconfig.get_config_var("Py_GIL_DISABLED") else 1)' \
    2>/dev/null
}

if [ -f "$prefix/.complete" ] && is_free_threaded "$interpreter"; then
  echo "$interpreter"
  exit 0
fi
for name in python3.14t python3.13t; do
  if found=$(command -v "$name") && is_free_threaded "$found"; then
    echo "$found"
    exit 0
  fi
done

log() { echo "free-threaded python: $*" >&2; }

# What the build needs: a compiler, make, dpkg-source. The optional modules whose -dev
# libraries are missing are left out by configure (the runtime needs none of them: its
# hashlib falls back to the built-in HACL* sha256 without OpenSSL).
need=(gcc make dpkg-dev xz-utils debian-archive-keyring)
missing=()
for p in "${need[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing: ${missing[*]}"
  sudo=()
  [ "$(id -u)" -ne 0 ] && sudo=(sudo)
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends \
    "${missing[@]}" >&2
fi

mkdir -p "$cache_root"
work=$(mktemp -d "${TMPDIR:-/tmp}/coreduel-cpython.XXXXXX")
staging=$prefix.partial
# Whatever happens, no temporary folder and no half-installed interpreter is left behind.
trap 'rm -rf "$work" "$staging"' EXIT
# apt downloads as its sandbox user (_apt): the private folders must be reachable by it.
chmod 755 "$work"
mkdir -p "$work/apt/lists/partial" "$work/apt/cache/archives/partial" "$work/apt/parts" "$work/src"
echo "deb-src [signed-by=$keyring] http://deb.debian.org/debian $suite main" >"$work/apt/sources.list"
chmod -R a+rwX "$work/apt" "$work/src"
apt_private=(
  -o "Dir::Etc::SourceList=$work/apt/sources.list"
  -o "Dir::Etc::SourceParts=$work/apt/parts"
  -o "Dir::State::Lists=$work/apt/lists"
  -o "Dir::Cache=$work/apt/cache"
)

log "fetching Debian's python3.13 $debian_version source package (signed index, checked hashes)"
apt-get -q "${apt_private[@]}" update >&2
(cd "$work/src" && apt-get -q "${apt_private[@]}" source --download-only \
  "python3.13=$debian_version" >&2)
dsc=$(ls "$work"/src/python3.13_*.dsc)
# The .dsc and the tarballs were checked against the signed Sources index by apt; dpkg-source
# checks the tarballs against the .dsc again while unpacking.
dpkg-source -x "$dsc" "$work/src/python3.13" >&2

log "building with --disable-gil into $prefix (about 10 minutes on 2 cores)"
rm -rf "$staging"
build=$work/build
mkdir -p "$build"
(
  cd "$build"
  # Upstream's configure, not Debian's rules: no PGO, no LTO, no Debian patches applied at
  # build time beyond those dpkg-source already applied (quilt format 3.0).
  "$work/src/python3.13/configure" --disable-gil --prefix="$prefix" --without-ensurepip \
    --disable-test-modules >"$work/configure.log" 2>&1 ||
    { tail -30 "$work/configure.log" >&2; exit 1; }
  nice make -j"$(nproc)" >"$work/make.log" 2>&1 || { tail -40 "$work/make.log" >&2; exit 1; }
  # Installed under the final prefix's name through DESTDIR, then moved: the cache appears
  # whole or not at all.
  make install DESTDIR="$staging" >"$work/install.log" 2>&1 ||
    { tail -30 "$work/install.log" >&2; exit 1; }
)
rm -rf "$prefix"
mv "$staging$prefix" "$prefix"
rm -rf "$staging"
is_free_threaded "$interpreter" || { log "the built interpreter is not free-threaded"; exit 1; }
echo "debian $debian_version, built $(date -u +%FT%TZ)" >"$prefix/.complete"
log "ready: $interpreter"
echo "$interpreter"
