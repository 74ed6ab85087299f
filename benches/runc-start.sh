#!/usr/bin/env bash
# Container start-up under runc (root needed): the image built by image/oci.sh from the release
# binary, unpacked into an OCI bundle (config from `runc spec`, host network), run 10 times per
# case; prints each case's median wall time, and the image's layer sizes.
#   to the first prompt: `sh -i` (the image's CMD) printing its prompt and reading `exit`
#   CMD ["true"]:        the applet found on PATH, run and exited
# Usage: bash benches/runc-start.sh   (RUNS=N to change the count)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-10}
cargo build --release --quiet
W=$(mktemp -d /tmp/rbox-runc-start.XXXXXX)
trap 'rm -rf "$W"' EXIT
sh image/oci.sh "$W/oci" target/x86_64-unknown-linux-musl/release/rbox > "$W/oci.out"
cat "$W/oci.out"
layer=$(sed -n 's/.*"Layers":\["\([^"]*\)".*/\1/p' "$W/oci/rbox-oci/manifest.json")
mkdir -p "$W/b/rootfs"
tar -xzpf "$W/oci/rbox-oci/$layer" -C "$W/b/rootfs" --numeric-owner
cd "$W/b"
# config.json as `runc spec` writes it, without a terminal or a network namespace (the host's),
# with the image's PATH; ARGS is filled in per case.
config() {
    cat > config.json <<JSON
{"ociVersion":"1.0.2-dev",
 "process":{"terminal":false,"user":{"uid":0,"gid":0},"args":[$1],
  "env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","HOME=/root"],"cwd":"/",
  "capabilities":{"bounding":["CAP_AUDIT_WRITE","CAP_KILL","CAP_NET_BIND_SERVICE"],
   "effective":["CAP_AUDIT_WRITE","CAP_KILL","CAP_NET_BIND_SERVICE"],
   "permitted":["CAP_AUDIT_WRITE","CAP_KILL","CAP_NET_BIND_SERVICE"]},
  "rlimits":[{"type":"RLIMIT_NOFILE","hard":1024,"soft":1024}],"noNewPrivileges":true},
 "root":{"path":"rootfs","readonly":true},
 "hostname":"runc",
 "mounts":[{"destination":"/proc","type":"proc","source":"proc"},
  {"destination":"/dev","type":"tmpfs","source":"tmpfs","options":["nosuid","strictatime","mode=755","size=65536k"]},
  {"destination":"/dev/pts","type":"devpts","source":"devpts","options":["nosuid","noexec","newinstance","ptmxmode=0666","mode=0620","gid=5"]},
  {"destination":"/dev/shm","type":"tmpfs","source":"shm","options":["nosuid","noexec","nodev","mode=1777","size=65536k"]},
  {"destination":"/sys","type":"sysfs","source":"sysfs","options":["nosuid","noexec","nodev","ro"]}],
 "linux":{"resources":{"devices":[{"allow":false,"access":"rwm"}]},
  "namespaces":[{"type":"pid"},{"type":"ipc"},{"type":"uts"},{"type":"mount"}],
  "maskedPaths":["/proc/kcore","/proc/keys","/proc/timer_list","/sys/firmware"],
  "readonlyPaths":["/proc/bus","/proc/fs","/proc/irq","/proc/sys","/proc/sysrq-trigger"]}}
JSON
}
# Median of nanosecond counts, in milliseconds.
median() { sort -n | awk '{ a[NR] = $1 / 1e6 } END { printf "%.1f ms (min %.1f, max %.1f)\n", (a[int((NR+1)/2)] + a[int(NR/2)+1]) / 2, a[1], a[NR] }'; }
one() { # nanoseconds of one command
    local t0 t1
    t0=$(date +%s%N)
    "$@" > "$W/out" 2>&1 || { cat "$W/out" >&2; exit 1; }
    t1=$(date +%s%N)
    echo $((t1 - t0))
}
config '"/bin/sh", "-i"'
for i in $(seq "$runs"); do
    one sh -c "echo exit | runc run rbox-start-$$-$i"
done | median | sed 's/^/to the first prompt (sh -i, then exit): /'
config '"true"'
for i in $(seq "$runs"); do
    one runc run "rbox-true-$$-$i" < /dev/null
done | median | sed 's/^/CMD ["true"] to exit:                   /'
