#!/usr/bin/env bash
# The system-layer measurement quoted in README "Dependencies": the same calls made through own
# wrappers over libc, through nix and through rustix, each a static musl program at rbox's
# release profile. Prints each program's added size over `base` (std + libc, empty main) and
# times 1M fstatat calls and reading a 10,000-entry directory 50 times (CPU time, interleaved).
set -euo pipefail
cd "$(dirname "$0")"
export RUSTFLAGS="-C target-feature=+crt-static"
T=x86_64-unknown-linux-musl
for d in base libc nix rustix; do
    (cd "$d" && cargo build -q --release --target $T)
done
size_of() { stat -c %s "$1/target/$T/release/m_$1"; }
base=$(size_of base)
for d in libc nix rustix; do
    s=$(size_of $d)
    echo "$d: $s bytes, +$((s - base)) over base ($base)"
done
fx=$(mktemp -d)
trap 'rm -rf "$fx"' EXIT
mkdir "$fx/big" "$fx/bench" && touch "$fx/bench/f"
(cd "$fx/big" && seq 10000 | xargs touch)
python3 bench.py stat "$fx/bench" 1000000 7
python3 bench.py dents "$fx/big" 50 7
