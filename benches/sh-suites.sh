#!/bin/bash
# The external shell suites the README quotes, run against one shell (not part of CI: the
# suites are not in the repository; unpack BusyBox 1.35's and toybox 0.8.9's sources first).
#
#   benches/sh-suites.sh busybox NAME SHELL   BusyBox shell/ash_test, as its run-all runs it
#   benches/sh-suites.sh toybox  NAME SHELL   toybox tests/sh.test through its runtest.sh
#   benches/sh-suites.sh yash    NAME SHELL   yash's POSIX tests (*-p.sh) through their run-test.sh
#
# SHELL is a binary (rbox, /bin/busybox, /bin/dash): the runner links it as `ash` or `sh`, so
# rbox and BusyBox pick their shell by argv[0]. Prints "NAME: P passed, F failed" and leaves
# the failing names in $OUT/failed-NAME.txt. CLOSEFD=1 closes descriptors 10 and 251 (which
# some sessions inherit; 5 ash_test redirection cases check that none above 2 is open).
# BB_SRC, TOY_SRC: the unpacked sources; OUT: the scratch directory; TMO: seconds per case.
# YASH_SRC: the yash-cli crate's source (yash-rs ships yash's POSIX tests, ported, in
# tests/scripted_test; `cargo fetch` of a scratch package depending on yash-cli = "=3.0.8"
# leaves it under ~/.cargo/registry/src). Their harness runs under dash; SHELL is linked as
# `sh`; the job-control files get a terminal from script(1); TMO is per file there.
suite=$1 name=$2 bin=$3
OUT=${OUT:-/tmp/sh-suite}
BB_SRC=${BB_SRC:-$OUT/busybox-1.35.0}
TOY_SRC=${TOY_SRC:-$OUT/toybox-0.8.9}
YASH_SRC=${YASH_SRC:-$OUT/yash-cli-3.0.8}
mkdir -p "$OUT"
[ "${CLOSEFD:-0}" = 1 ] && exec 10<&- 251<&-
case $suite in
busybox)
  work=$OUT/work-$name
  rm -rf "$work" && cp -a "$BB_SRC/shell/ash_test" "$work" && cd "$work" || exit 1
  for p in printenv recho zecho; do gcc -O2 -o $p $p.c || exit 1; done
  ln -sf "$bin" ash
  unset LANG LANGUAGE LC_COLLATE LC_CTYPE LC_MONETARY LC_MESSAGES LC_NUMERIC LC_TIME LC_ALL
  export CONFIG_FEATURE_FANCY_ECHO=y CONFIG_FEATURE_SH_NOFORK=y CONFIG_FEATURE_PREFER_APPLETS=y
  export PATH="$work:$PATH" THIS_SH="$work/ash"
  pass=0 fail=0
  : > "$OUT/failed-$name.txt"
  for x in ash-*/*.tests; do
    d=${x%/*} b=${x##*/}; b=${b%.tests}
    (cd "$d" && timeout "${TMO:-20}" "$THIS_SH" "./$b.tests" 2>&1 </dev/null |
      grep -va "^ash: using fallback suid method$" > "$b.xx")
    if diff -u "$d/$b.xx" "$d/$b.right" > "$d/$b.diff" 2>&1; then
      pass=$((pass + 1))
    else
      fail=$((fail + 1)); echo "$d/$b" >> "$OUT/failed-$name.txt"
    fi
  done
  echo "$name: $pass passed, $fail failed"
  ;;
toybox)
  work=$OUT/toy-$name
  rm -rf "$work" && mkdir -p "$work/bin" "$work/testdir" && cd "$work/testdir" || exit 1
  ln -s "$bin" "$work/bin/sh"
  export SH="$work/bin/sh" C="$work/bin/sh" LC_COLLATE=C FILES=$TOY_SRC/tests/files
  export PATH="$work/bin:$PATH" VERBOSE=all
  (
    source "$TOY_SRC/scripts/runtest.sh"
    CMDNAME=sh
    . "$TOY_SRC/tests/sh.test"
  ) > "$work/log" 2>&1 < /dev/null
  grep '^FAIL: ' "$work/log" | sed 's/^FAIL: sh //' > "$OUT/failed-$name.txt"
  echo "$name: $(grep -c '^PASS: ' "$work/log") passed, $(grep -c '^FAIL: ' "$work/log") failed"
  ;;
yash)
  work=$OUT/yash-$name
  rm -rf "$work" && mkdir -p "$work/bin" && ln -s "$bin" "$work/bin/sh" || exit 1
  cd "$YASH_SRC/tests/scripted_test" || exit 1
  export TMPDIR=$work
  for f in *-p.sh; do
    case $f in
    bg-p.sh | fg-p.sh | job-p.sh | kill4-p.sh | wait-p.sh)
      timeout "${TMO:-40}" script -qec "/bin/dash ./run-test.sh $work/bin/sh $f $work/${f%.sh}.log" \
        /dev/null < /dev/null > /dev/null 2>&1 ;;
    *) timeout "${TMO:-40}" /bin/dash ./run-test.sh "$work/bin/sh" "$f" "$work/${f%.sh}.log" \
        < /dev/null 2> /dev/null ;;
    esac
  done
  cat "$work"/*.log | grep -a '^%%% ' > "$work/all"
  # yash-rs marks its own known failures (-f); a case counts by its outcome alone.
  grep -a 'ERROR\[FAILED\]\|FAILED_AS_EXPECTED' "$work/all" | sed 's/^%%% [^ ]* //' \
    > "$OUT/failed-$name.txt"
  echo "$name: $(grep -ac '\[PASSED\]\|PASSED_UNEXPECTEDLY' "$work/all") passed," \
    "$(wc -l < "$OUT/failed-$name.txt") failed, $(grep -ac SKIPPED "$work/all") skipped"
  ;;
*) echo "usage: $0 busybox|toybox|yash NAME SHELL" >&2; exit 2 ;;
esac
