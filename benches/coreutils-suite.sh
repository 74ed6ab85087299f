#!/bin/sh
# Run GNU coreutils 9.1's own tests (tests/*.sh, tests/*.pl) against a multi-call binary's
# applets; every other program the tests call is the system's GNU coreutils 9.1 (Debian 12).
# Not run in CI: it needs the source and root-only or filesystem-specific tests skip themselves.
#
# Getting the suite (nothing is built; only its tests, init.cfg and helper scripts are used):
#   cd /tmp/src && curl -LO https://deb.debian.org/debian/pool/main/c/coreutils/coreutils_9.1.orig.tar.xz &&
#   tar xJf coreutils_9.1.orig.tar.xz
#
# Usage: benches/coreutils-suite.sh BINARY [TEST...]
#   BINARY  the multi-call binary, e.g. target/x86_64-unknown-linux-musl/release/rbox
#   TEST    tests/cp/cp-parents.sh, or a directory's name (cp) for all of tests/cp and the
#           tests/misc/cp* files (default: the applets named in APPLETS)
# Environment:
#   CU_SRC   the unpacked source (default /tmp/src/coreutils-9.1)
#   WORK     scratch directory (default: a new one under /tmp); logs are WORK/log/DIR-NAME.log
#   APPLETS  applets whose tests run by default (those BINARY --list names are substituted)
#
# How it runs: WORK stands for the build tree: WORK/src holds links named after each applet
# BINARY has (the tests put ./src first on PATH), WORK/tests and WORK/init.cfg are the
# source's, and a getlimits script gives the limits of x86_64 Linux (the real one is built by
# make). Each test runs as `make check` runs it (tests/local.mk's TESTS_ENVIRONMENT): exit 0
# pass, 77 skip, anything else fail; VERBOSE=yes puts the trace in the log. The last line is `N passed, N failed, N skipped`.
set -u
bin=$(realpath "${1:?usage: $0 BINARY [TEST...]}") || exit 2
shift
src=${CU_SRC:-/tmp/src/coreutils-9.1}
work=${WORK:-$(mktemp -d /tmp/cu-suite.XXXXXX)}
applets=${APPLETS:-cp mv rm ln mkdir rmdir chmod chown chgrp touch du df stat install tail head \
wc cut sort uniq tr seq od readlink realpath truncate mktemp cat tac nl paste expand unexpand \
fold comm env printf echo test basename dirname sleep timeout tee date id uname nproc md5sum \
sha1sum sha224sum sha256sum sha384sum sha512sum base64 mkfifo mknod yes true false kill}
[ -f "$src/tests/init.sh" ] || { echo "$0: no $src/tests/init.sh (set CU_SRC)" >&2; exit 2; }

rm -rf "$work/src" "$work/tests" "$work/log"
mkdir -p "$work/src" "$work/log"
cp -a "$src/tests" "$work/tests"
cp "$src/init.cfg" "$work/"
: >"$work/config.h"
# Every coreutils program counts as built (require_built_); the ones BINARY lacks are the
# system's, and so are the non-coreutils tools the tests use (sh, grep, sed, perl...).
# make builds install as ginstall, and the tests ask for it by that name (require_built_).
built=$(cd "$src/man" && ls *.x | sed 's/\.x$//; s/^install$/ginstall/' | tr '\n' ' ')
has=
for a in $("$bin" --list 2>/dev/null); do
	case " $built " in *" $a "*) ;; *) [ "$a" = install ] || continue ;; esac
	has="$has $a"
	ln -s "$bin" "$work/src/$a"
	# make builds install as ginstall; the binary answers to its applet names only.
	[ "$a" = install ] && printf '#!/bin/sh\nexec %s "$@"\n' "$work/src/install" >"$work/src/ginstall" &&
		chmod +x "$work/src/ginstall"
done
# The real getlimits prints each limit, one past it (_OFLOW) and the minimum's one below.
cat >"$work/src/getlimits" <<'EOF'
#!/bin/sh
p() { echo "$1_MAX=$2"; echo "$1_OFLOW=$3"; [ -n "${4-}" ] && { echo "$1_MIN=$4"; echo "$1_UFLOW=$5"; }; }
p CHAR 127 128 -128 -129
p SCHAR 127 128 -128 -129
p UCHAR 255 256
p SHRT 32767 32768 -32768 -32769
p INT 2147483647 2147483648 -2147483648 -2147483649
p UINT 4294967295 4294967296
p LONG 9223372036854775807 9223372036854775808 -9223372036854775808 -9223372036854775809
p ULONG 18446744073709551615 18446744073709551616
p SIZE 18446744073709551615 18446744073709551616
p SSIZE 9223372036854775807 9223372036854775808 -9223372036854775808 -9223372036854775809
p OFF_T 9223372036854775807 9223372036854775808 -9223372036854775808 -9223372036854775809
p TIME_T 9223372036854775807 9223372036854775808 -9223372036854775808 -9223372036854775809
p INTMAX 9223372036854775807 9223372036854775808 -9223372036854775808 -9223372036854775809
p UINTMAX 18446744073709551615 18446744073709551616
p PID_T 2147483647 2147483648 -2147483648 -2147483649
p UID_T 4294967295 4294967296
p GID_T 4294967295 4294967296
p PTRDIFF 9223372036854775807 9223372036854775808 -9223372036854775808 -9223372036854775809
p IO_BUFSIZE 131072 131073
echo FLT_MAX=3.4028235e+38; echo FLT_MIN=1.1754944e-38
echo DBL_MAX=1.7976931348623157e+308; echo DBL_MIN=2.2250738585072014e-308
echo LDBL_MAX=1.189731495357231765e+4932; echo LDBL_MIN=3.3621031431120935063e-4932
EOF
chmod +x "$work/src/getlimits"

tests_of() { # DIR: tests/DIR/*, tests/DIR-2/* (tail's) and tests/misc/DIR*, as tests/local.mk lists them
	grep -o "tests/\($1/[^ ]*\|$1-2/[^ ]*\|misc/$1[-.][^ ]*\)\.\(sh\|pl\|xpl\)" "$src/tests/local.mk" | sort -u
}
if [ $# -eq 0 ]; then set -- $applets; fi
list=
for t in "$@"; do
	case $t in
	tests/*) list="$list $t" ;;
	*) case " $has " in *" $t "*) list="$list $(tests_of "$t")" ;; esac ;;
	esac
done

# Root tests check that the unprivileged user runs the build's programs by their version.
version=$("$bin" rm --version 2>/dev/null | sed -n '1s/.* //p')
pass=0 failn=0 skip=0
cd "$work" || exit 2
for t in $list; do
	log=log/$(echo "$t" | sed 's,^tests/,,;s,/,-,g').log
	case $t in
	*.sh) run="/bin/sh $t" ;;
	*.pl) run="perl -w -Itests -MCuSkip -MCoreutils -MCuTmpdir=$t $t" ;;
	*.xpl) run="perl -T -w -Itests -MCuSkip -MCoreutils -MCuTmpdir=$t $t" ;;
	esac
	(
		. tests/lang-default
		TMPDIR=/tmp
		. tests/envvar-check
		export TMPDIR VERSION=9.1 abs_top_builddir="$work" abs_top_srcdir="$work" \
			abs_srcdir="$work" built_programs="$built" fail=0 host_os=linux-gnu \
			host_triplet=x86_64-pc-linux-gnu srcdir=. top_srcdir=. \
			CONFIG_HEADER="$work/config.h" CU_TEST_NAME="coreutils,$t" CC=cc AWK=awk \
			EGREP='grep -E' EXEEXT= MAKE=make PACKAGE_VERSION="$version" PERL=perl SHELL=/bin/sh VERBOSE=yes \
			PATH="$work/src:$PATH"
		exec 9>&2
		# shellcheck disable=SC2086
		exec timeout 300 $run
	) >"$log" 2>&1 </dev/null
	case $? in
	0) pass=$((pass + 1)); echo "PASS: $t" ;;
	77) skip=$((skip + 1)); echo "SKIP: $t" ;;
	*) failn=$((failn + 1)); echo "FAIL: $t" ;;
	esac
done
echo "$pass passed, $failn failed, $skip skipped"
