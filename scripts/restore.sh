#!/usr/bin/env bash
# make restore: a backup of scripts/backup.sh (or of Odoo's database manager)
# into a new database, with its filestore.
#   scripts/restore.sh FILE.zip NEWDB [--keep-uuid]
# Like Odoo's "restore as a copy", the new database gets its own
# database.uuid and secret unless --keep-uuid (the original is gone and this
# replaces it).
source "$(dirname "$0")/lib.sh"
ZIP="${1:-}"; NEWDB="${2:-}"; KEEP_UUID="${3:-}"
[ -f "$ZIP" ] && [ -n "$NEWDB" ] || die "usage: scripts/restore.sh FILE.zip NEWDB [--keep-uuid]"
[ "$(psql -d postgres -XtAq -c "SELECT 1 FROM pg_database WHERE datname = '$NEWDB'")" = 1 ] \
    && die "database $NEWDB exists: restore into a new name"
[ -e "$DATA_DIR/filestore/$NEWDB" ] && die "a filestore for $NEWDB exists: $DATA_DIR/filestore/$NEWDB"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
say "Restoring $ZIP into database $NEWDB"
"$PY" -c "import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])" "$ZIP" "$TMP"
[ -f "$TMP/dump.sql" ] || die "$ZIP holds no dump.sql"
psql -d postgres -XtAq -c "CREATE DATABASE \"$NEWDB\" ENCODING 'UTF8' TEMPLATE template0" >/dev/null
if ! psql -d "$NEWDB" -XqAt -v ON_ERROR_STOP=1 -f "$TMP/dump.sql" >"$TMP/restore.log" 2>&1; then
    tail -20 "$TMP/restore.log" >&2
    psql -d postgres -XtAq -c "DROP DATABASE IF EXISTS \"$NEWDB\"" >/dev/null
    die "restoring the dump failed"
fi
mkdir -p "$DATA_DIR/filestore/$NEWDB"
[ -d "$TMP/filestore" ] && cp -a "$TMP/filestore/." "$DATA_DIR/filestore/$NEWDB/"
if [ "$KEEP_UUID" != "--keep-uuid" ]; then
    psql -d "$NEWDB" -XtAq -c "UPDATE ir_config_parameter SET value = gen_random_uuid()::text
        WHERE key IN ('database.uuid', 'database.secret')" >/dev/null
fi
say "Restored into $NEWDB"
