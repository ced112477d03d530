#!/usr/bin/env bash
# make addon-tests: the addons' own tests (addons/*/tests) as OCA's CI would
# run them, on any database where the suite is installed rather than on the
# suite's demo database: made from scratch with Odoo's demo data of every
# module, in English only (Russian is not loaded), its company in Odoo's demo
# currency (not the rouble). A test that needs Russian loads it itself; one
# that needs roubles makes its own currency.
# Measured on 2 shared cores (2026-12-01): the database 4 minutes, the tests
# 7 (about 330); out of make test, which runs the same tests on the suite's
# own database.
# Usage: scripts/addon-tests.sh [--keep] [pytest arguments]
#   --keep reuses a ready database (updating the suite's addons in it);
#   ADDON_TESTS_DB names it (sales_addon_tests).
source "$(dirname "$0")/lib.sh"
DB="${ADDON_TESTS_DB:-sales_addon_tests}"
KEEP=0
if [ "${1:-}" = "--keep" ]; then KEEP=1; shift; fi
write_local_conf

ready() {
    [ "$(psql -d "$DB" -XtAq -c "SELECT value FROM ir_config_parameter WHERE key = 'sales_suite.addon_tests_ready'" \
        2>/dev/null)" = 1 ]
}

if [ "$KEEP" = 0 ] || ! ready; then
    drop_database "$DB"
    say "Making $DB from scratch: the stack and the suite, with Odoo's demo data, no Russian (a few minutes)"
    odoo_cmd -d "$DB" -i "$STACK_ADDONS,$PROJECT_ADDONS" --without-demo= --stop-after-init \
        --logfile="$LOG/$DB-install.log" || die "installing failed (see $LOG/$DB-install.log)"
    if grep -q " ERROR \| CRITICAL " "$LOG/$DB-install.log"; then
        grep -A5 " ERROR \| CRITICAL " "$LOG/$DB-install.log" | head -40
        die "errors while installing (see $LOG/$DB-install.log)"
    fi
    psql -d "$DB" -XtAq -c "INSERT INTO ir_config_parameter (key, value) VALUES ('sales_suite.addon_tests_ready', '1')" \
        >/dev/null
else
    say "Updating the suite's addons in $DB"
    odoo_cmd -d "$DB" -u "$PROJECT_ADDONS" --stop-after-init --logfile="$LOG/$DB-update.log" \
        || die "updating failed (see $LOG/$DB-update.log)"
fi
# What the run is for: say so if the database is not that kind.
[ "$(psql -d "$DB" -XtAq -c "SELECT count(*) FROM res_lang WHERE active AND code = 'ru_RU'")" = 0 ] \
    || die "$DB has Russian loaded: make it again without --keep"
[ "$(psql -d "$DB" -XtAq -c "SELECT count(*) FROM res_company c JOIN res_currency r ON r.id = c.currency_id
                             WHERE r.name = 'RUB'")" = 0 ] || die "a company of $DB keeps its books in roubles"

say "The addons' own tests on $DB"
cd "$ROOT"
"$PY" -m pytest --odoo-config="$LOCAL_CONF" --odoo-database="$DB" -q "$@" addons
