#!/bin/bash
# Run GNU grep 3.8's and GNU sed 4.9's own test suites (grep's tests/, sed's testsuite/) against a
# multi-call binary and against GNU itself, as benches/toybox-applet-suite.sh does for toybox's
# (not part of CI). The sources are Debian's .orig tarballs, unpacked under /tmp:
#   wget https://deb.debian.org/debian/pool/main/g/grep/grep_3.8.orig.tar.xz
#   wget https://deb.debian.org/debian/pool/main/s/sed/sed_4.9.orig.tar.xz
#   tar -C /tmp -xf grep_3.8.orig.tar.xz; tar -C /tmp -xf sed_4.9.orig.tar.xz
# (needs gcc, make and perl to build GNU's programs and the suites' helpers).
#
# Usage: benches/gnu-grep-sed-suite.sh BINARY [grep] [sed]
# GREP_SRC, SED_SRC: the unpacked sources (default /tmp/grep-3.8, /tmp/sed-4.9), never written;
# OUT: scratch (default /tmp/gnu-suites): each tree is copied there and configured and built once,
# then the built program is swapped for GNU's own or for a symlink named after it to BINARY
# (grep, egrep, fgrep in src/; sed/sed), and the suite is run with `make check` (each test
# limited to TIMEOUT seconds, default 300; in help-version the binary's own --version number
# stands for GNU's and its help's Usage line for GNU's bug-report address, which rbox's help
# does not name; RUN_EXPENSIVE_TESTS=yes in the environment runs the expensive
# ones too). Prints per suite and program the counts of
# automake's harness and the names of the tests that did not pass; logs in $OUT/SUITE-WHO.log
# and each test's own in the tree ($OUT/grep-3.8/tests/NAME.log, $OUT/sed-4.9/testsuite/NAME.log).
bin=$(realpath "${1:?usage: $0 BINARY [grep] [sed]}") || exit 2
shift
[ $# -gt 0 ] || set -- grep sed
GREP_SRC=${GREP_SRC:-/tmp/grep-3.8}
SED_SRC=${SED_SRC:-/tmp/sed-4.9}
OUT=${OUT:-/tmp/gnu-suites}
TIMEOUT=${TIMEOUT:-300}
J=${J:-2}

# Copy and build a source tree once; $1 source, $2 scratch tree.
build() {
  [ -f "$2/.rbox-built" ] && return
  rm -rf "$2" && mkdir -p "$OUT" && cp -a "$1" "$2" && cd "$2" || exit 1
  echo "building $2 (log: $2/.rbox-build.log)"
  { ./configure --disable-nls && make -j"$J"; } > .rbox-build.log 2>&1 || { echo "build failed"; exit 1; }
  touch .rbox-built
}

# Point PROGRAM (path in the tree) at GNU's build (kept as PROGRAM.gnu) or at the binary.
use() {
  local prog=$1 who=$2
  [ -e "$prog.gnu" ] || mv "$prog" "$prog.gnu"
  rm -f "$prog"
  if [ "$who" = gnu ]; then ln -s "$(basename "$prog").gnu" "$prog"; else ln -s "$bin" "$prog"; fi
}

# For the binary: VERSION=its --version number (help-version compares the last word of the
# first line with the package's version) and PACKAGE_BUGREPORT=Usage: (help-version looks for
# the bug-report address in --help or --version).
version() {
  [ "$1" = gnu ] || echo "VERSION=$("$2" --version | sed -n '1s/.* //p;q') PACKAGE_BUGREPORT=Usage:"
}

# Summarise one run: the harness's counts and the tests that failed or errored.
report() {
  local log=$1 name=$2
  local c
  c=$(sed -n 's/^# \([A-Z]*\): *\([0-9]*\)$/\1 \2/p' "$log" | tr '\n' ' ')
  echo "$name: $c"
  grep -E '^(FAIL|ERROR|XPASS): ' "$log" | sed 's/^/  /'
}

for suite in "$@"; do
  case $suite in
  grep)
    tree=$OUT/grep-3.8
    build "$GREP_SRC" "$tree"
    for who in gnu rbox; do
      for p in grep egrep fgrep; do use "$tree/src/$p" $who; done
      rm -f "$tree"/tests/*.log "$tree"/tests/*.trs
      make -C "$tree/tests" -k -j"$J" check $(version $who "$tree/src/grep") LOG_COMPILER="timeout $TIMEOUT" \
        SH_LOG_COMPILER="timeout $TIMEOUT \$(SHELL)" \
        PL_LOG_COMPILER="timeout $TIMEOUT \$(TESTSUITE_PERL) \$(TESTSUITE_PERL_OPTIONS)" \
        > "$OUT/grep-$who.log" 2>&1 < /dev/null
      report "$OUT/grep-$who.log" "grep 3.8 tests, $who"
    done
    ;;
  sed)
    tree=$OUT/sed-4.9
    build "$SED_SRC" "$tree"
    for who in gnu rbox; do
      use "$tree/sed/sed" $who
      rm -f "$tree"/testsuite/*.log "$tree"/testsuite/*.trs "$tree/test-suite.log"
      # check-TESTS: the suite alone (`check` would also run gnulib's own tests).
      make -C "$tree" -k -j"$J" check-TESTS $(version $who "$tree/sed/sed") SH_LOG_COMPILER="timeout $TIMEOUT \$(SHELL)" \
        PL_LOG_COMPILER="timeout $TIMEOUT \$(TESTSUITE_PERL) \$(TESTSUITE_PERL_OPTIONS)" \
        > "$OUT/sed-$who.log" 2>&1 < /dev/null
      report "$OUT/sed-$who.log" "sed 4.9 testsuite, $who"
    done
    ;;
  *) echo "$0: unknown suite '$suite' (grep or sed)" >&2; exit 2 ;;
  esac
done
