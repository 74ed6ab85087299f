#!/bin/bash
# The smoosh project's shell tests (github.com/mgree/smoosh, tests/shell/*.test with optional
# NAME.out, NAME.err and NAME.ec), run against one shell the way the suite's own
# tests/shell_tests.sh runs them (not part of CI: the suite is not in the repository).
#
#   benches/smoosh-suite.sh NAME SHELL [ARG...]
#
# Fetch the suite's tests/shell/ folder (its *.test, *.out, *.err and *.ec files, not the ok/
# subfolder) into $SMOOSH/shell (default /tmp/smoosh/shell), e.g. from a clone of mgree/smoosh:
#   mkdir -p /tmp/smoosh && cp -r smoosh/tests/shell /tmp/smoosh/
# SHELL ARG... is the shell as the suite's TEST_SHELL: `benches/smoosh-suite.sh rbox $DIR/sh`
# with sh a link to rbox (or to /bin/busybox), `benches/smoosh-suite.sh bash /bin/bash --posix`.
# The cases split $TEST_SHELL unquoted, sh.set.ifs with IFS=123: keep 1, 2 and 3 out of the
# shell's path (/tmp/x/rbox1/sh fails that case for a reason of its own).
# The README's figures: `RUNAS=nobody benches/smoosh-suite.sh NAME SHELL` run as root.
#
# As shell_tests.sh does, each case runs in a fresh empty directory as `$TEST_SHELL
# $SMOOSH/shell/NAME.test` with TEST_SHELL exported (the cases run it themselves, unquoted),
# TEST_UTIL naming a directory of small helpers (argv, fds, getenv, readdir: written here, in
# our own words, to the interfaces the cases use), descriptors above 2 closed and the exit
# status, stdout and stderr compared with NAME.ec (0 without one), NAME.out and NAME.err when
# those exist. The suite's own timeout script gives a case 9 s; TMO (default 10) does here, a
# case that runs out counts as failed. stdin is /dev/null. RUNAS=USER runs each case as that
# user (setpriv), for a runner started as root: the cases on unreadable files assume a user
# that permissions apply to.
#
# Prints one line per case ("PASS NAME" or "FAIL NAME: what differed") and
# "NAME: P/T passed"; the failing names go to $OUT/failed-NAME.txt and the outputs of every
# case to $OUT/NAME/ (OUT default /tmp/smoosh/out).
#
# The NAME.ec files: some copies of the suite lack them (the one this was first run on, fetched
# 2026-12-08 through a file index that keeps no .ec files). Then EC_FALLBACK below gives the
# status that a case's script plainly asks for (POSIX's, where the reference shells agree);
# a NAME.ec file, when present, wins.
set -u
name=$1
shift
[ $# -ge 1 ] || { echo "usage: $0 NAME SHELL [ARG...]" >&2; exit 2; }
SMOOSH=${SMOOSH:-/tmp/smoosh}
OUT=${OUT:-/tmp/smoosh/out}
TMO=${TMO:-10}
cases=$SMOOSH/shell
[ -d "$cases" ] || { echo "$0: no $cases (see the header)" >&2; exit 2; }

# Exit statuses for cases whose .ec file is missing, only where the script itself makes a
# status other than 0 its point; "nz" accepts any non-zero status (an error that ends a
# non-interactive shell is 2 in dash and BusyBox ash, 1 in bash). Every other case expects 0,
# the suite's default.
declare -A EC_FALLBACK=(
  [builtin.readonly.assign.noninteractive]=nz  # assigning a readonly name ends the shell
  [builtin.special.redir.error]=nz             # a special builtin's redirection error, too
  [builtin.exec.badredir]=nz                   # `9&<-`: a syntax error
  [builtin.dot.nonexistent]=nz                 # `.` of a missing file (the case has a .err)
  [builtin.source.nonexistent]=nz              # likewise
  [builtin.source.nonexistent.earlyexit]=nz    # ... and the shell ends before `exit 0`
  [builtin.unset]=nz                           # unsetting a readonly name (the case has a .err)
  [semantics.noninteractive.expansion.exit]=nz # ${x?msg} ends a non-interactive shell
  [semantics.error.noninteractive]=nz          # likewise, in the outer shell's here-document
  [semantics.command-subst]=1                  # `x=$(false)` has false's status
  [builtin.trap.subshell.true.ec1]=1           # an EXIT trap keeps the status of `false`
  [builtin.trap.subshell.loud]=1
  [builtin.trap.subshell.loud2]=1
  [semantics.errexit.subshell]=1               # `set -e` and a last `false`
  [semantics.errexit.trap]=1                   # `set -e` and `false` in a trap
  [semantics.return.trap]=5                    # f() ( ... return 5 ... ); f
)

mkdir -p "$OUT/$name" || exit 2
out=$OUT/$name
util=$OUT/util
if [ ! -x "$util/fds" ]; then
  mkdir -p "$util"
  cat > "$util/argv.c" <<'EOF'
#include <stdio.h>
int main(int n, char **v) {
  for (int i = 0; i < n; i++) printf("argv[%d] = \"%s\";\n", i, v[i]);
  return 0;
}
EOF
  cat > "$util/fds.c" <<'EOF'
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
/* fds [FIRST [LAST]]: "N open" or "N closed" for each descriptor (default 0 to 9). */
int main(int n, char **v) {
  int lo = n > 1 ? atoi(v[1]) : 0, hi = n > 2 ? atoi(v[2]) : 9;
  for (int fd = lo; fd <= hi; fd++) {
    if (fcntl(fd, F_GETFD) >= 0) printf("%d open\n", fd);
    else if (errno == EBADF) printf("%d closed\n", fd);
    else printf("%d error: %s\n", fd, strerror(errno));
  }
  return 0;
}
EOF
  cat > "$util/getenv.c" <<'EOF'
#include <stdio.h>
#include <stdlib.h>
/* getenv NAME...: NAME='value' from the environment, or "NAME is unset". */
int main(int n, char **v) {
  for (int i = 1; i < n; i++) {
    const char *s = getenv(v[i]);
    if (s) printf("%s='%s'\n", v[i], s); else printf("%s is unset\n", v[i]);
  }
  return 0;
}
EOF
  cat > "$util/readdir.c" <<'EOF'
#include <dirent.h>
#include <stdio.h>
/* readdir [DIR]: every entry readdir(3) gives, "." and ".." included. */
int main(int n, char **v) {
  DIR *d = opendir(n > 1 ? v[1] : ".");
  struct dirent *e;
  if (!d) { perror("readdir"); return 1; }
  while ((e = readdir(d))) puts(e->d_name);
  return 0;
}
EOF
  for p in argv fds getenv readdir; do
    gcc -O2 -o "$util/$p" "$util/$p.c" || exit 2
  done
fi

# The suite closes 3-9; close every descriptor above 2 this runner may have inherited.
for fd in /proc/$$/fd/*; do
  fd=${fd##*/}
  [ "$fd" -gt 2 ] 2>/dev/null && eval "exec $fd>&-" 2>/dev/null
done

export TEST_SHELL="$*" TEST_UTIL="$util"
as=
[ -n "${RUNAS:-}" ] && as="setpriv --reuid=$RUNAS --regid=$(id -g "$RUNAS") --clear-groups"
pass=0 total=0
: > "$OUT/failed-$name.txt"
for t in "$cases"/*.test; do
  c=${t##*/}
  c=${c%.test}
  total=$((total + 1))
  want_ec=0
  if [ -s "$cases/$c.ec" ]; then
    want_ec=$(cat "$cases/$c.ec")
  elif [ -n "${EC_FALLBACK[$c]:-}" ]; then
    want_ec=${EC_FALLBACK[$c]}
  fi
  dir=$(mktemp -d /tmp/smoosh-case.XXXXXX)
  [ -n "${RUNAS:-}" ] && chown "$RUNAS" "$dir"
  (cd "$dir" && exec $as timeout -k 2 "$TMO" $TEST_SHELL "$t" > "$out/$c.out" 2> "$out/$c.err" < /dev/null)
  ec=$?
  echo "$ec" > "$out/$c.ec"
  rm -rf "$dir"
  why=
  if [ "$ec" = 124 ] || [ "$ec" = 137 ]; then
    why="timed out"
  elif [ "$want_ec" = nz ]; then
    [ "$ec" != 0 ] || why="status 0, wanted non-zero"
  elif [ "$ec" != "$want_ec" ]; then
    why="status $ec, wanted $want_ec"
  fi
  if [ -f "$cases/$c.out" ] && ! cmp -s "$cases/$c.out" "$out/$c.out"; then
    why="${why:+$why; }stdout differs"
  fi
  if [ -f "$cases/$c.err" ] && ! cmp -s "$cases/$c.err" "$out/$c.err"; then
    why="${why:+$why; }stderr differs"
  fi
  if [ -z "$why" ]; then
    pass=$((pass + 1))
    echo "PASS $c"
  else
    echo "$c" >> "$OUT/failed-$name.txt"
    echo "FAIL $c: $why"
  fi
done
echo "$name: $pass/$total passed"
