#!/bin/bash
# Run toybox 0.8.9's tests for some applets (tests/APPLET.test through its runtest.sh) against
# a multi-call binary, as benches/sh-suites.sh does for the shell (not part of CI: unpack
# toybox's source first: `apt-get source --download-only toybox` and untar the .orig tarball).
#
# Usage: benches/toybox-applet-suite.sh BINARY APPLET...
# TOY_SRC: the unpacked source (default /tmp/toybox-0.8.9); OUT: scratch (default /tmp/toy-suite).
# Prints "APPLET: P passed, F failed" per applet; logs in $OUT/APPLET.log.
bin=$(realpath "${1:?usage: $0 BINARY APPLET...}") || exit 2
shift
# The account tools' tests add users to /etc/passwd and (through a bug in toybox's clean-up
# line) never remove them: run them in a private mount namespace, over copies of /etc and
# /home, never against the machine's own files.
case " $* " in
*" useradd "* | *" groupadd "* | *" adduser "* | *" addgroup "* | *" userdel "* | *" groupdel "*)
  if [ -z "$TOY_PRIVATE_ETC" ]; then
    scratch=$(mktemp -d) && cp -a /etc "$scratch/etc" && mkdir -p "$scratch/home" || exit 2
    exec unshare -m --propagation private env TOY_PRIVATE_ETC="$scratch" bash -c \
      'mount --bind "$TOY_PRIVATE_ETC/etc" /etc && mount --bind "$TOY_PRIVATE_ETC/home" /home &&
       exec bash "$0" "$@"' "$0" "$bin" "$@"
  fi
  ;;
esac
TOY_SRC=${TOY_SRC:-/tmp/toybox-0.8.9}
OUT=${OUT:-/tmp/toy-suite}
for a in "$@"; do
  work=$OUT/$a
  rm -rf "$work" && mkdir -p "$work/bin" "$work/testdir" && cd "$work/testdir" || exit 1
  ln -s "$bin" "$work/bin/$a"
  (
    export PATH="$work/bin:$PATH" LC_COLLATE=C FILES=$TOY_SRC/tests/files VERBOSE=all
    source "$TOY_SRC/scripts/runtest.sh"
    CMDNAME=$a C="$work/bin/$a"
    . "$TOY_SRC/tests/$a.test"
  ) > "$OUT/$a.log" 2>&1 < /dev/null
  echo "$a: $(grep -c '^PASS: ' "$OUT/$a.log") passed, $(grep -c '^FAIL: ' "$OUT/$a.log") failed"
done
