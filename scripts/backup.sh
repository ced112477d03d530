#!/usr/bin/env bash
# make backup: a zip like Odoo's own database backup (dump.sql, filestore/,
# manifest.json), restorable by scripts/restore.sh or Odoo's database manager.
#   scripts/backup.sh [DB] [FILE.zip]     (default: $DB_NAME, .local/backups/DB-<UTC time>.zip)
source "$(dirname "$0")/lib.sh"
DB="${1:-$DB_NAME}"
OUT="${2:-$LOCAL/backups/$DB-$(date -u +%Y%m%d-%H%M%S).zip}"
[ "$(psql -d postgres -XtAq -c "SELECT 1 FROM pg_database WHERE datname = '$DB'")" = 1 ] || die "no database $DB"
mkdir -p "$(dirname "$OUT")"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
say "Backing up database $DB and its filestore to $OUT"
# One snapshot of the database; the filestore is copied after it, so every
# attachment the dump names is there (Odoo never rewrites a stored file; one
# added meanwhile is an extra file, harmless).
"$PGBIN/pg_dump" --no-owner --format=plain --file="$TMP/dump.sql" "$DB"
mkdir -p "$TMP/filestore"
[ -d "$DATA_DIR/filestore/$DB" ] && cp -a "$DATA_DIR/filestore/$DB/." "$TMP/filestore/"
"$PY" - "$DB" "$TMP" "$OUT" <<'PYEOF'
import json, os, sys, zipfile
import psycopg2
db, tmp, out = sys.argv[1:4]
conn = psycopg2.connect(dbname=db)
with conn.cursor() as cr:
    cr.execute("SELECT name, latest_version FROM ir_module_module WHERE state = 'installed'")
    modules = dict(cr.fetchall())
    cr.execute("SHOW server_version_num")
    pg_version = "%d.%d" % divmod(int(cr.fetchone()[0]) // 100, 100)
conn.close()
manifest = {"odoo_dump": "1", "db_name": db, "version": "11.0", "version_info": [11, 0, 0, "final", 0],
            "major_version": "11.0", "pg_version": pg_version, "modules": modules}
with open(os.path.join(tmp, "manifest.json"), "w") as handle:
    json.dump(manifest, handle, indent=4)
partial = out + ".part"
with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
    for base, _dirs, files in os.walk(tmp):
        for name in sorted(files):
            path = os.path.join(base, name)
            archive.write(path, os.path.relpath(path, tmp))
os.rename(partial, out)
PYEOF
say "Backup written: $OUT ($(du -h "$OUT" | cut -f1))"
echo "$OUT"
