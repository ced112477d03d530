#!/usr/bin/env bash
# make faults: bench/faults/faults.py against a node of the production
# profile on FAULTS_DB (kill -9 mid 1C sync and mid webhook burst, database
# connections cut under load, a worker past limit_memory_hard). A few
# minutes; not part of make test.
source "$(dirname "$0")/lib.sh"
FAULTS_DB="${FAULTS_DB:-sales_faults}"
FAULTS_PORT="${FAULTS_PORT:-18269}"
FAULTS_ONEC_PORT="${FAULTS_ONEC_PORT:-18281}"
OUT="$LOCAL/faults"
mkdir -p "$OUT" "$RUN" "$LOG"
"$ROOT/scripts/setup.sh"
"$ROOT/scripts/pg.sh"
"$ROOT/scripts/db.sh" "$FAULTS_DB"
ONEC_PID="$RUN/onec-faults.pid"
cleanup() {
    "$ROOT/scripts/node.sh" stop faults >/dev/null 2>&1 || true
    pid_alive "$ONEC_PID" && kill "$(cat "$ONEC_PID")"
    rm -f "$ONEC_PID"
}
trap cleanup EXIT
cp "$LOCAL/onec_demo.json" "$OUT/onec.json"
nohup "$PY" -m onec.server --host 127.0.0.1 --port "$FAULTS_ONEC_PORT" --data "$OUT/onec.json" \
    >"$LOG/onec-faults.log" 2>&1 &
echo $! >"$ONEC_PID"
sleep 2
"$PY" "$ROOT/bench/faults/faults.py" -d "$FAULTS_DB" --port "$FAULTS_PORT" --onec-port "$FAULTS_ONEC_PORT" \
    --onec-data "$OUT/onec.json" "$@"
