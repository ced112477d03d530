# Common settings of the project's scripts; sourced, not run.
# Every path is inside the checkout; every port is on the loopback.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL="$ROOT/.local"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"
# The cluster's folder; .local/pg may be a link (see scripts/pg.sh).
# PG_CLUSTER=<folder> selects another cluster (a throwaway one, as make faults
# makes, with its own PGPORT); unset, it is .local/pg.
pg_cluster() {
    if [ -n "${PG_CLUSTER:-}" ]; then realpath -ms "$PG_CLUSTER"; else echo "$LOCAL/pg"; fi
}
pg_paths() {
    PGHOME="$(pg_cluster)"
    [ -L "$PGHOME" ] && PGHOME="$(readlink -f "$PGHOME")"
    PGDATA="$PGHOME/data"
    PGSOCK="$PGHOME/run"
    PGLOG="$PGHOME/postgresql.log"
}
pg_paths
# Pid files, the databases' marks and locks, logs, and Odoo's data folder
# (filestores, sessions). A cluster of its own needs them apart
# (PG_STATE_DIR=<folder>, with run/, log/ and data/ in it; unset, .local):
# its databases (the stack template first) have the same names as the shared
# cluster's, dropping one drops its filestore, and the template's lock is held
# while a database of the shared cluster is filled.
STATE_DIR="${PG_STATE_DIR:-$LOCAL}"
RUN="$STATE_DIR/run"
LOG="$STATE_DIR/log"
DATA_DIR="$STATE_DIR/data"
export PGHOST=127.0.0.1
export PGPORT="${PGPORT:-55432}"
export PGUSER=odoo
ODOO_PORT="${ODOO_PORT:-8069}"
ONEC_PORT="${ONEC_PORT:-8081}"
DB_NAME="${DB_NAME:-sales}"
TEST_DB="${TEST_DB:-sales_test}"
PGBIN="${PGBIN:-/usr/lib/postgresql/15/bin}"
export PATH="$ROOT/node_modules/.bin:$VENV/bin:$PATH"
# Project addons installed on top of the stack, in dependency order.
PROJECT_ADDONS="sales_control,sales_plans,receivables,deal_approval,deal_approval_receivables,sales_plans_receivables,sales_head_mobile"
# Stack addons installed first (and cached in a template database).
STACK_ADDONS="crm,mail,calendar,board,account_invoicing,date_range,web_responsive,base_tier_validation,web_widget_x2many_2d_matrix,queue_job"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf '\033[31mERROR: %s\033[0m\n' "$*" >&2; exit 1; }

LOCAL_CONF="${LOCAL_CONF:-$LOCAL/odoo.conf}"

# odoo.conf plus what it leaves out on purpose: this machine's paths and port,
# and a generated master password. Written to .local (git-ignored).
write_local_conf() {
    mkdir -p "$LOCAL" "$DATA_DIR"
    local secret="$LOCAL/admin_passwd"
    [ -s "$secret" ] || head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$secret"
    {
        sed "s#^addons_path *=.*#addons_path = $ROOT/addons#" "$ROOT/odoo.conf" | sed '/^\[queue_job\]/,$d'
        echo "; --- machine-specific, written by scripts/lib.sh ---"
        echo "db_host = $PGHOST"
        echo "db_port = $PGPORT"
        echo "db_user = $PGUSER"
        echo "data_dir = $DATA_DIR"
        echo "admin_passwd = $(cat "$secret")"
        echo "onec_stand_in_port = $ONEC_PORT"
    } >"$LOCAL_CONF"
}

odoo_cmd() {
    "$PY" "$ROOT/scripts/odoo-bin" -c "$LOCAL_CONF" "$@"
}

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# Waits (at most 180 s) until the Odoo started with pid file $2 has written
# "Modules loaded." to its log $1 after byte $3. No request may reach a
# threaded Odoo 11 before: it answers while its main thread still loads the
# registry, and the first request's import of every addon can leave a
# half-imported addon's models out of the registry for the process's life.
wait_registry_loaded() {
    local logfile="$1" pidfile="$2" offset="${3:-0}"
    for _i in $(seq 1 600); do
        if [ -f "$logfile" ] && tail -c +"$((offset + 1))" "$logfile" \
                | grep -q "Modules loaded\.\|Failed to initialize database"; then
            return 0
        fi
        pid_alive "$pidfile" || return 0   # the caller reports the stopped process
        sleep 0.3
    done
}
# Waits (at most 120 s) until Odoo answers /web/login on 127.0.0.1:$1;
# dies with the log's tail when the process of pid file $2 stops or the
# time is out. $3: its log, $4: how to name it in the message.
wait_http() {
    local port="$1" pidfile="$2" logfile="$3" name="${4:-Odoo}"
    for _i in $(seq 1 120); do
        curl -fs -o /dev/null "http://127.0.0.1:$port/web/login" && return 0
        pid_alive "$pidfile" || { tail -30 "$logfile"; die "$name stopped (see $logfile)"; }
        sleep 1
    done
    die "$name does not answer (see $logfile)"
}
file_size() { [ -f "$1" ] && stat -c %s "$1" || echo 0; }

# The durability settings of the project's cluster (scripts/pg.sh). "safe",
# the default: fsync and full_page_writes on, so that a PostgreSQL killed or a
# machine that loses power comes back with its databases whole (the database
# make run serves holds whatever a user typed). synchronous_commit is off in
# both: a crash may lose the last moment's commits, never consistency.
# "unsafe" (PG_DURABILITY=unsafe) is for a throwaway test cluster only, as on
# a CI machine: faster, and a crash can corrupt every database in it.
pg_durability_conf() {
    case "${1:-safe}" in
        safe) printf '%s\n' "# Written by scripts/pg.sh (PG_DURABILITY=safe): crash-safe." \
                  "fsync = on" "full_page_writes = on" "synchronous_commit = off" ;;
        unsafe) printf '%s\n' "# Written by scripts/pg.sh (PG_DURABILITY=unsafe): a throwaway test cluster;" \
                    "# a crash or power loss can corrupt its databases." \
                    "fsync = off" "full_page_writes = off" "synchronous_commit = off" ;;
        *) die "PG_DURABILITY is 'safe' or 'unsafe', not '$1'" ;;
    esac
}

# As root the cluster's folders belong to the postgres user. Given when they
# are not his (made just now, or a checkout copied or restored as root): a
# look at the top folders, not a chown -R over the whole cluster at every call.
pg_own_cluster() {
    [ "$(id -u)" = 0 ] || return 0
    local path
    for path in "$@"; do
        if [ -e "$path" ] && [ "$(stat -c %U "$path")" != postgres ]; then
            chown -R postgres: "$1/"
            return 0
        fi
    done
}

# A database name the scripts may turn into a path under the filestore.
check_db_name() {
    [[ "$1" =~ ^[A-Za-z0-9][A-Za-z0-9_.-]*$ ]] || die "not a database name: '$1'"
}

# Drops database $1 with its filestore (Odoo keeps attachments there, one
# folder per database): a database made later under the same name must not
# find the old folder, into which `cp -a` would nest the template's.
drop_database() {
    check_db_name "$1"
    psql -d postgres -XtAq -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '$1'" >/dev/null
    psql -d postgres -XtAq -c "DROP DATABASE IF EXISTS \"$1\"" >/dev/null
    rm -rf "${DATA_DIR:?}/filestore/$1"
}

# The filestore of database $1 copied as that of database $2, replacing
# whatever folder $2 had.
copy_filestore() {
    check_db_name "$1"
    check_db_name "$2"
    rm -rf "${DATA_DIR:?}/filestore/$2"
    if [ -d "$DATA_DIR/filestore/$1" ]; then
        cp -a "$DATA_DIR/filestore/$1" "$DATA_DIR/filestore/$2"
    fi
}
