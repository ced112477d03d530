#!/usr/bin/env bash
# Creates (once) and starts the project-local PostgreSQL 15 cluster in
# .local/pg on a loopback port. Recovers from a killed server: pg_ctl sees
# the stale postmaster.pid, and PostgreSQL replays its WAL on start.
source "$(dirname "$0")/lib.sh"
mkdir -p "$LOCAL/pg" "$PGSOCK" "$LOG"

# initdb refuses to run as root: run the cluster as the "postgres" system user.
as_pg() {
    if [ "$(id -u)" = 0 ]; then
        id postgres >/dev/null 2>&1 || useradd --system --home-dir "$LOCAL/pg" postgres
        chown -R postgres: "$LOCAL/pg"
        touch "$PGLOG" && chown postgres: "$PGLOG"
        su -s /bin/bash postgres -c "$*"
    else
        bash -c "$*"
    fi
}

if [ ! -f "$PGDATA/PG_VERSION" ]; then
    say "Creating the PostgreSQL cluster in .local/pg (port $PGPORT)"
    rm -rf "$PGDATA"
    as_pg "'$PGBIN/initdb' -D '$PGDATA' -U odoo -A trust -E UTF8 --locale=C.UTF-8 >'$LOCAL/pg/initdb.log' 2>&1" \
        || { cat "$LOCAL/pg/initdb.log"; die "initdb failed"; }
    cat >>"$PGDATA/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PGPORT
unix_socket_directories = '$PGSOCK'
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 512MB
work_mem = 32MB
maintenance_work_mem = 256MB
max_connections = 200
CONF
fi

if as_pg "'$PGBIN/pg_ctl' -D '$PGDATA' status" >/dev/null 2>&1; then
    exit 0
fi
say "Starting PostgreSQL on 127.0.0.1:$PGPORT"
as_pg "'$PGBIN/pg_ctl' -D '$PGDATA' -l '$PGLOG' -w -t 60 start" >/dev/null \
    || { tail -20 "$PGLOG"; die "PostgreSQL did not start (see $PGLOG)"; }
