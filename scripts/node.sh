#!/usr/bin/env bash
# One Odoo node of the production profile on this machine (no containers):
#   scripts/node.sh start NAME [--db DB] [--port 8069] [--lp-port 8072] [--workers 5] [--no-runner]
#                              [--set option=value ...]  (any other option of the profile, e.g. limit_memory_hard)
#   scripts/node.sh stop NAME
# Writes .local/odoo.prod-NAME.conf from deploy/odoo.prod.conf with this
# machine's paths, database and ports; every node shares .local/data (the
# filestore and the HTTP sessions), as the nodes of docker-compose.yml share
# their volume. --no-runner leaves queue_job's runner to another node (one
# runner per database). The pid is in .local/run/odoo-NAME.pid.
source "$(dirname "$0")/lib.sh"
ACTION="${1:-}"; NAME="${2:-}"
[ -n "$ACTION" ] && [ -n "$NAME" ] || die "usage: scripts/node.sh start|stop NAME [options]"
shift 2
NODE_DB="$DB_NAME"; PORT="$ODOO_PORT"; LP_PORT=8072; WORKERS=5; RUNNER=1; CRONS=1; SETS=""
while [ $# -gt 0 ]; do
    case "$1" in
        --db) NODE_DB="$2"; shift ;;
        --port) PORT="$2"; shift ;;
        --lp-port) LP_PORT="$2"; shift ;;
        --workers) WORKERS="$2"; shift ;;
        --crons) CRONS="$2"; shift ;;
        --no-runner) RUNNER=0 ;;
        --set) SETS="$SETS $2"; shift ;;
        *) die "unknown option $1" ;;
    esac
    shift
done
PIDFILE="$RUN/odoo-$NAME.pid"
CONF="$LOCAL/odoo.prod-$NAME.conf"
NODE_LOG="$LOG/odoo-$NAME.log"
mkdir -p "$RUN" "$LOG"

stop_node() {
    if pid_alive "$PIDFILE"; then
        say "Stopping Odoo node $NAME (pid $(cat "$PIDFILE"))"
        kill "$(cat "$PIDFILE")"
        for _i in $(seq 1 40); do pid_alive "$PIDFILE" || break; sleep 0.5; done
        pid_alive "$PIDFILE" && kill -9 "$(cat "$PIDFILE")"
    fi
    rm -f "$PIDFILE"
}

write_node_conf() {
    write_local_conf   # the generated master password and .local/data
    "$PY" - "$ROOT/deploy/odoo.prod.conf" "$CONF" $SETS <<PYEOF
import configparser, sys
conf = configparser.ConfigParser(inline_comment_prefixes=(";",), interpolation=None)
conf.read(sys.argv[1])
options = conf["options"]
options.update({
    "addons_path": "$ROOT/addons", "data_dir": "$DATA_DIR", "http_interface": "127.0.0.1",
    "http_port": "$PORT", "longpolling_port": "$LP_PORT", "workers": "$WORKERS",
    "max_cron_threads": "$CRONS", "db_name": "$NODE_DB", "dbfilter": "^$NODE_DB\$",
    "logfile": "$NODE_LOG", "db_host": "$PGHOST", "db_port": "$PGPORT", "db_user": "$PGUSER",
    "admin_passwd": open("$LOCAL/admin_passwd").read().strip(),
    "onec_stand_in_port": "$ONEC_PORT",
})
if not int("$WORKERS"):
    # The threaded server serves every request in a thread of its one
    # process: the per-process pool must hold them all (Odoo's default).
    options["db_maxconn"] = "64"
for assignment in sys.argv[3:]:
    key, _sep, value = assignment.partition("=")
    options[key] = value
if not int("$RUNNER"):
    options["server_wide_modules"] = ",".join(
        m for m in options["server_wide_modules"].split(",") if m != "queue_job")
with open(sys.argv[2], "w") as handle:
    handle.write("; written by scripts/node.sh from deploy/odoo.prod.conf\n")
    conf.write(handle)
PYEOF
}

case "$ACTION" in
    start)
        stop_node
        write_node_conf
        say "Starting Odoo node $NAME on 127.0.0.1:$PORT (longpolling $LP_PORT, $WORKERS workers, database $NODE_DB)"
        log_offset=$(file_size "$NODE_LOG")
        nohup "$PY" "$ROOT/scripts/odoo-bin" -c "$CONF" >/dev/null 2>&1 &
        echo $! >"$PIDFILE"
        wait_registry_loaded "$NODE_LOG" "$PIDFILE" "$log_offset"
        wait_http "$PORT" "$PIDFILE" "$NODE_LOG" "Odoo node $NAME"
        ;;
    stop) stop_node ;;
    *) die "usage: scripts/node.sh start|stop NAME [options]" ;;
esac
