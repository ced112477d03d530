#!/usr/bin/env bash
# make bench: a large database (BENCH_SCALE, default 2100: 504,000 deals and
# about a million touches) and every benchmark of bench/, which print their
# ratios against raw SQL on the same data. Not part of make test.
source "$(dirname "$0")/lib.sh"
BENCH_DB="${BENCH_DB:-sales_bench}"
BENCH_SCALE="${BENCH_SCALE:-2100}"
"$ROOT/scripts/setup.sh"
"$ROOT/scripts/pg.sh"
"$ROOT/scripts/db.sh" "$BENCH_DB" --scale "$BENCH_SCALE"
cd "$ROOT"
status=0
for bench in bench/bench_*.py; do
    say "$bench"
    "$PY" "$bench" -d "$BENCH_DB" || status=1
done
exit "$status"
