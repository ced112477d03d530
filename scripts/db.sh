#!/usr/bin/env bash
# Makes sure database $1 exists with the stack, the project's addons and the
# demo data. Usage: scripts/db.sh DB [--fresh] [--scale N]
#  - The stack addons are installed once into a template database, named by
#    a hash of what defines it, and copied (with its filestore) from then on.
#  - A database whose creation was interrupted (no "ready" mark) is dropped and
#    made again; a ready one whose addons changed is updated (-u).
source "$(dirname "$0")/lib.sh"
DB="$1"; shift
FRESH=0; SCALE=1
while [ $# -gt 0 ]; do
    case "$1" in
        --fresh) FRESH=1 ;;
        --scale) SCALE="$2"; shift ;;
        *) die "unknown option $1" ;;
    esac
    shift
done
write_local_conf

psql_q() { psql -d postgres -XtAq -c "$1"; }
db_exists() { [ "$(psql_q "SELECT 1 FROM pg_database WHERE datname = '$1'")" = 1 ]; }
db_ready() {
    db_exists "$1" && [ "$(psql -d "$1" -XtAq -c \
        "SELECT value FROM ir_config_parameter WHERE key = 'sales_suite.demo_ready'" 2>/dev/null)" = 1 ]
}
drop_db() { drop_database "$1"; }
code_hash() {
    (cd "$ROOT" && find addons demo -type f \( -name '*.py' -o -name '*.xml' -o -name '*.csv' -o -name '*.po' -o -name '*.js' -o -name '*.less' -o -name '*.wsdl' \) \
        -not -path '*/tests/*' -print0 | sort -z | xargs -0 sha1sum | sha1sum | cut -c1-12)
}

STACK_HASH="$(cat "$ROOT/requirements-oca.txt" "$ROOT/constraints.txt" "$ROOT/odoo.conf" <(echo "$STACK_ADDONS") | sha1sum | cut -c1-10)"
TEMPLATE="stack_$STACK_HASH"

make_template() {
    # One maker at a time: several databases may be made at once (tests, bench).
    exec 9>"$RUN/$TEMPLATE.lock"
    flock 9
    db_ready "$TEMPLATE" && return 0
    drop_db "$TEMPLATE"
    say "Installing the Odoo stack into template database $TEMPLATE (once, a few minutes)"
    : >"$LOG/$TEMPLATE.log"   # Odoo appends: a former run's errors are not this one's
    odoo_cmd -d "$TEMPLATE" -i "$STACK_ADDONS" --without-demo=all --load-language=ru_RU --stop-after-init \
        --logfile="$LOG/$TEMPLATE.log" || die "installing the stack failed (see $LOG/$TEMPLATE.log)"
    grep -q " ERROR \| CRITICAL " "$LOG/$TEMPLATE.log" && { grep " ERROR \| CRITICAL " "$LOG/$TEMPLATE.log" | head; die "errors while installing the stack"; }
    psql -d "$TEMPLATE" -XtAq -c "INSERT INTO ir_config_parameter (key, value) VALUES ('sales_suite.demo_ready', '1')" >/dev/null
}

if [ "$FRESH" = 1 ] || { db_exists "$DB" && ! db_ready "$DB"; }; then
    drop_db "$DB"
fi

if db_ready "$DB"; then
    stamp="$RUN/$DB.code"
    if [ "$(cat "$stamp" 2>/dev/null)" != "$(code_hash)" ]; then
        say "Updating the project's addons in $DB"
        # -i as well: addons added to the suite since (bridges) get installed.
        # --i18n-overwrite: a label renamed in the code gets its new Russian
        # (Odoo keeps the old translation of a field or menu otherwise).
        odoo_cmd -d "$DB" -i "$PROJECT_ADDONS" -u "$PROJECT_ADDONS" --i18n-overwrite --stop-after-init \
            --logfile="$LOG/$DB-update.log" \
            || die "updating the addons failed (see $LOG/$DB-update.log)"
        code_hash >"$stamp"
    fi
    exit 0
fi

make_template
say "Creating database $DB from $TEMPLATE"
psql_q "CREATE DATABASE \"$DB\" TEMPLATE \"$TEMPLATE\"" >/dev/null
# A copy must not share the template's identity (as Odoo's own duplicate does).
psql -d "$DB" -XtAq -c "DELETE FROM ir_config_parameter WHERE key = 'sales_suite.demo_ready';
    UPDATE ir_config_parameter SET value = gen_random_uuid()::text WHERE key IN ('database.uuid', 'database.secret')" >/dev/null
mkdir -p "$DATA_DIR/filestore"
copy_filestore "$TEMPLATE" "$DB"   # replaces an old folder: never nests the template inside it

say "Installing the project's addons into $DB"
: >"$LOG/$DB-install.log"   # Odoo appends: a former run's errors are not this one's
odoo_cmd -d "$DB" -i "$PROJECT_ADDONS" --stop-after-init --logfile="$LOG/$DB-install.log" \
    || die "installing the addons failed (see $LOG/$DB-install.log)"
if grep -q " ERROR \| CRITICAL " "$LOG/$DB-install.log"; then
    grep -A5 " ERROR \| CRITICAL " "$LOG/$DB-install.log" | head -40
    die "errors while installing the addons (see $LOG/$DB-install.log)"
fi

say "Generating the demo data (scale $SCALE)"
"$PY" -m demo.generate -c "$LOCAL_CONF" -d "$DB" --scale "$SCALE" >"$LOG/$DB-demo.log" 2>&1 \
    || { tail -30 "$LOG/$DB-demo.log"; die "the demo data generator failed"; }
psql -d "$DB" -XtAq -c "INSERT INTO ir_config_parameter (key, value) VALUES ('sales_suite.demo_ready', '1')" >/dev/null
code_hash >"$RUN/$DB.code"
