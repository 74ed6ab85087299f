#!/usr/bin/env bash
# The README's figures that the yardstick (benches/yardstick/compare.sh) has no case for, as one
# reproducible script: rbox against its peers with hyperfine (Debian package `hyperfine`) on
# inputs generated here, deterministically.
#
#   benches/byhand.sh [CASE...]    CASE: xargs grep envsubst seq base64 od gzip (default: all)
#
# Env: BIN (default target/x86_64-unknown-linux-musl/release/rbox, built if missing),
#      RUNS=5. Fixtures live in a temporary directory, removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "byhand.sh: needs hyperfine (apt-get install hyperfine)" >&2; exit 2; }
BIN=${BIN:-target/x86_64-unknown-linux-musl/release/rbox}
[ -x "$BIN" ] || cargo build --release --quiet
BIN=$(realpath "$BIN")
RUNS=${RUNS:-5}
W=$(mktemp -d "${TMPDIR:-/tmp}/rbox-byhand.XXXXXX")
trap 'rm -rf "$W"' EXIT
mkdir "$W/bin"
for a in $("$BIN" --list); do ln -s "$BIN" "$W/bin/$a"; done
R=$W/bin
export LC_ALL=C
have() { command -v "$1" >/dev/null 2>&1; }
# One markdown table per comparison (hyperfine's own; -N: no shell in between; output into a
# pipe, since GNU grep stops at the first match when its output is /dev/null).
hf() { hyperfine -N -i --output=pipe --warmup 1 --runs "$RUNS" --style none --export-markdown "$W/md" "$@" >/dev/null 2>&1 && cat "$W/md"; }
hfs() { hyperfine -i --warmup 1 --runs "$RUNS" --style none --export-markdown "$W/md" "$@" >/dev/null 2>&1 && cat "$W/md"; }

# N lines of pseudo-random words (a fixed LCG: the same text on every machine).
text() {
    awk -v n="$1" 'BEGIN {
        split("the of and to in is was that for it with as his on be at by had are but from or have an they which one you were all we her she there would their will when who him been has more if no out so said what up its about than into them can only other time new some could these two may first then do any like my now over such our man me even most made after also did many before must through back years where much your way well down should because each just those people how too little state good very make world still own see men work long get here between both life being under never day same another know while last might us great old year off come since against go came right used take three foo bar queue box", w, " ")
        nw = length(w)
        s = 42
        for (i = 0; i < n; i++) {
            line = ""
            k = 6 + i % 9
            for (j = 0; j < k; j++) {
                s = (s * 69069 + 1) % 4294967296
                line = line (j ? " " : "") w[1 + int(s / 65536) % nw]
            }
            print line
        }
    }'
}

case_xargs() {
    echo "### xargs -0 cat over 4,000 files (find's list)"
    mkdir -p "$W/tree"
    for i in $(seq 0 3999); do printf 'file %d\n' "$i" > "$W/tree/f$i"; done
    find "$W/tree" -type f -print0 > "$W/list0"
    local cmds=(-n rbox "$R/xargs -0 $R/cat < $W/list0 > /dev/null")
    have busybox && cmds+=(-n busybox "busybox xargs -0 busybox cat < $W/list0 > /dev/null")
    cmds+=(-n GNU "xargs -0 cat < $W/list0 > /dev/null")
    hfs "${cmds[@]}"
}

case_grep() {
    echo "### grep -c on 19 MB of text (400,000 lines)"
    text 400000 > "$W/t19"
    local p
    for p in the -E:foo\|bar -i:THE '[aeiou][aeiou][aeiou][aeiou]' '^.*x'; do
        local args=${p//:/ }
        hf -n "rbox grep -c $args" "$R/grep -c $args $W/t19" -n "GNU grep -c $args" "grep -c $args $W/t19"
    done
}

case_envsubst() {
    echo "### envsubst on a 19 MB template (200,000 lines, four references each)"
    awk 'BEGIN { for (i = 0; i < 200000; i++) printf "server_name ${HOST}; listen ${PORT}; root ${ROOT}/site%d; log ${LOGDIR}/access.log padding padding padding\n", i }' > "$W/tpl"
    export HOST=example.org PORT=8080 ROOT=/srv LOGDIR=/var/log
    local cmds=(-n rbox "$R/envsubst < $W/tpl > /dev/null")
    have envsubst && cmds+=(-n gettext "envsubst < $W/tpl > /dev/null")
    hfs "${cmds[@]}"
    cmds=(-n "rbox SHELL-FORMAT" "$R/envsubst '\$HOST \$PORT' < $W/tpl > /dev/null")
    have envsubst && cmds+=(-n "gettext SHELL-FORMAT" "envsubst '\$HOST \$PORT' < $W/tpl > /dev/null")
    hfs "${cmds[@]}"
}

case_seq() {
    echo "### seq 10000000"
    hfs -n rbox "$R/seq 10000000 > /dev/null" -n GNU "seq 10000000 > /dev/null"
}

case_base64() {
    echo "### base64 of 30 MB, and -d"
    head -c 30000000 /dev/urandom > "$W/r30"
    base64 "$W/r30" > "$W/r30.b64"
    hfs -n rbox "$R/base64 $W/r30 > /dev/null" -n GNU "base64 $W/r30 > /dev/null"
    hfs -n "rbox -d" "$R/base64 -d $W/r30.b64 > /dev/null" -n "GNU -d" "base64 -d $W/r30.b64 > /dev/null"
}

case_od() {
    echo "### od -t x1 of 4 MB"
    head -c 4000000 /dev/urandom > "$W/r4"
    hfs -n rbox "$R/od -t x1 $W/r4 > /dev/null" -n GNU "od -t x1 $W/r4 > /dev/null"
}

case_gzip() {
    echo "### compression of 20 MB of text"
    text 420000 > "$W/t20"
    gzip -c "$W/t20" > "$W/t20.gz"
    xz -c "$W/t20" > "$W/t20.xz"
    bzip2 -c "$W/t20" > "$W/t20.bz2"
    local cmds=(-n "rbox gzip -c" "$R/gzip -c $W/t20 > /dev/null" -n "GNU gzip -c" "gzip -c $W/t20 > /dev/null")
    have pigz && cmds+=(-n "pigz -p1 -c" "pigz -p1 -c $W/t20 > /dev/null")
    hfs "${cmds[@]}"
    cmds=(-n "rbox gzip -dc" "$R/gzip -dc $W/t20.gz > /dev/null" -n "GNU gzip -dc" "gzip -dc $W/t20.gz > /dev/null")
    have pigz && cmds+=(-n "pigz -dc" "pigz -dc $W/t20.gz > /dev/null")
    hfs "${cmds[@]}"
    hfs -n "rbox xzcat" "$R/xzcat $W/t20.xz > /dev/null" -n "xz -dc" "xz -dc $W/t20.xz > /dev/null"
    hfs -n "rbox bzcat" "$R/bzcat $W/t20.bz2 > /dev/null" -n "bzip2 -dc" "bzip2 -dc $W/t20.bz2 > /dev/null"
}

cases=("$@")
[ ${#cases[@]} -gt 0 ] || cases=(xargs grep envsubst seq base64 od gzip)
echo "rbox: $BIN ($(stat -c %s "$BIN") bytes), load $(cut -d' ' -f1 /proc/loadavg)"
for c in "${cases[@]}"; do
    "case_$c"
done
