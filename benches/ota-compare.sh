#!/bin/bash
# The one-true-awk test programs (Debian's original-awk source, testdir/) under rbox's awk,
# mawk and `gawk --posix` on the same inputs (p.* on test.countries twice, t.* on test.data,
# tt.* on the data Compare.tt builds); a program counts as differing when rbox's stdout and
# status equal neither peer's. Not part of CI: `cd /tmp && apt-get source original-awk` first.
#
# Usage: benches/ota-compare.sh BINARY     (OTA_SRC: the testdir, default /tmp/original-awk-*/testdir)
# Prints each differing program, then "N same, N differ".
bin=$(realpath "${1:?usage: $0 BINARY}") || exit 2
src=${OTA_SRC:-$(ls -d /tmp/original-awk-*/testdir | head -1)}
work=$(mktemp -d /tmp/ota.XXXXXX)
cp -a "$src"/. "$work" && cd "$work" || exit 2
ln -s "$bin" awk
{ cat td.1 td.1; sed 's/^........................//' td.1; pr -m td.1 td.1 td.1; pr -2 td.1
  cat bib; } > foo.td 2>/dev/null
run() { # impl prog inputs... -> stdout and status in one string
  local impl=$1 prog=$2; shift 2
  { timeout 20 $impl -f "$prog" "$@" 2>/dev/null </dev/null; echo "status $?"; } | md5sum
}
same=0 differ=0
for p in p.* t.* tt.*; do
  case $p in p.*) in="test.countries test.countries" ;; t.*) in=test.data ;; *) in=foo.td ;; esac
  ours=$(run ./awk "$p" $in)
  if [ "$ours" = "$(run mawk "$p" $in)" ] || [ "$ours" = "$(run 'gawk --posix' "$p" $in)" ]; then
    same=$((same + 1))
  else
    differ=$((differ + 1)); echo "$p"
  fi
done
rm -rf "$work"
echo "$same same, $differ differ"
