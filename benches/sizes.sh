#!/usr/bin/env bash
# Stripped static size of the full rbox build and of each single-applet build
# (`--no-default-features --features X`), as a markdown table for the README.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=target/x86_64-unknown-linux-musl/release/rbox
size() { stat -c %s "$bin"; }
cargo build --release --quiet
full=$(size)
echo "| build | stripped static size |"
echo "|---|---|"
printf '| all applets (%s) | %s bytes (%s KiB) |\n' "$(./$bin --list | tr '\n' ' ' | sed 's/ $//')" "$full" $((full / 1024))
for a in $(./$bin --list); do
    cargo build --release --quiet --no-default-features --features "$a"
    s=$(size)
    printf '| `--features %s` alone | %s bytes (%s KiB) |\n' "$a" "$s" $((s / 1024))
done
cargo build --release --quiet   # leave the full build in place
