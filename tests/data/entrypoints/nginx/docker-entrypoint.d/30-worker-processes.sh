#!/bin/sh
# Write the worker count when asked to (NGINX_WORKERS), with sed on a copy of the main config.
set -eu

conf=${NGINX_ENVSUBST_OUTPUT_DIR:-/etc/nginx/conf.d}/../nginx.conf
[ -n "${NGINX_WORKERS:-}" ] || exit 0
if grep -q '^worker_processes' "$conf"; then
    sed -i -e "s/^worker_processes .*/worker_processes ${NGINX_WORKERS};/" "$conf"
    echo "$(basename "$0"): worker_processes set to ${NGINX_WORKERS}"
fi
