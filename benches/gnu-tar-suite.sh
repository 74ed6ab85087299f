#!/bin/sh
# Run GNU tar 1.34's own test suite (tests/testsuite, autotest) with BINARY as `tar` (not part
# of CI). Getting and building the suite (Debian 12's source; its testsuite and the helpers
# genfile, checkseekhole and ckmtime are made by `make check`, which also runs it for GNU's tar):
#   mkdir -p /tmp/gtar && cd /tmp/gtar && apt-get source tar     # needs a deb-src line
#   cd tar-1.34+dfsg && FORCE_UNSAFE_CONFIGURE=1 ./configure && make && make check
#   (`make check` regenerates tests/testsuite from the Debian-patched .at files: needs autoconf)
#
# Usage: benches/gnu-tar-suite.sh BINARY [TESTS...]
#   BINARY  the program to test, run through a link named tar (a multi-call binary, or GNU's
#           own tar-1.34+dfsg/src/tar for the reference figures)
#   TESTS   autotest's selection: numbers, ranges (12-30), or `-k KEYWORD` (default: all)
# Environment:
#   GTAR_SRC  the built source tree (default /tmp/gtar/tar-1.34+dfsg), never written
#   WORK      scratch directory (default: a new one under /tmp/gtar); the suite's log is
#             WORK/testsuite.log and failed groups stay in WORK/testsuite.dir/NNN
#   J         parallel groups (default 2)
#   AS_USER   run as this unprivileged user (e.g. nobody) instead of root: the tests that
#             skip themselves for root run, those needing root skip
#
# Safety: as root the suite runs in a private mount namespace (unshare -m) in which every
# mount but WORK is remounted read-only, so a tar that writes outside its test directory
# fails instead of changing the host. The version test fails for a tar that does not call
# itself GNU tar 1.34; the suite would then mark every later test as an expected failure, so
# its XFAILFILE points at a directory (never a regular file) and that does not happen.
# The last line is `N passed, N failed, N skipped`, then the failed groups' numbers.
set -u
bin=$(realpath "${1:?usage: $0 BINARY [TESTS...]}") || exit 2
shift
src=${GTAR_SRC:-/tmp/gtar/tar-1.34+dfsg}
[ -x "$src/tests/testsuite" ] && [ -x "$src/tests/genfile" ] ||
	{ echo "$0: no built suite in $src (see the header)" >&2; exit 2; }

if [ -z "${GTS_INSIDE-}" ]; then
	work=${WORK:-$(mkdir -p /tmp/gtar && mktemp -d /tmp/gtar/run.XXXXXX)}
	mkdir -p "$work" && work=$(realpath "$work") || exit 2
	rm -rf "$work/bin" "$work/testsuite.dir" "$work/testsuite.log" "$work/tmp" "$work/xfail.d"
	mkdir -p "$work/bin" "$work/tmp" "$work/xfail.d"
	ln -s "$bin" "$work/bin/tar"
	cp "$src/tests/atconfig" "$src/tests/atlocal" "$work/"
	[ -n "${AS_USER-}" ] && chown -R "$AS_USER" "$work"
	export GTS_INSIDE=1 WORK="$work"
	if [ "$(id -u)" = 0 ]; then exec unshare -m --propagation private sh "$0" "$bin" "$@"; fi
	exec sh "$0" "$bin" "$@"
fi

work=$WORK
if [ "$(id -u)" = 0 ]; then
	# Inside the namespace: WORK stays writable, every other mount becomes read-only.
	mount --bind "$work" "$work" || exit 2
	awk '{print $5}' /proc/self/mountinfo | while read -r mp; do
		[ "$mp" = "$work" ] || mount -o remount,bind,ro "$mp" 2>/dev/null
	done
	# A mount point with several mounts stacked shows its top one last; the others are hidden.
	rw=$(awk -v w="$work" '{o[$5] = $6} END {for (m in o) if (m != w && o[m] !~ /(^|,)ro(,|$)/) print m}' \
		/proc/self/mountinfo)
	[ -z "$rw" ] || { echo "$0: could not make read-only: $rw" >&2; exit 2; }
fi

# The suite probes `ln -s` in the directory it starts in, before its -C.
cd "$work" || exit 2
set -- "$src/tests/testsuite" -C "$work" -j"${J:-2}" AUTOTEST_PATH="$work/bin" \
	XFAILFILE="$work/xfail.d" "$@"
if [ -n "${AS_USER-}" ]; then
	TMPDIR=$work/tmp setpriv --reuid="$AS_USER" --regid="$AS_USER" --clear-groups \
		"$@" >"$work/run.out" 2>&1
else
	TMPDIR=$work/tmp "$@" >"$work/run.out" 2>&1
fi
log=$work/testsuite.log
pass=$(grep -c '^[0-9]*\. .*: ok' "$log")
failed=$(sed -n 's/^\([0-9]*\)\. .*: FAILED (.*/\1/p' "$log" | sort -n | tr '\n' ' ')
skip=$(grep -c '^[0-9]*\. .*: skipped' "$log")
nfail=$(echo "$failed" | wc -w)
echo "$pass passed, $nfail failed, $skip skipped"
[ -z "$failed" ] || echo "failed: $failed(log: $log)"
