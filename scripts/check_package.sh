#!/usr/bin/env bash
# Checks a built coreduel .deb as Debian and a user would:
#   scripts/check_package.sh build/coreduel_*.deb
# - its contents (programs, worker, data, menu entry, icon, metainfo, man pages, completion,
#   copyright, changelog) and its dependencies (from dpkg-shlibdeps plus ours);
# - extracted with dpkg-deb -x into a temporary folder, its programs run from there: --version,
#   and a tiny experiment that must find the worker and the lessons inside that folder;
# - desktop-file-validate, appstreamcli validate --no-net, and lintian with no errors.
# Exit status 1 names every failed check.
set -uo pipefail

deb=${1:?usage: scripts/check_package.sh PACKAGE.deb}
[ -f "$deb" ] || { echo "check_package: no such file: $deb" >&2; exit 1; }
failures=()
fail() { failures+=("$1"); echo "FAIL: $1"; }
ok() { echo "ok:   $1"; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "== contents of $(basename "$deb") =="
dpkg-deb --contents "$deb" | awk '{print $6}' | sed 's|^\./|/|' >"$tmp/contents"
for path in /usr/bin/coreduel /usr/bin/coreduel-cli /usr/libexec/coreduel/coreduel-worker \
    /usr/share/applications/org.coreduel.CoreDuel.desktop \
    /usr/share/metainfo/org.coreduel.CoreDuel.metainfo.xml \
    /usr/share/icons/hicolor/scalable/apps/coreduel.svg \
    /usr/share/man/man1/coreduel.1.gz /usr/share/man/man1/coreduel-cli.1.gz \
    /usr/share/man/man1/coreduel-cli-run.1.gz /usr/share/man/man1/coreduel-cli-profile.1.gz \
    /usr/share/bash-completion/completions/coreduel-cli \
    /usr/share/bash-completion/completions/coreduel \
    /usr/share/coreduel/lessons/01-gil.json /usr/share/coreduel/examples/io_threads.py \
    /usr/share/coreduel/python/coreduel_py/runner.py \
    /usr/share/doc/coreduel/copyright /usr/share/doc/coreduel/changelog.gz; do
  if grep -qx "$path" "$tmp/contents"; then ok "contains $path"; else fail "missing $path"; fi
done
# coreduel-mpi-worker is there where the package was built with Open MPI (the mpi model).
unexpected=$(grep -E '^/usr/(bin|libexec)/' "$tmp/contents" |
  grep -vE '/$|coreduel(-cli|-worker)?$|/usr/libexec/coreduel/coreduel-mpi-worker$')
[ -z "$unexpected" ] || fail "unexpected programs: $(tr '\n' ' ' <<<"$unexpected")"

depends=$(dpkg-deb --field "$deb" Depends)
echo "Depends: $depends"
for dep in libqt6widgets6 libqcustomplot2.1 libgmp10 libc6 fonts-dejavu-core; do
  if grep -q "$dep" <<<"$depends"; then ok "depends on $dep"; else fail "no dependency on $dep"; fi
done

echo "== the extracted package runs from where it lies =="
root="$tmp/root"
dpkg-deb -x "$deb" "$root"
# Nothing from the build may help it: the worker and the data must come from the package.
unset COREDUEL_WORKER COREDUEL_DATA_DIR COREDUEL_LESSONS
for prog in coreduel-cli coreduel; do
  if out=$("$root/usr/bin/$prog" --version 2>&1) && grep -q "^$prog [0-9]" <<<"$out"; then
    ok "$prog --version: $out"
  else
    fail "$prog --version: $out"
  fi
done
out=$("$root/usr/libexec/coreduel/coreduel-worker" --version 2>&1) && ok "coreduel-worker --version: $out" ||
  fail "coreduel-worker --version: $out"
listing=$("$root/usr/bin/coreduel-cli" list --json 2>&1)
worker=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["worker_program"])' <<<"$listing")
lessons=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["lessons_directory"])' <<<"$listing")
[ "$worker" = "$root/usr/libexec/coreduel/coreduel-worker" ] && ok "worker found in the package" ||
  fail "worker found at '$worker', not in the package"
[ "$lessons" = "$root/usr/share/coreduel/lessons" ] && ok "lessons found in the package" ||
  fail "lessons found at '$lessons', not in the package"
if out=$("$root/usr/bin/coreduel-cli" run -w primes -p end=20000 -p tasks=8 \
    -m sequential,threads,processes -n 2 -q 2>&1); then
  ok "a tiny experiment ran and verified (sequential, threads, processes)"
else
  fail "the tiny experiment failed: $out"
fi
if out=$("$root/usr/bin/coreduel-cli" run -w square -p count=50 -m py:threads,py:processes -n 2 \
    -q 2>&1); then
  ok "the py: models ran from the package's coreduel_py and verified"
else
  fail "the py: models failed from the package: $out"
fi
if grep -q '__pycache__\|\.pyc$' "$tmp/contents"; then
  fail "the package ships Python byte code"
else
  ok "no Python byte code in the package"
fi
if out=$("$root/usr/bin/coreduel-cli" lesson 2>&1) && grep -q "gil" <<<"$out"; then
  ok "coreduel-cli lesson lists the packaged lessons"
else
  fail "coreduel-cli lesson: $out"
fi

echo "== validators =="
if command -v desktop-file-validate >/dev/null; then
  out=$(desktop-file-validate "$root/usr/share/applications/org.coreduel.CoreDuel.desktop" 2>&1)
  [ -z "$out" ] && ok "desktop-file-validate" || fail "desktop-file-validate: $out"
else
  fail "desktop-file-validate is not installed (desktop-file-utils)"
fi
if command -v appstreamcli >/dev/null; then
  out=$(appstreamcli validate --no-net --pedantic \
    "$root/usr/share/metainfo/org.coreduel.CoreDuel.metainfo.xml" 2>&1) &&
    ok "appstreamcli validate --no-net --pedantic" || fail "appstreamcli validate: $out"
else
  fail "appstreamcli is not installed (appstream)"
fi
if command -v lintian >/dev/null; then
  # Errors fail; warnings and infos are printed for whoever reads the log.
  lintian --fail-on error --display-info "$deb" >"$tmp/lintian" 2>&1
  rc=$?
  sed 's/^/  lintian: /' "$tmp/lintian"
  [ $rc -eq 0 ] && ok "lintian: no errors" || fail "lintian found errors (above)"
else
  fail "lintian is not installed"
fi

echo
if [ ${#failures[@]} -gt 0 ]; then
  echo "package check: ${#failures[@]} failed:"
  printf '  %s\n' "${failures[@]}"
  exit 1
fi
echo "package check: every check passed"
