# Common settings of the project's scripts; sourced, not run.
# Every path is inside the checkout; every port is on the loopback.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL="$ROOT/.local"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"
# The cluster's folder; .local/pg may be a link (see scripts/pg.sh).
pg_paths() {
    PGHOME="$LOCAL/pg"
    [ -L "$PGHOME" ] && PGHOME="$(readlink -f "$PGHOME")"
    PGDATA="$PGHOME/data"
    PGSOCK="$PGHOME/run"
    PGLOG="$PGHOME/postgresql.log"
}
pg_paths
RUN="$LOCAL/run"
LOG="$LOCAL/log"
DATA_DIR="$LOCAL/data"
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
PROJECT_ADDONS="sales_control,sales_plans,receivables,deal_approval,deal_approval_receivables,sales_plans_receivables"
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
