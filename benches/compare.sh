#!/usr/bin/env bash
# rbox against its peers, as a reader of the README can reproduce it.
#
#   benches/compare.sh [CASE...]      CASE: cat ls sh tar wget (default: all)
#
# Builds the release binary, generates fixtures in a temporary directory, and times each
# command with hyperfine (Debian package `hyperfine`) against GNU coreutils, BusyBox
# (`busybox-static`), toybox, dash, GNU tar, bsdtar, curl and GNU wget where installed. Prints
# one markdown table per case: median, min and max wall time and each command's ratio to the
# fastest median. The thorough, interleaved yardstick used for the
# issues' figures is benches/yardstick/compare.sh; this script is the quick public one.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "compare.sh: needs hyperfine (apt-get install hyperfine)" >&2; exit 2; }
cargo build --release --quiet
RBOX=$PWD/target/x86_64-unknown-linux-musl/release/rbox
cases=("$@"); [ ${#cases[@]} -gt 0 ] || cases=(cat ls sh tar wget)
W=$(mktemp -d /tmp/rbox-compare.XXXXXX)
srv=
trap '[ -n "$srv" ] && kill "$srv" 2>/dev/null; rm -rf "$W"' EXIT
mkdir -p "$W/bin"
for a in $("$RBOX" --list); do ln -s "$RBOX" "$W/bin/$a"; done
export LC_ALL=C TZ=UTC0

have() { command -v "$1" >/dev/null 2>&1; }
# bench NAME CMD_RBOX [LABEL CMD]...
bench() {
    local name=$1; shift
    local js="$W/result.$RANDOM.json"
    local args=(--warmup 2 --min-runs 5 --export-json "$js" -n rbox "$1"); shift
    while [ $# -gt 1 ]; do
        # A peer that is not installed is left out.
        command -v "${2%% *}" >/dev/null 2>&1 && args+=(-n "$1" "$2")
        shift 2
    done
    hyperfine --style none "${args[@]}" >/dev/null
    echo "#### $name"
    # Medians (robust to the shared machine's outliers) and each one's ratio to the fastest.
    python3 - "$js" <<'PY'
import json, sys
rs = json.load(open(sys.argv[1]))["results"]
best = min(r["median"] for r in rs)
ms = lambda t: f"{t * 1000:.1f}"
print("| Command | Median [ms] | Min [ms] | Max [ms] | Runs | Ratio to fastest |")
print("|:---|---:|---:|---:|---:|---:|")
for r in rs:
    print(f"| `{r['command']}` | {ms(r['median'])} | {ms(r['min'])} | {ms(r['max'])} "
          f"| {len(r['times'])} | {r['median'] / best:.2f} |")
PY
    echo
}
for c in "${cases[@]}"; do case $c in
cat)
    head -c 268435456 /dev/urandom > "$W/big.bin"
    python3 -c "
import random; r=random.Random(1); w=[''.join(r.choice('abcdefghij') for _ in range(r.randint(1,9))) for _ in range(999)]
f=open('$W/text.txt','w'); n=0
while n<50_000_000:
    l=' '.join(r.choice(w) for _ in range(r.randint(0,14)))+'\n'; f.write(l); n+=len(l)"
    bench "cat 256 MiB to /dev/null" "$W/bin/cat $W/big.bin" GNU "/usr/bin/cat $W/big.bin" busybox "busybox cat $W/big.bin" toybox "toybox cat $W/big.bin"
    bench "cat -n 50 MB of text" "$W/bin/cat -n $W/text.txt" GNU "/usr/bin/cat -n $W/text.txt" busybox "busybox cat -n $W/text.txt"
    ;;
ls)
    mkdir -p "$W/dir"; (cd "$W/dir" && seq 1 50000 | xargs touch)
    for f in "-1" "-l" "-la --color=never"; do
        bench "ls $f (50,000 entries)" "$W/bin/ls $f $W/dir" GNU "/usr/bin/ls $f $W/dir" busybox "busybox ls $f $W/dir" toybox "toybox ls $f $W/dir"
    done
    ;;
sh)
    loop='i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done'
    bench "sh -c true" "$W/bin/sh -c true" dash "dash -c true" busybox "busybox sh -c true"
    bench "sh arithmetic loop (200k)" "$W/bin/sh -c '$loop'" dash "dash -c '$loop'" busybox "busybox sh -c '$loop'"
    ;;
tar)
    mkdir -p "$W/tree"; (cd "$W/tree" && for d in $(seq 1 20); do mkdir d$d; for f in $(seq 1 500); do head -c $((f * 7)) /dev/urandom > d$d/f$f; done; done)
    /usr/bin/tar -cf "$W/ref.tar" -C "$W" tree
    bench "tar -cf (10,000 files)" "$W/bin/tar -cf $W/o1.tar -C $W tree" "GNU tar" "/usr/bin/tar -cf $W/o2.tar -C $W tree" bsdtar "bsdtar -cf $W/o3.tar -C $W tree" busybox "busybox tar -cf $W/o4.tar -C $W tree"
    mkdir -p "$W/x"
    bench "tar -xf (10,000 files)" "$W/bin/tar -xf $W/ref.tar -C $W/x" "GNU tar" "/usr/bin/tar -xf $W/ref.tar -C $W/x" bsdtar "bsdtar -xf $W/ref.tar -C $W/x" busybox "busybox tar -xf $W/ref.tar -C $W/x"
    ;;
wget)
    # BusyBox's httpd serves the file on loopback; every client fetches the same bytes.
    mkdir -p "$W/www"; head -c 268435456 /dev/urandom > "$W/www/big.bin"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    busybox httpd -f -p "127.0.0.1:$port" -h "$W/www" & srv=$!
    for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
    u="http://127.0.0.1:$port/big.bin"
    bench "wget 256 MiB over loopback to /dev/null" "$W/bin/wget -q -O /dev/null $u" "GNU wget" "/usr/bin/wget -q -O /dev/null $u" curl "curl -s -o /dev/null $u" busybox "busybox wget -q -O /dev/null $u"
    ;;
*) echo "compare.sh: unknown case '$c'" >&2; exit 2 ;;
esac; done
