#!/usr/bin/env bash
# Starts or stops the 1C stand-in SOAP service (onec/) on 127.0.0.1:$ONEC_PORT.
source "$(dirname "$0")/lib.sh"
PIDFILE="$RUN/onec.pid"
case "${1:-start}" in
    start)
        [ -f "$ROOT/onec/server.py" ] || exit 0
        pid_alive "$PIDFILE" && exit 0
        say "Starting the 1C stand-in on http://127.0.0.1:$ONEC_PORT"
        nohup "$PY" -m onec.server --host 127.0.0.1 --port "$ONEC_PORT" \
            >"$LOG/onec.log" 2>&1 &
        echo $! >"$PIDFILE"
        ;;
    stop)
        if pid_alive "$PIDFILE"; then
            say "Stopping the 1C stand-in (pid $(cat "$PIDFILE"))"
            kill "$(cat "$PIDFILE")"
        fi
        rm -f "$PIDFILE"
        ;;
esac
