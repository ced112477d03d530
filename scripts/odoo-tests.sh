#!/usr/bin/env bash
# make odoo-tests: Odoo's own test suites of crm, calendar, mail and account
# on a database with the suite installed, as Odoo's runbot or a probe would
# run them, twice:
#  1. on the full registry (every addon loaded, the suite's rules in force),
#     through pytest-odoo;
#  2. under "-u crm,calendar,mail,account --test-enable", where each module's
#     tests run while the registry is still loading (the suite's addons,
#     loaded after crm, calendar and mail, are not in it yet), then the
#     post-install tests of every module.
# The database ($ODOO_TESTS_DB, default sales_odoo_tests) is made from scratch
# with the demo data of every module (Odoo runs a module's tests only on a
# database with demo data; the template of scripts/db.sh has none, and
# odoo.conf says without_demo = all, which --without-demo= overrides).
# The suite's own addons depend on these modules: "-u" updates them too and
# runs their at-install tests, on Odoo's demo data.
# Measured on 2 shared cores (2026-11-30): database 2 min, full registry
# 75 s (175 tests), update with tests 4.5 min; about 8 minutes in all, which
# is why it stays out of make test.
# Usage: scripts/odoo-tests.sh [--keep]   (--keep reuses a ready database)
source "$(dirname "$0")/lib.sh"
DB="${ODOO_TESTS_DB:-sales_odoo_tests}"
MODULES="${ODOO_TEST_MODULES:-crm,calendar,mail,account}"
KEEP=0
[ "${1:-}" = "--keep" ] && KEEP=1
write_local_conf
ODOO_ADDONS="$("$PY" -c 'import os, odoo.addons.base as b; print(os.path.dirname(os.path.dirname(b.__file__)))')"
start=$(date +%s)

psql_q() { psql -d postgres -XtAq -c "$1"; }
ready() {
    [ "$(psql -d "$DB" -XtAq -c "SELECT value FROM ir_config_parameter WHERE key = 'sales_suite.odoo_tests_ready'" \
        2>/dev/null)" = 1 ]
}
# One of Odoo's own tests fails with or without the suite: account's
# test_account_tax_fields finds account.tax.cash_basis_base_account_id (added
# by Odoo's auto-installed account_cash_basis_base_account) missing from
# account.tax.template. It is left out of both runs.
KNOWN_TEST="test_account_tax_fields"
KNOWN_LOG="odoo.addons.account.tests.test_templates_consistency: \|odoo.modules.module: Module account: 1 failures, 0 errors"
# Odoo logs a failed or erroring test as an ERROR line ("FAIL: ...",
# "ERROR: ..."); any other ERROR or CRITICAL line fails the run.
check_log() {
    if grep " ERROR \| CRITICAL " "$1" | grep -v "$KNOWN_LOG" | grep -q .; then
        grep " ERROR \| CRITICAL " "$1" | grep -v "$KNOWN_LOG" | head -60
        die "errors in $1"
    fi
}

if [ "$KEEP" = 0 ] || ! ready; then
    psql_q "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '$DB'" >/dev/null
    psql_q "DROP DATABASE IF EXISTS \"$DB\"" >/dev/null
    rm -rf "$DATA_DIR/filestore/$DB"
    say "Making $DB from scratch: the stack and the suite, with demo data (a few minutes)"
    odoo_cmd -d "$DB" -i "$STACK_ADDONS,$PROJECT_ADDONS" --without-demo= --load-language=ru_RU --stop-after-init --logfile="$LOG/$DB-install.log" \
        || die "installing failed (see $LOG/$DB-install.log)"
    check_log "$LOG/$DB-install.log"
    psql -d "$DB" -XtAq -c "INSERT INTO ir_config_parameter (key, value) VALUES ('sales_suite.odoo_tests_ready', '1')" \
        >/dev/null
fi
# Odoo's tests compare texts in English, which they translate into the
# superuser's language: Russian, the only language this database got (the
# suite's), became his and every new partner's. English is made active
# again, his, and the default, as on Odoo's own test databases.
psql -d "$DB" -XtAq -c "UPDATE res_lang SET active = true WHERE code = 'en_US';
    UPDATE res_partner SET lang = 'en_US' WHERE id IN (SELECT partner_id FROM res_users WHERE id = 1);
    UPDATE ir_default SET json_value = '\"en_US\"' WHERE field_id IN (
        SELECT id FROM ir_model_fields WHERE model = 'res.partner' AND name = 'lang')" >/dev/null
made=$(date +%s)

say "Odoo's tests of $MODULES on the full registry (pytest-odoo)"
paths=()
for module in ${MODULES//,/ }; do
    paths+=("$ODOO_ADDONS/$module/tests")
done
cd "$ROOT"
set +e
"$PY" -m pytest -c "$ROOT/setup.cfg" --rootdir="$ROOT" --odoo-config="$LOCAL_CONF" --odoo-database="$DB" \
    -p no:cacheprovider -q -k "not $KNOWN_TEST" "${paths[@]}"
full_status=$?
set -e
full=$(date +%s)

say "Odoo's tests under -u $MODULES --test-enable (registry loading)"
# A test that waits on the server while the registry loads would hang it:
# the run is bounded (an at-install test cannot reach Odoo's HTTP server, which
# waits for the loading registry; such tests must be post-install).
# Odoo exits non-zero on any failed test, the known one included: the log
# decides (check_log below); here only whether the run ended.
: >"$LOG/$DB-update-tests.log"
set +e
timeout -s KILL "${ODOO_TESTS_TIMEOUT:-2400}" "$PY" "$ROOT/scripts/odoo-bin" -c "$LOCAL_CONF" -d "$DB" -u "$MODULES" \
    --test-enable --stop-after-init --logfile="$LOG/$DB-update-tests.log"
update_status=$?
set -e
[ "$update_status" = 137 ] && die "the update did not end in time (see $LOG/$DB-update-tests.log)"
grep -q "All post-tested" "$LOG/$DB-update-tests.log" \
    || die "the update failed (see $LOG/$DB-update-tests.log)"
update=$(date +%s)
say "Times: database $((made - start)) s, full registry $((full - made)) s, update with tests $((update - full)) s"
[ "$full_status" = 0 ] || die "Odoo's tests failed on the full registry"
check_log "$LOG/$DB-update-tests.log"
say "Odoo's tests of $MODULES pass, on the full registry and under -u"
