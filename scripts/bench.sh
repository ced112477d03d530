#!/usr/bin/env bash
# make bench: a large database (BENCH_SCALE, default 2100: 504,000 deals and
# about a million touches) and every benchmark of bench/, which print their
# ratios against raw SQL on the same data. Not part of make test.
# The touches and plans benchmarks run again on a database a quarter the size
# (BENCH_SMALL_SCALE) and the growth of each of their times is printed
# (BENCH_GROWTH=0 skips it). BENCH_ONLY="touches plans" runs only those.
source "$(dirname "$0")/lib.sh"
BENCH_DB="${BENCH_DB:-sales_bench}"
BENCH_SCALE="${BENCH_SCALE:-2100}"
BENCH_SMALL_DB="${BENCH_SMALL_DB:-${BENCH_DB}_small}"
BENCH_SMALL_SCALE="${BENCH_SMALL_SCALE:-$((BENCH_SCALE / 4))}"
BENCH_GROWTH="${BENCH_GROWTH:-1}"
BENCH_ONLY="${BENCH_ONLY:-}"
"$ROOT/scripts/setup.sh"
"$ROOT/scripts/pg.sh"
"$ROOT/scripts/db.sh" "$BENCH_DB" --scale "$BENCH_SCALE"
cd "$ROOT"
OUT="$LOG/bench"
mkdir -p "$OUT"
rm -f "$OUT"/*.txt
status=0
for bench in bench/bench_*.py; do
    name="$(basename "$bench" .py)"
    if [ -n "$BENCH_ONLY" ] && [[ " $BENCH_ONLY " != *" ${name#bench_} "* ]]; then continue; fi
    say "$bench"
    "$PY" "$bench" -d "$BENCH_DB" | tee "$OUT/$name.large.txt" || status=1
done
if [ "$BENCH_GROWTH" = 1 ]; then
    "$ROOT/scripts/db.sh" "$BENCH_SMALL_DB" --scale "$BENCH_SMALL_SCALE"
    for name in bench_touches bench_plans; do
        [ -f "$OUT/$name.large.txt" ] || continue
        say "$name at scale $BENCH_SMALL_SCALE, and how its times grow to scale $BENCH_SCALE"
        "$PY" "bench/$name.py" -d "$BENCH_SMALL_DB" >"$OUT/$name.small.txt" || true
        "$PY" bench/common.py growth "$OUT/$name.small.txt" "$OUT/$name.large.txt" "$BENCH_SMALL_SCALE" "$BENCH_SCALE"
    done
fi
exit "$status"
