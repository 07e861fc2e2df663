#!/usr/bin/env bash
# The generated man pages and bash completion, as a user meets them:
#   docs_test.sh DOC_DIR COREDUEL_CLI COREDUEL COREDUEL_WORKER
# - every page renders with man(1) without a single groff warning;
# - every option that `coreduel-cli COMMAND --help` prints is on that command's page;
# - completing real command lines in bash offers the right words;
# - every program answers --version.
set -uo pipefail
doc=$1 cli=$2 gui=$3 worker=$4
failures=0
check() {  # check WHAT COMMAND...: runs the command, counts a failure
  local what=$1
  shift
  if "$@"; then echo "ok:   $what"; else echo "FAIL: $what"; failures=$((failures + 1)); fi
}

command -v man >/dev/null || { echo "FAIL: man is not installed (man-db)"; exit 1; }

# ---- man pages ------------------------------------------------------------------------------
pages=("$doc"/man/*.1.gz)
[ ${#pages[@]} -ge 10 ] || { echo "FAIL: only ${#pages[@]} man pages in $doc/man"; exit 1; }
for page in "${pages[@]}"; do
  # What lintian runs: groff's warnings on stderr mean a broken page.
  warnings=$(LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 man --warnings -E UTF-8 -l -Tutf8 -Z \
    "$page" 2>&1 >/dev/null)
  check "$(basename "$page") renders without warnings${warnings:+: $warnings}" test -z "$warnings"
done

render() { MANWIDTH=200 man -l "$1" 2>/dev/null | col -bx; }
subcommands=$("$cli" --help | awk '/^Subcommands:/{on=1; next} on && /^  [a-z]/{print $1}')
[ -n "$subcommands" ] || { echo "FAIL: no subcommands in coreduel-cli --help"; exit 1; }
for sub in $subcommands profile; do
  page="$doc/man/coreduel-cli-$sub.1.gz"
  check "coreduel-cli-$sub.1.gz exists" test -f "$page" || continue
  text=$(render "$page")
  missing=""
  for opt in $("$cli" $sub --help | grep -oE '(^|[ ,])--?[A-Za-z][-A-Za-z0-9]*' | tr -d ' ,' | sort -u); do
    grep -qF -- "$opt" <<<"$text" || missing+=" $opt"
  done
  check "every option of 'coreduel-cli $sub --help' is on its page${missing:+ (missing:$missing)}" \
    test -z "$missing"
  check "coreduel-cli.1 lists $sub" grep -qE "^ *$sub( |$)" <(render "$doc/man/coreduel-cli.1.gz")
done
text=$(render "$doc/man/coreduel.1.gz")
for opt in $("$gui" --help | grep -oE '^  --?[A-Za-z][-A-Za-z0-9]*' | tr -d ' ' | sort -u); do
  check "coreduel.1 has $opt" grep -qF -- "$opt" <<<"$text"
done

# ---- bash completion ------------------------------------------------------------------------
# complete LINE: what bash would offer for LINE (a trailing space starts a new, empty word).
complete_line() {
  bash -c '
    source "$1/completions/coreduel-cli"
    source "$1/completions/coreduel"
    read -ra COMP_WORDS <<<"$2"
    [[ $2 == *" " ]] && COMP_WORDS+=("")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    fn=$(complete -p "${COMP_WORDS[0]}" | sed -E "s/.*-F ([^ ]+).*/\1/")
    "$fn"
    printf "%s\n" "${COMPREPLY[@]}"' _ "$doc" "$1"
}
offers() {  # offers LINE WORD: completing LINE offers WORD
  # Captured first: `complete_line | grep -q` would fail under pipefail whenever grep stops
  # reading before the list is written (SIGPIPE).
  local words
  words=$(complete_line "$1")
  grep -qx -- "$2" <<<"$words"
}
not_offers() { ! offers "$@"; }
check "'coreduel-cli <TAB>' offers run" offers "coreduel-cli " run
check "'coreduel-cli <TAB>' offers lesson" offers "coreduel-cli " lesson
check "'coreduel-cli <TAB>' offers profile" offers "coreduel-cli " profile
check "'coreduel-cli --v<TAB>' offers --version" offers "coreduel-cli --v" --version
check "'coreduel-cli run --work<TAB>' offers --workload" offers "coreduel-cli run --work" --workload
check "'coreduel-cli run --work<TAB>' offers --workers" offers "coreduel-cli run --work" --workers
check "'coreduel-cli run -w man<TAB>' offers mandelbrot" offers "coreduel-cli run -w man" mandelbrot
check "'coreduel-cli run -m threads,gil<TAB>' offers threads,gil-threads" \
  offers "coreduel-cli run -m threads,gil" threads,gil-threads
check "'coreduel-cli run --start-method f<TAB>' offers forkserver" \
  offers "coreduel-cli run --start-method f" forkserver
check "'coreduel-cli lesson am<TAB>' offers amdahl" offers "coreduel-cli lesson am" amdahl
check "'coreduel-cli ipc --transports pipe,sh<TAB>' offers pipe,shm" \
  offers "coreduel-cli ipc --transports pipe,sh" pipe,shm
check "'coreduel-cli profile --sh<TAB>' offers --shell" offers "coreduel-cli profile --sh" --shell
check "'coreduel --th<TAB>' offers --theme" offers "coreduel --th" --theme
check "'coreduel --theme d<TAB>' offers dark" offers "coreduel --theme d" dark
check "'coreduel --lesson g<TAB>' offers gil" offers "coreduel --lesson g" gil
check "'coreduel-cli list --<TAB>' offers --json" offers "coreduel-cli list --" --json
check "'coreduel-cli list --<TAB>' does not offer run's --workload" \
  not_offers "coreduel-cli list --" --workload

# ---- --version ------------------------------------------------------------------------------
for p in "$cli" "$gui" "$worker"; do
  name=$(basename "$p")
  check "$name --version" grep -qE "^$name [0-9]+\.[0-9]+\.[0-9]+" <("$p" --version 2>&1)
done

echo
[ $failures -eq 0 ] && { echo "docs: every check passed"; exit 0; }
echo "docs: $failures checks failed"
exit 1
