#!/usr/bin/env bash
# make test: the set-up of make run, then every test of the project in one
# pytest run (unit tests of each addon through pytest-odoo, RPC and browser
# scenarios in tests/), on a fresh database. Exits non-zero on any failure.
source "$(dirname "$0")/lib.sh"
"$ROOT/scripts/setup.sh"
# A CI machine's cluster is made for this run and thrown away: it may trade
# crash safety for speed. A developer's cluster (the one make run serves)
# keeps fsync on.
if [ "${CI:-}" = true ]; then
    export PG_DURABILITY="${PG_DURABILITY:-unsafe}"
fi
"$ROOT/scripts/pg.sh"
"$ROOT/scripts/lint.sh"
"$ROOT/scripts/db.sh" "$TEST_DB" --fresh
say "Running the tests"
cd "$ROOT"
set +e
"$PY" -m pytest --odoo-config="$LOCAL_CONF" --odoo-database="$TEST_DB" "$@" addons tests
status=$?
set -e
# pytest exits 5 when it collected nothing: that is a failure here too.
[ "$status" = 5 ] && echo "no test was collected" >&2
exit "$status"
