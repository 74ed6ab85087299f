#!/bin/sh
# Lay out the root file system of the scratch image: ROOT/bin/rbox, /etc/passwd, /etc/group
# (root and distroless's nonroot, uid 65532) and a world-writable sticky /tmp.
# Used by the Dockerfile's build stage and, unchanged, by the chroot tests.
# Usage: mkroot.sh ROOT RBOX_BINARY
set -eu
root=$1
bin=$2
mkdir -p "$root/bin" "$root/etc" "$root/tmp" "$root/root" "$root/home/nonroot"
cp "$bin" "$root/bin/rbox"
chmod 0755 "$root/bin" "$root/etc" "$root/bin/rbox"
chmod 1777 "$root/tmp"
chmod 0700 "$root/root"
cat > "$root/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
nonroot:x:65532:65532:nonroot:/home/nonroot:/bin/sh
PASSWD
cat > "$root/etc/group" <<'GROUP'
root:x:0:
nobody:x:65534:
nonroot:x:65532:
GROUP
chmod 0644 "$root/etc/passwd" "$root/etc/group"
chown 65532:65532 "$root/home/nonroot" 2>/dev/null || true
