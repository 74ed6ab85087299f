#!/bin/sh
# A redis-style entrypoint: options or a .conf file alone mean `redis-server` with them; as
# root, give the working directory (the data volume) to the redis user, then run as redis.
set -e

# first arg is `-f` or `--some-option`, or a .conf file
if [ "${1#-}" != "$1" ] || [ "${1%.conf}" != "$1" ]; then
    set -- redis-server "$@"
fi

# allow the container to be started with `--user`
if [ "$1" = 'redis-server' ] && [ "$(id -u)" = '0' ]; then
    find . \! -user redis -exec chown redis '{}' +
    exec su-exec redis "$0" "$@"
fi

# an effective umask for the data files, unless the caller chose one
um="$(umask)"
if [ "$um" = '0022' ]; then
    umask 0077
fi

exec "$@"
