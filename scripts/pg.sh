#!/usr/bin/env bash
# Creates (once) and starts the project-local PostgreSQL 15 cluster in
# .local/pg on a loopback port (PGPORT, default 55432), or another cluster:
# PG_CLUSTER=<folder> PGPORT=<port> (make faults makes a throwaway one so; the
# port is written into a cluster when it is created). Recovers from a killed
# server: pg_ctl sees the stale postmaster.pid, and PostgreSQL replays its
# WAL on start, which needs fsync and full_page_writes on: they are, unless
# PG_DURABILITY=unsafe says the cluster is a throwaway test one (see
# pg_durability_conf in lib.sh).
# Applied at every call: a cluster switched to unsafe for a test run is safe
# again at the next make run.
source "$(dirname "$0")/lib.sh"
mkdir -p "$LOCAL" "$LOG"
# initdb refuses to run as root: as root, run the cluster as the "postgres"
# system user (Debian's PostgreSQL package makes it; else it is made here).
if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
    useradd --system --home-dir /var/lib/postgresql --create-home postgres
fi

# As root the cluster runs as "postgres", which must reach the checkout. Under
# a private folder (say /root/...) it cannot: the cluster then lives in a
# folder of the postgres user, named after this checkout (and the cluster's
# folder, for another one than .local/pg), and .local/pg links to it.
CLUSTER="$(pg_cluster)"
CLUSTER_ID="$ROOT"
[ "$CLUSTER" = "$LOCAL/pg" ] || CLUSTER_ID="$CLUSTER"
mkdir -p "$(dirname "$CLUSTER")"
if [ "$(id -u)" = 0 ] && [ ! -e "$CLUSTER" ] \
        && ! su -s /bin/sh postgres -c "test -x '$(dirname "$CLUSTER")'" 2>/dev/null; then
    away="/var/lib/postgresql/sales-suite/$(echo "$CLUSTER_ID" | sha1sum | cut -c1-12)"
    mkdir -p "$away"
    ln -s "$away" "$CLUSTER"
fi
pg_paths
mkdir -p "$PGHOME" "$PGSOCK"

as_pg() {
    if [ "$(id -u)" = 0 ]; then
        (cd / && su -s /bin/bash postgres -c "$*")
    else
        bash -c "$*"
    fi
}

pg_own_cluster "$PGHOME" "$PGDATA" "$PGSOCK"
if [ ! -f "$PGDATA/PG_VERSION" ]; then
    say "Creating the PostgreSQL cluster in $PGHOME (port $PGPORT)"
    rm -rf "$PGDATA"
    as_pg "'$PGBIN/initdb' -D '$PGDATA' -U odoo -A trust -E UTF8 --locale=C.UTF-8 >'$PGHOME/initdb.log' 2>&1" \
        || { cat "$PGHOME/initdb.log"; die "initdb failed"; }
    cat >>"$PGDATA/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PGPORT
unix_socket_directories = '$PGSOCK'
shared_buffers = 512MB
work_mem = 32MB
maintenance_work_mem = 256MB
max_connections = 200
CONF
fi
# JIT compiles a report's expressions when its estimated cost is high: on the
# plan report that costs seconds for a query that runs in a third of one.
# Set on clusters made before this line too.
grep -q "^jit = off" "$PGDATA/postgresql.conf" || as_pg "echo 'jit = off' >>'$PGDATA/postgresql.conf'"
# Durability: in a file of its own, included last, so that it overrides the
# fsync/full_page_writes = off that clusters made before it carry.
pg_durability_conf "${PG_DURABILITY:-safe}" >"$PGDATA/sales_suite_durability.conf"
if [ "$(id -u)" = 0 ]; then chown postgres: "$PGDATA/sales_suite_durability.conf"; fi
grep -q "^include_if_exists = 'sales_suite_durability.conf'" "$PGDATA/postgresql.conf" \
    || as_pg "echo \"include_if_exists = 'sales_suite_durability.conf'\" >>'$PGDATA/postgresql.conf'"

if as_pg "'$PGBIN/pg_ctl' -D '$PGDATA' status" >/dev/null 2>&1; then
    as_pg "'$PGBIN/pg_ctl' -D '$PGDATA' reload" >/dev/null
    exit 0
fi
say "Starting PostgreSQL on 127.0.0.1:$PGPORT"
as_pg "'$PGBIN/pg_ctl' -D '$PGDATA' -l '$PGLOG' -w -t 60 start" >/dev/null \
    || { tail -20 "$PGLOG"; die "PostgreSQL did not start (see $PGLOG)"; }
