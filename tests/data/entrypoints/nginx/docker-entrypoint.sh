#!/bin/sh
# An nginx-style entrypoint: with `nginx` as the command, run the configuration scripts of
# /docker-entrypoint.d in version order (*.envsh sourced, executable *.sh run, the rest
# ignored), then exec the command.
set -e

: "${DOCKER_ENTRYPOINT_D:=/docker-entrypoint.d}"

say() {
    if [ -z "${NGINX_ENTRYPOINT_QUIET_LOGS:-}" ]; then
        echo "$@"
    fi
}

if [ "$1" = "nginx" ] || [ "$1" = "nginx-debug" ]; then
    if find "$DOCKER_ENTRYPOINT_D/" -mindepth 1 -maxdepth 1 -type f -print -quit 2>/dev/null | read -r _; then
        say "$0: $DOCKER_ENTRYPOINT_D/ is not empty, will attempt to perform configuration"
        say "$0: Looking for shell scripts in $DOCKER_ENTRYPOINT_D/"
        find "$DOCKER_ENTRYPOINT_D/" -follow -type f -print | sort -V | while read -r f; do
            case "$f" in
                *.envsh)
                    if [ -x "$f" ]; then
                        say "$0: Sourcing $f"
                        . "$f"
                    else
                        say "$0: Ignoring $f, not executable"
                    fi
                    ;;
                *.sh)
                    if [ -x "$f" ]; then
                        say "$0: Launching $f"
                        "$f"
                    else
                        say "$0: Ignoring $f, not executable"
                    fi
                    ;;
                *)
                    say "$0: Ignoring $f"
                    ;;
            esac
        done
        say "$0: Configuration complete; ready for start up"
    else
        say "$0: No files found in $DOCKER_ENTRYPOINT_D/, skipping configuration"
    fi
fi

exec "$@"
