#!/bin/sh
# A postgres-style entrypoint: as root, prepare the data and socket directories for the
# postgres user and re-run as it; on the first run (empty PGDATA) initialise the cluster, edit
# its configuration and run /docker-entrypoint-initdb.d; later runs start it as it is.
set -e

: "${PGDATA:=/var/lib/postgresql/data}"
: "${PGSOCKETDIR:=/var/run/postgresql}"
: "${INITDB_D:=/docker-entrypoint-initdb.d}"
export PGDATA PGSOCKETDIR

create_db_directories() {
    mkdir -p "$PGDATA"
    chmod 700 "$PGDATA"
    mkdir -p "$PGSOCKETDIR"
    chmod 3777 "$PGSOCKETDIR"
    if [ "$(id -u)" = '0' ]; then
        chown -R postgres:postgres "$PGDATA"
        chown postgres "$PGSOCKETDIR"
    fi
}

process_init_files() {
    for f in "$INITDB_D"/*; do
        case "$f" in
            *.sh)
                echo "$0: running ${f##*/}"
                . "$f"
                ;;
            *.sql)
                echo "$0: running ${f##*/}"
                cat "$f" >> "$PGDATA/applied.sql"
                ;;
            *)
                echo "$0: ignoring ${f##*/}"
                ;;
        esac
    done
}

if [ "$1" = 'postgres' ]; then
    if [ "$(id -u)" = '0' ]; then
        create_db_directories
        exec su-exec postgres "$0" "$@"
    fi
    if [ -z "$(ls -A "$PGDATA")" ]; then
        initdb --username="${POSTGRES_USER:-postgres}" -D "$PGDATA"
        printf '\nhost all all all %s\n' "${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}" >> "$PGDATA/pg_hba.conf"
        if ! grep -q '^listen_addresses' "$PGDATA/postgresql.conf"; then
            sed -ri "s/^#?(listen_addresses\s*=\s*)\S+.*/\1'*'/" "$PGDATA/postgresql.conf"
        fi
        sed -i -e "s|^#unix_socket_directories = .*|unix_socket_directories = '$PGSOCKETDIR'|" \
            -e '/^# *-/d' "$PGDATA/postgresql.conf"
        process_init_files
        echo 'PostgreSQL init process complete; ready for start up.'
    else
        echo 'PostgreSQL Database directory appears to contain a database; Skipping initialization'
    fi
fi

exec "$@"
