#!/bin/sh
# Lay out the root file system of the scratch image in ROOT (everything but the applet links,
# which the Dockerfile's last stage adds with `rbox --install -s /usr/bin`).
# Used by the Dockerfile's build stage, by image/oci.sh and, unchanged, by the tests.
# Usage: mkroot.sh ROOT RBOX_BINARY
#
# The layout (listed in full, with modes, by tests/cli/image.rs):
#   /usr/bin/rbox, and one symlink per applet beside it (after --install)
#   /bin -> usr/bin, /sbin -> usr/bin, /usr/sbin -> bin: /usr merged as Arch and Fedora do, so
#     every applet is found at /bin/X (BusyBox's image), /usr/bin/X and /usr/sbin/X (Debian's
#     paths: `#!/usr/bin/env sh`, /usr/sbin/useradd), and every PATH directory exists
#   /usr/local/bin, /usr/local/sbin   empty, for what the image's users add
#   /etc/passwd, /etc/group, /etc/shadow (0640, group shadow, as Debian): root, nobody and
#     nonroot (uid/gid 65532, as distroless), all without a password; the groups nogroup
#     (65533, as Alpine) that `adduser -S` and `chown nobody:nogroup` name, and www-data (82,
#     as Alpine) that php's `adduser -u 82 -D -S -G www-data www-data` names
#   /etc/os-release (rbox and its version from Cargo.toml), /etc/nsswitch.conf (files only, for
#     glibc programs copied in later), /etc/login.defs and /etc/default/useradd (Debian's
#     defaults for useradd: user groups, uids from 1000, shell /bin/sh)
#   /tmp and /var/tmp 1777, /root 0700, /home/nonroot (owned by 65532), /opt /srv /mnt
#     /var/{cache,lib,log,spool}, /run (0755) with /run/lock (1777), /var/run -> ../run,
#     /var/lock -> ../run/lock, and the mount points /dev (0755), /proc and /sys (0555)
# Works without root (the owner of /home/nonroot is then set by image/oci.sh's tar instead).
set -eu
root=$1
bin=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
here=$(dirname "$0")
version=$(sed -n 's/^version *= *"\(.*\)"/\1/p' "$here/../Cargo.toml" | head -n 1)

umask 022
mkdir -p "$root"
cd "$root"
mkdir -p usr/bin usr/local/bin usr/local/sbin etc root home/nonroot tmp opt srv mnt run/lock \
    var/tmp var/cache var/lib var/log var/spool dev proc sys
for l in bin:usr/bin sbin:usr/bin usr/sbin:bin var/run:../run var/lock:../run/lock; do
    rm -f "${l%%:*}"
    ln -s "${l#*:}" "${l%%:*}"
done
cp "$bin" usr/bin/rbox
chmod 0755 . usr usr/bin usr/local usr/local/bin usr/local/sbin etc home home/nonroot opt srv \
    mnt run var var/cache var/lib var/log var/spool dev usr/bin/rbox
chmod 0555 proc sys
chmod 1777 tmp var/tmp run/lock
chmod 0700 root

cat > etc/passwd <<'EOF'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
nonroot:x:65532:65532:nonroot:/home/nonroot:/bin/sh
EOF
cat > etc/group <<'EOF'
root:x:0:
shadow:x:42:
www-data:x:82:
nobody:x:65534:
nogroup:x:65533:
nonroot:x:65532:
EOF
# No password for anyone ('*': no login by password; su-exec and gosu need none).
cat > etc/shadow <<'EOF'
root:*::0:99999:7:::
nobody:*::0:99999:7:::
nonroot:*::0:99999:7:::
EOF
cat > etc/os-release <<EOF
PRETTY_NAME="rbox $version"
NAME="rbox"
VERSION_ID="$version"
VERSION="$version"
ID=rbox
EOF
cat > etc/nsswitch.conf <<'EOF'
passwd:         files
group:          files
shadow:         files
gshadow:        files
hosts:          files dns
networks:       files
protocols:      files
services:       files
ethers:         files
rpc:            files
EOF
# useradd's defaults as on Debian (without them shadow's built-ins give group 100, /bin/bash).
mkdir -p etc/default
cat > etc/login.defs <<'EOF'
UID_MIN                  1000
UID_MAX                 60000
SYS_UID_MIN               100
SYS_UID_MAX               999
GID_MIN                  1000
GID_MAX                 60000
SYS_GID_MIN               100
SYS_GID_MAX               999
PASS_MAX_DAYS           99999
PASS_MIN_DAYS               0
PASS_WARN_AGE               7
UMASK                     022
USERGROUPS_ENAB           yes
EOF
cat > etc/default/useradd <<'EOF'
SHELL=/bin/sh
EOF
chmod 0755 etc/default
chmod 0644 etc/passwd etc/group etc/os-release etc/nsswitch.conf etc/login.defs \
    etc/default/useradd
chmod 0640 etc/shadow
chown 0:42 etc/shadow 2>/dev/null || true
chown 65532:65532 home/nonroot 2>/dev/null || true
