#!/usr/bin/env bash
# Wall time of the end-to-end scenario inside a scratch root (root needed for chroot):
# wget a 10 MB application archive over loopback, unpack it with tar, list it with ls, run its
# #!/bin/sh entrypoint, which execs the application. The server is BusyBox's httpd.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
W=$(mktemp -d /tmp/rbox-e2e.XXXXXX)
srv=
trap '[ -n "$srv" ] && kill "$srv" 2>/dev/null; rm -rf "$W"' EXIT
sh image/mkroot.sh "$W/root" target/x86_64-unknown-linux-musl/release/rbox
chroot "$W/root" /bin/rbox --install -s /bin
mkdir -p "$W/root/opt" "$W/www/src/app/conf.d"
head -c 10000000 /dev/urandom > "$W/www/src/app/data.bin"
cat > "$W/www/src/app/entrypoint.sh" <<'SH'
#!/bin/sh
set -e
for f in /opt/app/conf.d/*.sh; do . "$f"; done
cat > /opt/app/app.conf <<EOF
name=${APP_NAME:-demo}
EOF
case "$1" in run) shift; exec "$@" ;; esac
SH
echo 'export GREETING=hello' > "$W/www/src/app/conf.d/10-greeting.sh"
chmod 755 "$W/www/src/app/entrypoint.sh"
tar czf "$W/www/app.tar.gz" -C "$W/www/src" app
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
busybox httpd -f -p "127.0.0.1:$port" -h "$W/www" & srv=$!
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
for i in 1 2 3 4 5; do
    rm -rf "$W/root/opt/app"
    /usr/bin/time -f "run $i: %e s wall, %M KiB peak RSS" chroot "$W/root" /bin/sh -c \
        "wget -q -O- http://127.0.0.1:$port/app.tar.gz | tar xz -C /opt && ls -l /opt/app > /tmp/ls.out \
         && /opt/app/entrypoint.sh run /bin/sh -c 'test \"\$GREETING\" = hello'"
done
