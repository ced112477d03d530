#!/usr/bin/env bash
# make faults: bench/faults/faults.py against a node of the production
# profile on FAULTS_DB (kill -9 mid 1C sync and mid webhook burst, database
# connections cut under load, a worker past limit_memory_hard, PostgreSQL
# restarted and crashed under load). A few minutes (the first run also builds
# the stack template in the fault cluster: a few more); not part of make test.
#
# The run has a PostgreSQL cluster of its own (FAULTS_PG_CLUSTER, default
# .local/pg-faults, on 127.0.0.1:FAULTS_PGPORT, default 55439), with its own
# pid files, logs and Odoo data folder (.local/faults-state/{run,log,data})
# and configuration (.local/odoo.faults.conf): restarting and crashing it
# touches nobody else's database. It is crash-safe (PG_DURABILITY=safe) with
# synchronous_commit on, as the production PostgreSQL of docker-compose.yml
# (the default), and is stopped at the end. FAULTS_OWN_CLUSTER=0 runs on the
# project's cluster instead, without the restart and crash steps.
source "$(dirname "$0")/lib.sh"
FAULTS_DB="${FAULTS_DB:-sales_faults}"
FAULTS_PORT="${FAULTS_PORT:-18269}"
FAULTS_ONEC_PORT="${FAULTS_ONEC_PORT:-18281}"
FAULTS_OWN_CLUSTER="${FAULTS_OWN_CLUSTER:-1}"
OUT="$LOCAL/faults"

CLUSTER_ARGS=()
if [ "$FAULTS_OWN_CLUSTER" = 1 ]; then
    export PG_CLUSTER="${FAULTS_PG_CLUSTER:-$LOCAL/pg-faults}"
    export PGPORT="${FAULTS_PGPORT:-55439}"
    export PG_DURABILITY=safe
    export PG_STATE_DIR="$LOCAL/faults-state"
    export LOCAL_CONF="$LOCAL/odoo.faults.conf"
    RUN="$PG_STATE_DIR/run" LOG="$PG_STATE_DIR/log" DATA_DIR="$PG_STATE_DIR/data"
    pg_paths
    shared_data="$(PG_CLUSTER='' bash -c "source '$ROOT/scripts/lib.sh'; echo \"\$PGDATA\"")"
    [ "$PGDATA" != "$shared_data" ] && [ "$PGPORT" != 55432 ] \
        || die "the fault cluster must not be the project's cluster ($PGDATA, port $PGPORT)"
fi
mkdir -p "$OUT" "$RUN" "$LOG" "$DATA_DIR"
"$ROOT/scripts/setup.sh"

as_pg() {
    if [ "$(id -u)" = 0 ]; then
        (cd / && su -s /bin/bash postgres -c "$*")
    else
        bash -c "$*"
    fi
}

ONEC_PID="$RUN/onec-faults.pid"
cleanup() {
    "$ROOT/scripts/node.sh" stop faults >/dev/null 2>&1 || true
    pid_alive "$ONEC_PID" && kill "$(cat "$ONEC_PID")"
    rm -f "$ONEC_PID"
    if [ "$FAULTS_OWN_CLUSTER" = 1 ] && [ -f "$PGDATA/postmaster.pid" ]; then
        say "Stopping the fault cluster ($PGDATA)"
        as_pg "'$PGBIN/pg_ctl' -D '$PGDATA' -m fast -w -t 60 stop" >/dev/null || true
    fi
}
trap cleanup EXIT

"$ROOT/scripts/pg.sh"
if [ "$FAULTS_OWN_CLUSTER" = 1 ]; then
    # The port is written into a cluster when it is made: the one answering
    # on PGPORT must be this one, or db.sh would fill another.
    serving="$(psql -d postgres -XtAq -c "SHOW data_directory")"
    [ "$(readlink -f "$serving")" = "$(readlink -f "$PGDATA")" ] \
        || die "port $PGPORT is served from $serving, not from the fault cluster $PGDATA"
    # What production runs with (PostgreSQL's default; docker-compose.yml
    # keeps it): a commit is answered once its WAL is on disk.
    # postgresql.auto.conf is read last: it overrides pg.sh's
    # synchronous_commit = off.
    psql -d postgres -XtAq -c "ALTER SYSTEM SET synchronous_commit = on" -c "SELECT pg_reload_conf()" >/dev/null
    CLUSTER_ARGS=(--pg-data "$PGDATA" --pg-ctl "$PGBIN/pg_ctl" --pg-log "$PGLOG" --pg-bin "$PGBIN")
    [ "$(id -u)" = 0 ] && CLUSTER_ARGS+=(--pg-user postgres)
fi
"$ROOT/scripts/db.sh" "$FAULTS_DB"

cp "$LOCAL/onec_demo.json" "$OUT/onec.json"
nohup "$PY" -m onec.server --host 127.0.0.1 --port "$FAULTS_ONEC_PORT" --data "$OUT/onec.json" \
    >"$LOG/onec-faults.log" 2>&1 &
echo $! >"$ONEC_PID"
sleep 2
"$PY" "$ROOT/bench/faults/faults.py" -d "$FAULTS_DB" --port "$FAULTS_PORT" --onec-port "$FAULTS_ONEC_PORT" \
    --onec-data "$OUT/onec.json" --run-dir "$RUN" "${CLUSTER_ARGS[@]}" "$@"
