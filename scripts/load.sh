#!/usr/bin/env bash
# make load: the load benchmark (bench/load, Locust in its own Python 3.11
# venv) at workers 0, at 4 workers, on two nodes (2 workers each) on one
# database and one filestore, and on the same two nodes behind nginx
# (deploy/nginx.conf run by scripts/nginx.sh, as docker-compose has it), each
# for LOAD_SECONDS; then the database check of each run. Loopback only; not
# part of make test.
#   LOAD_SALESMEN=50 LOAD_SECONDS=180 LOAD_PROFILES="w0 w4 nodes2 nginx2" make load
source "$(dirname "$0")/lib.sh"
LOAD_DB="${LOAD_DB:-sales_load}"
LOAD_SALESMEN="${LOAD_SALESMEN:-50}"
LOAD_SECONDS="${LOAD_SECONDS:-180}"
LOAD_PROFILES="${LOAD_PROFILES:-w0 w4 nodes2 nginx2}"
LOAD_MAX_REQUESTS="${LOAD_MAX_REQUESTS:-20000}"
LOAD_PORT="${LOAD_PORT:-18069}"
LOAD_ONEC_PORT="${LOAD_ONEC_PORT:-18081}"
OUT="$LOCAL/load"
LOCUST_VENV="$LOCAL/locust-venv"
mkdir -p "$OUT" "$RUN" "$LOG"

"$ROOT/scripts/setup.sh"
"$ROOT/scripts/pg.sh"
"$ROOT/scripts/db.sh" "$LOAD_DB"

# Locust 2.x needs Python >= 3.10: its own venv, pinned.
# Made again when the pins change or when its interpreter no longer runs
# Locust (a venv copied from another tree keeps that tree's paths).
stamp="$(sha1sum "$ROOT/bench/load/requirements.txt" | cut -c1-12)"
if [ "$(cat "$LOCUST_VENV/.stamp" 2>/dev/null)" != "$stamp" ] \
        || ! "$LOCUST_VENV/bin/python" -c "import locust" >/dev/null 2>&1; then
    PY3="${PYTHON311:-$(command -v python3.11 || command -v python3.12 || command -v python3.10 || true)}"
    [ -n "$PY3" ] || die "Locust needs Python 3.10 or newer (PYTHON311=/path/to/python3.11)"
    say "Making the Locust venv ($PY3)"
    rm -rf "$LOCUST_VENV"
    "$PY3" -m venv "$LOCUST_VENV"
    "$LOCUST_VENV/bin/pip" install -q --disable-pip-version-check -r "$ROOT/bench/load/requirements.txt"
    echo "$stamp" >"$LOCUST_VENV/.stamp"
fi

ONEC_PID="$RUN/onec-load.pid"
cleanup() {
    for name in load1 load2; do "$ROOT/scripts/node.sh" stop "$name" >/dev/null 2>&1 || true; done
    "$ROOT/scripts/nginx.sh" stop load >/dev/null 2>&1 || true
    pid_alive "$ONEC_PID" && kill "$(cat "$ONEC_PID")"
    rm -f "$ONEC_PID"
}
trap cleanup EXIT
# The run's own 1C stand-in, with the demo's receipts as the database knows them.
[ -f "$OUT/onec.json" ] || cp "$LOCAL/onec_demo.json" "$OUT/onec.json"
nohup "$PY" -m onec.server --host 127.0.0.1 --port "$LOAD_ONEC_PORT" --data "$OUT/onec.json" \
    >"$LOG/onec-load.log" 2>&1 &
echo $! >"$ONEC_PID"
"$PY" "$ROOT/bench/load/prepare.py" -c "$LOCAL_CONF" -d "$LOAD_DB" --salesmen "$LOAD_SALESMEN" \
    --onec-port "$LOAD_ONEC_PORT" --onec-data "$OUT/onec.json" --out "$OUT/data.json"

status=0
prefixes=()
for profile in $LOAD_PROFILES; do
    nodes="http://127.0.0.1:$LOAD_PORT"
    case "$profile" in
        w0) "$ROOT/scripts/node.sh" start load1 --db "$LOAD_DB" --port "$LOAD_PORT" --lp-port $((LOAD_PORT + 3)) --workers 0 ;;
        w4) "$ROOT/scripts/node.sh" start load1 --db "$LOAD_DB" --port "$LOAD_PORT" --lp-port $((LOAD_PORT + 3)) --workers 4 ;;
        nodes2|nginx2)
            "$ROOT/scripts/node.sh" start load1 --db "$LOAD_DB" --port "$LOAD_PORT" --lp-port $((LOAD_PORT + 3)) --workers 2
            "$ROOT/scripts/node.sh" start load2 --db "$LOAD_DB" --port $((LOAD_PORT + 100)) \
                --lp-port $((LOAD_PORT + 103)) --workers 2 --no-runner
            if [ "$profile" = nodes2 ]; then
                nodes="$nodes,http://127.0.0.1:$((LOAD_PORT + 100))"
            else
                # Every request through nginx, which spreads them (nothing sticky).
                "$ROOT/scripts/nginx.sh" start load $((LOAD_PORT + 200)) "$LOAD_PORT" $((LOAD_PORT + 3)) \
                    $((LOAD_PORT + 100)) $((LOAD_PORT + 103))
                nodes="http://127.0.0.1:$((LOAD_PORT + 200))"
            fi ;;
        *) die "unknown profile $profile (w0, w4, nodes2, nginx2)" ;;
    esac
    run="$profile-$(date -u +%H%M%S)"
    say "Load run $run: $LOAD_SALESMEN salesmen, the head, the PBX and 1C for ${LOAD_SECONDS}s on $nodes"
    # A former run's tables are not this one's: a Locust that did not run
    # must not leave them to the summary.
    rm -f "$OUT/$profile"_*.csv
    # python -m: the venv's console scripts carry the path of the tree that made it.
    (cd "$OUT" && LOAD_DATA="$OUT/data.json" LOAD_NODES="$nodes" LOAD_RUN="$run" LOAD_RECORD="$OUT/record.jsonl" \
        LOAD_MAX_REQUESTS="$LOAD_MAX_REQUESTS" LOAD_SYNC_AFTER=$((LOAD_SECONDS / 2)) \
        "$LOCUST_VENV/bin/python" -m locust -f "$ROOT/bench/load/locustfile.py" --headless \
        -u $((LOAD_SALESMEN + 3)) -r 5 -t "${LOAD_SECONDS}s" --stop-timeout 30 \
        --csv "$OUT/$profile" --only-summary --loglevel WARNING) >"$OUT/$profile.log" 2>&1 || true
    tail -40 "$OUT/$profile.log"
    if [ ! -s "$OUT/${profile}_stats.csv" ]; then
        say "Locust did not run for $profile (see $OUT/$profile.log)"
        status=1
    fi
    "$PY" "$ROOT/bench/load/check.py" -c "$LOCAL_CONF" -d "$LOAD_DB" --record "$OUT/record.jsonl" --run "$run" \
        | tee "$OUT/$profile.check" || status=1
    [ "${PIPESTATUS[0]}" = 0 ] || status=1
    for name in load1 load2; do "$ROOT/scripts/node.sh" stop "$name"; done
    "$ROOT/scripts/nginx.sh" stop load >/dev/null 2>&1 || true
    [ -s "$OUT/${profile}_stats.csv" ] && prefixes+=("$OUT/$profile")
done
say "Summary (also in $OUT)"
[ "${#prefixes[@]}" -gt 0 ] && "$PY" "$ROOT/bench/load/report.py" "${prefixes[@]}"
exit "$status"
