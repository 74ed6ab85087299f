#!/bin/sh
# Build the scratch image without a Docker daemon (and without root): an OCI image layout and a
# `docker load`/`podman load` tarball holding the same image, made from what the Dockerfile's
# last stage produces — image/mkroot.sh's tree plus `rbox --install -s /usr/bin`'s links, with
# the last stage's ENV and CMD.
#
# Usage: sh image/oci.sh [OUTDIR [RBOX_BINARY]]
#   OUTDIR       default target/oci; receives rbox-oci/ (the OCI layout, with docker's
#                manifest.json and repositories beside index.json) and rbox-oci.tar (that
#                directory as one tar: `docker load < rbox-oci.tar`, `podman load -i ...`)
#   RBOX_BINARY  default target/x86_64-unknown-linux-musl/release/rbox (cargo build --release)
# Environment: RBOX_SOURCE (the org.opencontainers.image.source label; default Cargo.toml's
# `repository`, then git's remote.origin.url), SOURCE_DATE_EPOCH (every timestamp; default 0).
#
# Reproducible: the same binary and scripts give the same digests. One layer, entries in byte
# order, numeric owners (0, the shadow group 42 for /etc/shadow, 65532 for /home/nonroot), every
# mtime SOURCE_DATE_EPOCH, GNU tar format, gzip -n (no name, no time).
# Needs only what a fresh Debian has: sh, GNU tar, gzip, coreutils, sed, find.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
out=${1:-$top/target/oci}
bin=${2:-$top/target/x86_64-unknown-linux-musl/release/rbox}
epoch=${SOURCE_DATE_EPOCH:-0}
[ -x "$bin" ] || { echo "oci.sh: $bin: no rbox binary (cargo build --release)" >&2; exit 1; }

version=$(sed -n 's/^version *= *"\(.*\)"/\1/p' "$top/Cargo.toml" | head -n 1)
source=${RBOX_SOURCE:-$(sed -n 's/^repository *= *"\(.*\)"/\1/p' "$top/Cargo.toml" | head -n 1)}
if [ -z "$source" ]; then
    source=$(git -C "$top" config --get remote.origin.url 2>/dev/null || true)
fi
# The Dockerfile's last stage: its ENV and CMD lines become the config.
last=$(sed -n '/^FROM /h; /^FROM /!H; ${x;p;}' "$top/Dockerfile")
case $last in
    "FROM scratch"*) ;;
    *) echo "oci.sh: the Dockerfile's last stage is not FROM scratch" >&2; exit 1 ;;
esac
path=$(printf '%s\n' "$last" | sed -n 's/^ENV PATH=//p')
cmd=$(printf '%s\n' "$last" | sed -n 's/^CMD //p')
[ -n "$path" ] && [ -n "$cmd" ] || { echo "oci.sh: no ENV PATH= or CMD in the last stage" >&2; exit 1; }
created=$(date -u -d "@$epoch" +%Y-%m-%dT%H:%M:%SZ)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/root
sh "$here/mkroot.sh" "$root" "$bin"
# The last stage's RUN, run by the image's own binary: links relative to usr/bin/rbox.
"$root/usr/bin/rbox" --install -s "$root/usr/bin"

# The layer: runs of entries with the same owner, each appended in byte order.
(cd "$root" && find . -mindepth 1 | sed 's|^\./||' | LC_ALL=C sort) > "$work/list"
: > "$work/layer.tar"
owner_of() {
    case $1 in
        home/nonroot) echo 65532:65532 ;;
        etc/shadow) echo 0:42 ;;
        *) echo 0:0 ;;
    esac
}
flush() {
    [ -s "$work/run" ] || return 0
    tar -rf "$work/layer.tar" -C "$root" --format=gnu --numeric-owner --no-recursion \
        --owner="${cur%:*}" --group="${cur#*:}" --mtime="@$epoch" -T "$work/run"
    : > "$work/run"
}
cur=0:0
: > "$work/run"
while IFS= read -r f; do
    o=$(owner_of "$f")
    if [ "$o" != "$cur" ]; then
        flush
        cur=$o
    fi
    printf '%s\n' "$f" >> "$work/run"
done < "$work/list"
flush

lay=$out/rbox-oci
rm -rf "$lay" "$out/rbox-oci.tar"
mkdir -p "$lay/blobs/sha256"
sha() { sha256sum "$1" | cut -d' ' -f1; }
size() { wc -c < "$1" | tr -d ' '; }
# Put a file into blobs/sha256 under its digest; prints the hex digest.
blob() {
    h=$(sha "$1")
    mv "$1" "$lay/blobs/sha256/$h"
    echo "$h"
}

diff_id=$(sha "$work/layer.tar")
gzip -n < "$work/layer.tar" > "$work/layer.tar.gz"
layer_size=$(size "$work/layer.tar.gz")
layer=$(blob "$work/layer.tar.gz")

labels="\"org.opencontainers.image.title\":\"rbox\",\"org.opencontainers.image.version\":\"$version\""
# No source label when the source is not known (set RBOX_SOURCE).
[ -z "$source" ] || labels="$labels,\"org.opencontainers.image.source\":\"$source\""
printf '%s' "{\"architecture\":\"amd64\",\"os\":\"linux\",\"created\":\"$created\",\
\"config\":{\"Env\":[\"PATH=$path\"],\"Cmd\":$cmd,\"Labels\":{$labels}},\
\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:$diff_id\"]},\
\"history\":[{\"created\":\"$created\",\"created_by\":\"COPY --from=build /rootfs/ / (image/mkroot.sh); RUN [\\\"/bin/rbox\\\", \\\"--install\\\", \\\"-s\\\", \\\"/usr/bin\\\"]\",\"comment\":\"image/oci.sh\"},\
{\"created\":\"$created\",\"created_by\":\"ENV PATH=$path\",\"empty_layer\":true},\
{\"created\":\"$created\",\"created_by\":\"CMD $(printf '%s' "$cmd" | sed 's/"/\\"/g')\",\"empty_layer\":true}]}" \
    > "$work/config.json"
config_size=$(size "$work/config.json")
config=$(blob "$work/config.json")

printf '%s' "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\
\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"sha256:$config\",\"size\":$config_size},\
\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"sha256:$layer\",\"size\":$layer_size}],\
\"annotations\":{$labels}}" > "$work/manifest"
manifest_size=$(size "$work/manifest")
manifest=$(blob "$work/manifest")

ref() {
    printf '%s' "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"sha256:$manifest\",\"size\":$manifest_size,\
\"annotations\":{\"io.containerd.image.name\":\"docker.io/library/rbox:$1\",\"org.opencontainers.image.ref.name\":\"$1\"}}"
}
printf '%s\n' "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[$(ref latest),$(ref "$version")]}" > "$lay/index.json"
printf '%s\n' '{"imageLayoutVersion":"1.0.0"}' > "$lay/oci-layout"
printf '%s\n' "[{\"Config\":\"blobs/sha256/$config\",\"RepoTags\":[\"rbox:latest\",\"rbox:$version\"],\"Layers\":[\"blobs/sha256/$layer\"]}]" > "$lay/manifest.json"
printf '%s\n' "{\"rbox\":{\"latest\":\"$layer\",\"$version\":\"$layer\"}}" > "$lay/repositories"
chmod -R u=rwX,go=rX "$lay"
tar -cf "$out/rbox-oci.tar" -C "$lay" --sort=name --format=gnu --numeric-owner --owner=0 \
    --group=0 --mtime="@$epoch" --mode=u=rwX,go=rX blobs index.json manifest.json oci-layout \
    repositories

echo "rbox:$version sha256:$manifest"
echo "layer: $(size "$work/layer.tar") bytes, $layer_size gzip-compressed (sha256:$layer)"
echo "layout: $lay"
echo "tarball: $out/rbox-oci.tar"
