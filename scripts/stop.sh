#!/usr/bin/env bash
# make stop: stops what make run started, by the pids it recorded.
source "$(dirname "$0")/lib.sh"
stop_pid() {
    local name="$1" file="$2"
    if pid_alive "$file"; then
        say "Stopping $name (pid $(cat "$file"))"
        kill "$(cat "$file")"
        for _i in $(seq 1 20); do pid_alive "$file" || break; sleep 0.5; done
        pid_alive "$file" && kill -9 "$(cat "$file")"
    fi
    rm -f "$file"
}
stop_pid "Odoo" "$RUN/odoo.pid"
# Nodes of the production profile (make run PROFILE=prod, make load, make faults)
for node in "$RUN"/odoo-*.pid; do
    [ -e "$node" ] && stop_pid "Odoo node $(basename "$node" .pid)" "$node"
done
[ -x "$ROOT/scripts/onec.sh" ] && "$ROOT/scripts/onec.sh" stop
if [ -f "$PGDATA/postmaster.pid" ]; then
    say "Stopping PostgreSQL"
    if [ "$(id -u)" = 0 ]; then
        (cd / && su -s /bin/bash postgres -c "'$PGBIN/pg_ctl' -D '$PGDATA' -m fast stop") >/dev/null || true
    else
        "$PGBIN/pg_ctl" -D "$PGDATA" -m fast stop >/dev/null || true
    fi
fi
