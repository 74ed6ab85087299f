# Sourced by the entrypoint, as postgres does with non-executable *.sh files.
echo "shared_buffers = 64MB" >> "$PGDATA/postgresql.conf"
echo "initdb.d: settings for $(id -un) in ${PGDATA##*/}"
