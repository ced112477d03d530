"""The project's shell scripts, run in a temporary folder: the functions of
scripts/lib.sh that scripts/pg.sh, make clean-db and the database scripts
use, with PostgreSQL's client replaced by a stub that records its calls."""
import importlib.util
import os
import pwd
import shutil
import subprocess
import tempfile
import time

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LIB = os.path.join(ROOT, "scripts", "lib.sh")


def bash(script, tmp_path, **env):
    """Run ``script`` after sourcing lib.sh, with its data folder in
    tmp_path and a psql that only writes its arguments to psql.log."""
    stub = tmp_path / "bin"
    stub.mkdir(exist_ok=True)
    psql = stub / "psql"
    psql.write_text('#!/bin/sh\necho "$@" >>"%s"\n' % (tmp_path / "psql.log"))
    psql.chmod(0o755)
    prelude = 'source "%s"; DATA_DIR="%s"; PATH="%s:$PATH"\n' % (LIB, tmp_path / "data", stub)
    return subprocess.run(["bash", "-c", prelude + script], cwd=str(tmp_path), env=dict(os.environ, **env),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True, timeout=60)


def filestore(tmp_path, db, files=("ab/abcdef",)):
    folder = tmp_path / "data" / "filestore" / db
    for name in files:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(name)
    return folder


def test_drop_database_drops_its_filestore_too(tmp_path):
    old = filestore(tmp_path, "sales")
    other = filestore(tmp_path, "sales_test")
    result = bash('drop_database sales', tmp_path)
    assert result.returncode == 0, result.stderr
    assert not old.exists() and other.exists()
    assert 'DROP DATABASE IF EXISTS "sales"' in (tmp_path / "psql.log").read_text()


def test_a_copy_replaces_the_old_filestore_instead_of_nesting_in_it(tmp_path):
    filestore(tmp_path, "stack_1", files=("aa/template_file",))
    filestore(tmp_path, "sales", files=("bb/left_behind",))
    result = bash('copy_filestore stack_1 sales', tmp_path)
    assert result.returncode == 0, result.stderr
    copy = tmp_path / "data" / "filestore" / "sales"
    assert sorted(str(path.relative_to(copy)) for path in copy.rglob("*") if path.is_file()) == ["aa/template_file"]


@pytest.mark.parametrize("name", ["../etc", "", "a b", "x/y", "-rf"])
def test_a_database_name_never_becomes_another_path(tmp_path, name):
    victim = filestore(tmp_path, "keep")
    result = bash('drop_database "$NAME"', tmp_path, NAME=name)
    assert result.returncode != 0 and "not a database name" in result.stderr
    assert victim.exists() and not (tmp_path / "psql.log").exists()


def test_make_clean_db_drops_the_database_with_its_filestore():
    recipe = subprocess.run(["make", "-n", "clean-db"], cwd=ROOT, stdout=subprocess.PIPE,
                            universal_newlines=True, check=True).stdout
    assert 'drop_database "$DB_NAME"' in recipe


def settings(text):
    values = {}
    for line in text.splitlines():
        if "=" in line and not line.startswith("#"):
            key, value = (part.strip() for part in line.split("=", 1))
            values[key] = value
    return values


def test_the_cluster_is_crash_safe_unless_told_it_is_a_throwaway(tmp_path):
    safe = bash("pg_durability_conf", tmp_path)
    assert safe.returncode == 0, safe.stderr
    assert settings(safe.stdout) == {"fsync": "on", "full_page_writes": "on", "synchronous_commit": "off"}
    unsafe = bash('pg_durability_conf "$PG_DURABILITY"', tmp_path, PG_DURABILITY="unsafe")
    assert settings(unsafe.stdout)["fsync"] == "off" and "corrupt" in unsafe.stdout
    wrong = bash('pg_durability_conf fast', tmp_path)
    assert wrong.returncode != 0 and "PG_DURABILITY" in wrong.stderr


def test_pg_sh_writes_no_unsafe_setting_of_its_own():
    with open(os.path.join(ROOT, "scripts", "pg.sh"), encoding="utf-8") as handle:
        text = "".join(line for line in handle if not line.lstrip().startswith("#"))
    assert "fsync = off" not in text and "full_page_writes = off" not in text
    assert 'pg_durability_conf "${PG_DURABILITY:-safe}"' in text
    assert "include_if_exists = 'sales_suite_durability.conf'" in text
    assert "chown -R" not in text, "only pg_own_cluster changes owners, when needed"


@pytest.mark.skipif(os.geteuid() != 0, reason="the cluster changes owner only when run as root")
def test_the_cluster_changes_owner_only_when_a_folder_is_not_the_postgres_users(tmp_path):
    postgres = pwd.getpwnam("postgres")
    home = tmp_path / "pg"
    for folder in (home, home / "data", home / "run", home / "data" / "base"):
        folder.mkdir(parents=True)
        os.chown(str(folder), postgres.pw_uid, postgres.pw_gid)
    call = 'chown() { echo "chown $*" >>"%s"; }; pg_own_cluster "$H" "$H/data" "$H/run"' % (tmp_path / "chown.log")
    assert bash(call, tmp_path, H=str(home)).returncode == 0
    assert not (tmp_path / "chown.log").exists(), "nothing to do: no chown"
    os.chown(str(home / "run"), 0, 0)
    assert bash(call, tmp_path, H=str(home)).returncode == 0
    assert (tmp_path / "chown.log").read_text() == "chown -R postgres: %s/\n" % home


def test_no_request_before_the_registry_is_loaded(tmp_path):
    """wait_registry_loaded returns once the new part of the log says
    "Modules loaded." — not on the line a former run left in the same log,
    and not before — and at once when the process is gone."""
    log = tmp_path / "odoo.log"
    log.write_text("old run ... odoo.modules.loading: Modules loaded.\n")
    started = time.time()
    result = bash("""
sleep 30 & echo $! > server.pid
offset=$(file_size odoo.log)
( sleep 1.5; echo "... odoo.modules.loading: Modules loaded." >> odoo.log ) &
wait_registry_loaded odoo.log server.pid "$offset"
kill $(cat server.pid)
""", tmp_path)
    waited = time.time() - started
    assert result.returncode == 0, result.stderr
    assert 1.4 <= waited < 10, waited
    started = time.time()
    result = bash("""
sleep 30 & echo $! > gone.pid; kill $(cat gone.pid); wait $(cat gone.pid) 2>/dev/null || true
wait_registry_loaded odoo.log gone.pid "$(file_size odoo.log)"
""", tmp_path)
    assert result.returncode == 0, result.stderr
    assert time.time() - started < 2


def test_the_default_cluster_and_folders_are_the_projects(tmp_path):
    shown = bash('echo "$PGHOME|$PGDATA|$PGSOCK|$PGLOG|$RUN|$LOG"', tmp_path, PG_CLUSTER="", PG_STATE_DIR="")
    assert shown.returncode == 0, shown.stderr
    local = os.path.join(ROOT, ".local")
    home = os.path.join(local, "pg")
    home = os.path.realpath(home) if os.path.islink(home) else home
    assert shown.stdout.strip().split("|") == [
        home, home + "/data", home + "/run", home + "/postgresql.log", local + "/run", local + "/log"]
    data = subprocess.run(["bash", "-c", 'source "%s"; echo "$DATA_DIR"' % LIB], stdout=subprocess.PIPE,
                          universal_newlines=True, env=dict(os.environ, PG_STATE_DIR=""))
    assert data.stdout.strip() == local + "/data"


def test_pg_cluster_and_pg_state_dir_pick_other_folders(tmp_path):
    """A relative PG_CLUSTER is taken from the current folder; a link is
    followed as .local/pg's is."""
    shown = bash('pg_paths; echo "$PGHOME|$PGDATA|$PGSOCK|$PGLOG|$RUN|$LOG"', tmp_path,
                 PG_CLUSTER="clusters/faults", PG_STATE_DIR=str(tmp_path / "state"))
    home = str(tmp_path / "clusters" / "faults")
    assert shown.stdout.strip().split("|") == [
        home, home + "/data", home + "/run", home + "/postgresql.log", str(tmp_path / "state" / "run"),
        str(tmp_path / "state" / "log")]
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "linked").symlink_to(tmp_path / "elsewhere")
    shown = bash('pg_paths; echo "$PGDATA"', tmp_path, PG_CLUSTER=str(tmp_path / "linked"))
    assert shown.stdout.strip() == str(tmp_path / "elsewhere" / "data")


STUB_INITDB = """#!/bin/sh
while [ $# -gt 0 ]; do [ "$1" = -D ] && d="$2"; shift; done
mkdir -p "$d" && echo 15 >"$d/PG_VERSION" && : >"$d/postgresql.conf"
"""
STUB_PG_CTL = """#!/bin/sh
echo "$@" >>"%s"
case "$*" in *" status"*) exit 3 ;; esac
"""


def test_pg_sh_makes_and_starts_the_cluster_pg_cluster_names(tmp_path):
    """PG_CLUSTER and PGPORT: scripts/pg.sh makes that cluster, with that
    port and a socket folder of its own, and starts it (initdb and pg_ctl
    stubbed; as root they run as the postgres user, who must reach the
    folder: not under pytest's private tmp_path)."""
    base = tempfile.mkdtemp(prefix="pg-cluster-")
    try:
        os.chmod(base, 0o755)
        stub = os.path.join(base, "bin")
        os.mkdir(stub, 0o755)
        calls = os.path.join(base, "pg_ctl.log")
        open(calls, "w").close()
        os.chmod(calls, 0o666)
        for name, text in (("initdb", STUB_INITDB), ("pg_ctl", STUB_PG_CTL % calls)):
            with open(os.path.join(stub, name), "w") as handle:
                handle.write(text)
            os.chmod(os.path.join(stub, name), 0o755)
        cluster = os.path.join(base, "faults")
        result = subprocess.run(["bash", os.path.join(ROOT, "scripts", "pg.sh")], cwd=str(tmp_path),
                                env=dict(os.environ, PG_CLUSTER=cluster, PGPORT="55999", PGBIN=stub,
                                         PG_STATE_DIR=str(tmp_path / "state")),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True, timeout=60)
        assert result.returncode == 0, result.stderr
        with open(os.path.join(cluster, "data", "postgresql.conf")) as handle:
            conf = settings(handle.read())
        assert conf["port"] == "55999" and conf["listen_addresses"] == "'127.0.0.1'"
        assert conf["unix_socket_directories"] == "'%s/run'" % cluster
        with open(calls) as handle:
            lines = handle.read().splitlines()
        assert lines[0] == "-D %s/data status" % cluster
        assert lines[1] == "-D %s/data -l %s/postgresql.log -w -t 60 start" % (cluster, cluster)
        if os.geteuid() == 0:
            assert pwd.getpwuid(os.stat(os.path.join(cluster, "data")).st_uid).pw_name == "postgres"
    finally:
        shutil.rmtree(base)


@pytest.mark.parametrize("env", [{"FAULTS_PGPORT": "55432"}, {"FAULTS_PG_CLUSTER": ".local/pg"}])
def test_make_faults_never_restarts_the_shared_cluster(env):
    """scripts/faults.sh stops at once (before setting anything up) when
    its own cluster would be the project's, by port or by folder."""
    result = subprocess.run(["bash", os.path.join(ROOT, "scripts", "faults.sh")], cwd=ROOT,
                            env=dict(os.environ, **env),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True, timeout=60)
    assert result.returncode != 0 and "must not be the project's cluster" in result.stderr
    assert "==>" not in result.stdout, "nothing was started"


def test_the_crash_step_reads_the_recovery_from_the_server_log():
    spec = importlib.util.spec_from_file_location("faults", os.path.join(ROOT, "bench", "faults", "faults.py"))
    faults = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(faults)
    log = """2026-12-01 05:31:31.154 UTC [19212] LOG:  starting PostgreSQL 15.18
2026-12-01 05:31:31.179 UTC [19215] LOG:  database system was interrupted; last known up at 2026-12-01 05:31:15 UTC
2026-12-01 05:31:31.182 UTC [19216] FATAL:  the database system is starting up
2026-12-01 05:31:40.582 UTC [19215] LOG:  database system was not properly shut down; automatic recovery in progress
2026-12-01 05:31:40.592 UTC [19215] LOG:  redo starts at 0/8C7CE80
2026-12-01 05:31:40.600 UTC [19215] LOG:  redo done at 0/8D20198 system usage: CPU: user: 0.00 s
"""
    synced, replayed, seconds = faults._recovery(log)  # pylint: disable=protected-access
    assert round(synced, 3) == 9.403 and replayed == (0x8D20198 - 0x8C7CE80) // 1024 and round(seconds, 3) == 0.008
    assert faults._recovery(log.replace("redo done", "redo is not required")) is None
