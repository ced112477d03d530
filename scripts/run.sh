#!/usr/bin/env bash
# make run: install what is missing, start PostgreSQL, make the demo database,
# start the 1C stand-in and serve the web client on 127.0.0.1:$ODOO_PORT.
source "$(dirname "$0")/lib.sh"
"$ROOT/scripts/setup.sh"
"$ROOT/scripts/pg.sh"
"$ROOT/scripts/db.sh" "$DB_NAME"
"$ROOT/scripts/onec.sh" start

# The production profile (deploy/odoo.prod.conf: prefork workers, the
# longpolling process, limits, crons, queue_job's runner):
#   make run PROFILE=prod   or   WORKERS=4 make run
PROFILE="${PROFILE:-dev}"
if [ -n "${WORKERS:-}" ] && [ "${WORKERS}" != 0 ]; then PROFILE=prod; fi
if [ "$PROFILE" = prod ]; then
    if pid_alive "$RUN/odoo.pid"; then
        say "Stopping the development Odoo (pid $(cat "$RUN/odoo.pid"))"
        kill "$(cat "$RUN/odoo.pid")"; sleep 2
        pid_alive "$RUN/odoo.pid" && kill -9 "$(cat "$RUN/odoo.pid")"
        rm -f "$RUN/odoo.pid" "$RUN/odoo.serves"
    fi
    "$ROOT/scripts/node.sh" start main --db "$DB_NAME" --port "$ODOO_PORT" --lp-port "${LONGPOLLING_PORT:-8072}" \
        --workers "${WORKERS:-5}"
else
    [ -x "$ROOT/scripts/node.sh" ] && "$ROOT/scripts/node.sh" stop main
    # A running Odoo is reused only if it serves this database on this port.
    if pid_alive "$RUN/odoo.pid" && [ "$(cat "$RUN/odoo.serves" 2>/dev/null)" != "$DB_NAME:$ODOO_PORT" ]; then
        say "Restarting Odoo (it served $(cat "$RUN/odoo.serves" 2>/dev/null || echo '?'))"
        kill "$(cat "$RUN/odoo.pid")"; sleep 2
        pid_alive "$RUN/odoo.pid" && kill -9 "$(cat "$RUN/odoo.pid")"
    fi
    if pid_alive "$RUN/odoo.pid"; then
        say "Odoo is already running (pid $(cat "$RUN/odoo.pid"))"
    else
        say "Starting Odoo on http://127.0.0.1:$ODOO_PORT"
        log_offset=$(file_size "$LOG/odoo.log")
        nohup "$PY" "$ROOT/scripts/odoo-bin" -c "$LOCAL_CONF" -d "$DB_NAME" \
            --db-filter="^$DB_NAME\$" --http-port="$ODOO_PORT" --load=base,web,queue_job \
            --logfile="$LOG/odoo.log" >/dev/null 2>&1 &
        echo $! >"$RUN/odoo.pid"
        echo "$DB_NAME:$ODOO_PORT" >"$RUN/odoo.serves"
        wait_registry_loaded "$LOG/odoo.log" "$RUN/odoo.pid" "$log_offset"
    fi
    wait_http "$ODOO_PORT" "$RUN/odoo.pid" "$LOG/odoo.log"
fi

cat <<MSG

  The web client is ready: http://127.0.0.1:$ODOO_PORT/web  (database "$DB_NAME")

  Demo logins (password = login):
    head        Волков И. Н., head of sales (sees everything, approves)
    petrov      Петров А. С., team leader, Moscow
    sidorova    Сидорова Е. В., manager, Moscow
    kuznetsov   Кузнецов Д. О., manager, Moscow
    smirnova    Смирнова О. П., team leader, Regions
    popov       Попов А. И., manager, Regions
    lebedeva    Лебедева М. А., manager, Regions
    accountant  Егорова Н. В., accountant
    findir      Степанов П. М., finance director (second approver)
    admin       administrator (password: admin)

  1C stand-in: http://127.0.0.1:$ONEC_PORT/ (see docs/1c-integration.md)
  Logs: .local/log/   Stop everything: make stop
MSG
