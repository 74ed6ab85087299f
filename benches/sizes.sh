#!/usr/bin/env bash
# Stripped static size of the full rbox build, of each single-applet build
# (`--no-default-features --features X`), and what each applet and each tar codec adds to the
# full build (the full build minus a build without it), as a markdown table for the README.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=target/x86_64-unknown-linux-musl/release/rbox
build() { cargo build --release --quiet --no-default-features --features "$1"; stat -c %s "$bin"; }
kib() { echo "$(($1 / 1024)) KiB"; }
cargo build --release --quiet
full=$(stat -c %s "$bin")
# Applet names are feature names, except `[` (the `test` feature, listed too).
applets=$(./$bin --list | grep -vx '\[')
codecs="tar-gzip tar-bzip2 tar-xz tar-zstd"
# Every feature but $1 (an applet, or a tar codec; `tar` itself then lists its codecs).
without() {
    local f out=()
    for f in $applets; do
        [ "$f" = "$1" ] || [ "$f" = tar ] || out+=("$f")
    done
    if [ "$1" != tar ]; then
        out+=(tar-core)
        for f in $codecs; do [ "$f" = "$1" ] || out+=("$f"); done
    fi
    (IFS=,; echo "${out[*]}")
}
echo "| build | stripped static size | added to the full build |"
echo "|---|---|---|"
printf '| all applets (%s) | %s bytes (%s) | |\n' "$(echo $applets)" "$full" "$(kib "$full")"
for a in $applets; do
    s=$(build "$a")
    w=$(build "$(without "$a")")
    printf '| `--features %s` alone | %s bytes (%s) | %s |\n' "$a" "$s" "$(kib "$s")" "$(kib $((full - w)))"
done
for c in $codecs; do
    w=$(build "$(without "$c")")
    printf '| tar codec `%s` | | %s |\n' "$c" "$(kib $((full - w)))"
done
cargo build --release --quiet   # leave the full build in place
