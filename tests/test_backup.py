"""make backup / make restore: the test database backed up as Odoo's own
dump zip (dump.sql, filestore, manifest.json) and restored into a new
database with the same records and the same attachment files."""
import hashlib
import json
import os
import subprocess
import zipfile

import psycopg2
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TABLES = ("res_partner", "res_users", "crm_lead", "mail_message", "mail_activity", "calendar_event",
          "ir_attachment", "sales_touch", "receivables_contract", "receivables_payment",
          "receivables_schedule_line", "sales_plan", "deal_approval_request")


def _pg():
    """The connection settings of Odoo's configuration (the project's cluster)."""
    from odoo.tools import config
    return {"host": config["db_host"] or "127.0.0.1", "port": str(config["db_port"] or 5432),
            "user": config["db_user"] or "odoo", "password": config["db_password"] or ""}


def _counts(db):
    with psycopg2.connect(dbname=db, **_pg()) as conn, conn.cursor() as cr:
        cr.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
                   "AND table_type = 'BASE TABLE'")
        tables = {name for name, in cr.fetchall()}
        counts = {}
        for table in tables:
            cr.execute('SELECT count(*) FROM "%s"' % table)
            counts[table] = cr.fetchone()[0]
        cr.execute("SELECT store_fname, checksum FROM ir_attachment WHERE store_fname IS NOT NULL")
        files = dict(cr.fetchall())
        cr.execute("SELECT value FROM ir_config_parameter WHERE key = 'database.uuid'")
        uuid = cr.fetchone()[0]
    conn.close()
    return counts, files, uuid


def _data_dir():
    from odoo.tools import config
    return config["data_dir"]


def _sha1(path):
    with open(path, "rb") as handle:
        return hashlib.sha1(handle.read()).hexdigest()


def _env():
    """scripts/*.sh read the cluster from PGHOST/PGPORT (scripts/lib.sh)."""
    env = dict(os.environ)
    env.pop("PGDATABASE", None)
    pg = _pg()
    env.update(PGHOST=pg["host"], PGPORT=pg["port"], PGUSER=pg["user"])
    if pg["password"]:
        env["PGPASSWORD"] = pg["password"]
    return env


@pytest.fixture
def restored(odoo_db, tmp_path):
    target = "%s_restore_%d" % (odoo_db, os.getpid())
    zip_path = str(tmp_path / "backup.zip")
    yield target, zip_path
    subprocess.run(["psql", "-d", "postgres", "-XqAt", "-c",
                    'DROP DATABASE IF EXISTS "%s"' % target], env=_env())
    subprocess.run(["rm", "-rf", os.path.join(_data_dir(), "filestore", target)])


def test_backup_restores_the_same_records_and_files(odoo_db, restored):
    target, zip_path = restored
    for command in (["bash", "scripts/backup.sh", odoo_db, zip_path], ["bash", "scripts/restore.sh", zip_path, target]):
        result = subprocess.run(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=_env())
        assert result.returncode == 0, result.stdout.decode()[-3000:]
    with zipfile.ZipFile(zip_path) as archive:
        names = set(archive.namelist())
        manifest = json.loads(archive.read("manifest.json").decode())
    assert "dump.sql" in names
    assert manifest["db_name"] == odoo_db and "receivables" in manifest["modules"]
    before, files, uuid = _counts(odoo_db)
    after, restored_files, restored_uuid = _counts(target)
    # Tests running at the same time may add records to the source: the
    # restored copy is compared with the snapshot's figures where they are
    # stable, the whole list of tables, and the files it names.
    assert set(after) == set(before)
    for table in TABLES:
        if table in before:
            assert after[table] <= before[table], table
            assert after[table] > 0 or before[table] == 0, table
    assert after["crm_lead"] == before["crm_lead"] and after["res_partner"] == before["res_partner"]
    assert restored_uuid != uuid
    assert restored_files, "the demo has stored attachments"
    for store_fname, checksum in restored_files.items():
        path = os.path.join(_data_dir(), "filestore", target, store_fname)
        assert os.path.isfile(path), store_fname
        assert _sha1(path) == checksum, store_fname
    assert set(restored_files) <= set(files)
