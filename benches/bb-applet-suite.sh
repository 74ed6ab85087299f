#!/bin/sh
# Run BusyBox 1.35's own applet testsuite against a multi-call binary (rbox or busybox) and print
# pass/fail/skip counts per applet.
#
# Getting the suite (Debian's source package; deb-src lines in the apt sources, dpkg-dev):
#   cd /tmp && apt-get source --download-only busybox=1:1.35.0-4+deb12u1 &&
#   dpkg-source -x busybox_1.35.0-4+deb12u1.dsc busybox-1.35.0
# (without deb-src: fetch busybox_1.35.0.orig.tar.bz2 and busybox_1.35.0-4+deb12u1.debian.tar.xz
# from the Debian archive, `tar xjf` the first and untar the second inside busybox-1.35.0/).
# The suite is busybox-1.35.0/testsuite; debian/config/pkg/static is the configuration of
# Debian's busybox-static, which decides which optional cases run (none run without a config).
#
# Usage: benches/bb-applet-suite.sh BINARY [APPLET...]
#   BINARY   the multi-call binary under test, e.g. target/x86_64-unknown-linux-musl/release/rbox
#            or /usr/bin/busybox
#   APPLET   applets to run (default: every applet BINARY --list names that has tests)
# Environment:
#   BB_SRC   the unpacked source (default /tmp/busybox-1.35.0)
#   BB_CONFIG  the .config given to the suite (default $BB_SRC/debian/config/pkg/static)
#   WORK     scratch directory (default: a new one under /tmp); logs are WORK/log/APPLET.txt
#
# How it runs: the suite is copied to WORK/testsuite; WORK/busybox is BINARY (the old-style cases
# call `busybox APPLET`; a link, or a script for a binary that does not answer to the name
# busybox); BINARY --install -s fills the suite's link directory, and runtest runs with that
# directory kept (the line that empties it is dropped, as runtest's own comment suggests for
# testing another binary). So every applet the binary has, its shell included, is first on PATH
# for the new-style cases, as in BusyBox's own `make check`.
# The last line is `N passed, N failed, N skipped` over the applets run.
set -u
bin=$(realpath "${1:?usage: $0 BINARY [APPLET...]}") || exit 2
shift
src=${BB_SRC:-/tmp/busybox-1.35.0}
config=${BB_CONFIG:-$src/debian/config/pkg/static}
work=${WORK:-$(mktemp -d /tmp/bb-suite.XXXXXX)}
[ -d "$src/testsuite" ] || { echo "$0: no $src/testsuite (set BB_SRC)" >&2; exit 2; }

rm -rf "$work/testsuite" "$work/runtest-tempdir-links" "$work/log"
mkdir -p "$work/log" "$work/runtest-tempdir-links" "$work/scripts"
cp -a "$src/testsuite" "$work/testsuite"
cp "$src/scripts/echo.c" "$work/scripts/" 2>/dev/null
if [ -f "$config" ]; then cp "$config" "$work/.config"; else : >"$work/.config"; fi
# A link named busybox when the binary answers to that name (rbox does, as BusyBox), so cases
# that read "$(which busybox)" see the binary itself; else a script that execs it.
rm -f "$work/busybox"
ln -s "$bin" "$work/busybox"
if ! "$work/busybox" true 2>/dev/null; then
	rm -f "$work/busybox"
	printf '#!/bin/sh\nexec %s "$@"\n' "$bin" >"$work/busybox"
	chmod +x "$work/busybox"
fi
"$bin" --install -s "$work/runtest-tempdir-links" || exit 2
sed '/^rm -rf "\$LINKSDIR"/d' "$work/testsuite/runtest" >"$work/testsuite/runtest.kept"

if [ $# -eq 0 ]; then
	set -- $("$bin" --list 2>/dev/null | while read -r a; do
		[ -e "$work/testsuite/$a.tests" ] || [ -d "$work/testsuite/$a" ] && echo "$a"
	done)
fi

# The harness wants an echo that knows -n and -e; dash's does not, GNU's does.
if [ -x /bin/echo ] && [ "$(/bin/echo -ne 'a\tb')" = "$(printf 'a\tb')" ]; then
	export ECHO=/bin/echo
fi
unset LANG LANGUAGE LC_ALL LC_COLLATE LC_CTYPE LC_MESSAGES LC_NUMERIC LC_TIME LC_MONETARY
unset SKIP_KNOWN_BUGS

tp=0 tf=0 ts=0
printf '%-12s %5s %5s %5s\n' applet pass fail skip
for a in "$@"; do
	log="$work/log/$a.txt"
	(cd "$work/testsuite" && timeout 600 sh ./runtest.kept -v "$a") </dev/null >"$log" 2>&1
	p=$(grep -c '^PASS:' "$log") f=$(grep -c '^FAIL:' "$log")
	s=$(grep -c '^SKIPPED:\|^UNTESTED:' "$log")
	printf '%-12s %5d %5d %5d\n' "$a" "$p" "$f" "$s"
	tp=$((tp + p)) tf=$((tf + f)) ts=$((ts + s))
done
echo "logs: $work/log"
echo "$tp passed, $tf failed, $ts skipped"
