#!/usr/bin/env bash
# make upgrade-test: the previous release of the suite (UPGRADE_FROM, default
# the tag v0.4) installed into a database of its own with the demo, then
# upgraded to this checkout's code (-u, migrations/ scripts run), and the
# record counts and report figures compared before and after
# (scripts/upgrade_figures.py). Not part of make test (about 5 minutes).
source "$(dirname "$0")/lib.sh"
UPGRADE_FROM="${UPGRADE_FROM:-v0.4}"
UPGRADE_DB="${UPGRADE_DB:-sales_upgrade}"
WT="$LOCAL/upgrade-from"
OLD_CONF="$LOCAL/odoo.upgrade-from.conf"
"$ROOT/scripts/setup.sh"
"$ROOT/scripts/pg.sh"
commit="$(git -C "$ROOT" rev-parse --verify "$UPGRADE_FROM^{commit}")" || die "no release $UPGRADE_FROM"

# The previous release's code, beside this one, sharing the venv, the
# cluster and the data dir.
if [ "$(git -C "$WT" rev-parse HEAD 2>/dev/null)" != "$commit" ]; then
    git -C "$ROOT" worktree remove --force "$WT" 2>/dev/null || rm -rf "$WT"
    git -C "$ROOT" worktree prune
    git -C "$ROOT" worktree add --detach "$WT" "$commit" >/dev/null
fi
ln -sfn "$ROOT/.venv" "$WT/.venv"
ln -sfn "$LOCAL" "$WT/.local"
[ -d "$ROOT/node_modules" ] && ln -sfn "$ROOT/node_modules" "$WT/node_modules"

say "Installing release $UPGRADE_FROM ($commit) with the demo into $UPGRADE_DB"
(cd "$WT" && LOCAL_CONF="$OLD_CONF" bash scripts/db.sh "$UPGRADE_DB" --fresh)
before="$("$PY" "$ROOT/scripts/upgrade_figures.py" -c "$OLD_CONF" -d "$UPGRADE_DB")"
psql -d "$UPGRADE_DB" -XtA -c "SELECT name || ' ' || latest_version FROM ir_module_module
    WHERE name IN ('sales_control', 'sales_plans', 'receivables', 'deal_approval') ORDER BY name" >"$LOG/$UPGRADE_DB-versions-before.txt"

say "Upgrading $UPGRADE_DB to this checkout ($(git -C "$ROOT" rev-parse --short HEAD))"
write_local_conf
rm -f "$LOG/$UPGRADE_DB-upgrade.log"
odoo_cmd -d "$UPGRADE_DB" -i "$PROJECT_ADDONS" -u "$PROJECT_ADDONS" --stop-after-init \
    --logfile="$LOG/$UPGRADE_DB-upgrade.log" || die "the upgrade failed (see $LOG/$UPGRADE_DB-upgrade.log)"
if grep -q " ERROR \| CRITICAL " "$LOG/$UPGRADE_DB-upgrade.log"; then
    grep -A5 " ERROR \| CRITICAL " "$LOG/$UPGRADE_DB-upgrade.log" | head -40
    die "errors while upgrading (see $LOG/$UPGRADE_DB-upgrade.log)"
fi
after="$("$PY" "$ROOT/scripts/upgrade_figures.py" -c "$LOCAL_CONF" -d "$UPGRADE_DB")"
echo "module versions before:"; sed 's/^/  /' "$LOG/$UPGRADE_DB-versions-before.txt"
echo "after:"
psql -d "$UPGRADE_DB" -XtA -c "SELECT name || ' ' || latest_version FROM ir_module_module
    WHERE name IN ('sales_control', 'sales_plans', 'receivables', 'deal_approval') ORDER BY name" | sed 's/^/  /'
"$PY" - "$before" "$after" <<'PYEOF'
import json, sys
before, after = json.loads(sys.argv[1]), json.loads(sys.argv[2])
failed = False
for section in ("counts", "reports"):
    for name in sorted(before[section]):
        same = before[section][name] == after[section].get(name)
        failed |= not same
        size = before[section][name] if section == "counts" else "%d groups" % len(before[section][name])
        print("%-8s %-28s %-14s %s" % (section, name, size, "same" if same else "DIFFERENT"))
        if not same:
            print("   before: %s\n   after:  %s" % (str(before[section][name])[:400],
                                                  str(after[section].get(name))[:400]))
print("upgrade test: %s" % ("FAILED" if failed else "data intact, figures equal"))
sys.exit(1 if failed else 0)
PYEOF
