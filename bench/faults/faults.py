"""Faults, tested (scripts/faults.sh; not part of make test): an Odoo node of
the production profile on this machine (scripts/node.sh) is

1. killed with -9 (master and workers) in the middle of a 1C sync that
   commits in batches; restarted, the next sync resumes from the committed
   cursor: every 1C document once;
2. killed with -9 in the middle of a burst of PBX call webhooks; restarted,
   the PBX delivers everything again (as it retries unanswered events):
   every call once;
3. cut off from PostgreSQL: every connection of the database terminated
   under load (what a PostgreSQL restart does to Odoo); requests fail for a
   moment, then work again, and the data is consistent;
4. given a request that blows its worker past limit_memory_hard: the
   request fails whole (nothing of it written), the worker is replaced, the
   same write sent again is recorded once;
5. PostgreSQL restarted for real (``pg_ctl restart -m fast``) under load
   (4 clients reading and creating over RPC, a paced PBX webhook stream):
   requests fail for a moment, then work again on the same Odoo processes;
   every acknowledged write is there exactly once; the PBX delivers every
   call again and each is recorded once;
6. PostgreSQL crashed under the same load (``pg_ctl stop -m immediate``: no
   checkpoint, WAL replayed at the next start): the same checks, plus the
   server log's crash recovery and ``pg_amcheck`` over the database's heap
   and indexes (no corruption).

Steps 5 and 6 need a cluster of the run's own (--pg-data and --pg-ctl, which
scripts/faults.sh passes): they refuse the project's shared cluster.

Each step asserts; the exit status is 1 on any failure.
"""
import argparse
import json
import os
import re
import shlex
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import psycopg2
import requests

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RESULTS = []


def say(text):
    print("==> %s" % text, flush=True)


def check(name, condition, detail=""):
    RESULTS.append((name, bool(condition), detail))
    print("%s %s %s" % ("PASS" if condition else "FAIL", name, detail), flush=True)


class Node(object):
    """One Odoo node started by scripts/node.sh."""

    def __init__(self, args, extra=()):
        self.args, self.extra = args, list(extra)
        self.url = "http://127.0.0.1:%d" % args.port

    def start(self):
        command = ["bash", os.path.join(ROOT, "scripts", "node.sh"), "start", "faults", "--db", self.args.database,
                   "--port", str(self.args.port), "--lp-port", str(self.args.port + 3), "--workers", "2"]
        for option in self.extra:
            command += ["--set", option]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)

    def stop(self):
        subprocess.run(["bash", os.path.join(ROOT, "scripts", "node.sh"), "stop", "faults"],
                       stdout=subprocess.DEVNULL)

    def pids(self):
        """The master and its children (workers, cron, longpolling)."""
        with open(os.path.join(self.args.run_dir, "odoo-faults.pid")) as handle:
            master = int(handle.read())
        children = subprocess.run(["ps", "-o", "pid=", "--ppid", str(master)], stdout=subprocess.PIPE)
        return master, [int(pid) for pid in children.stdout.split()]

    def kill9(self):
        master, children = self.pids()
        for pid in [master] + children:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        time.sleep(1)


class Client(object):
    def __init__(self, url, database, login, password):
        self.url, self.session = url, requests.Session()
        self.rpc("/web/session/authenticate", {"db": database, "login": login, "password": password})

    def rpc(self, path, params, timeout=120):
        answer = self.session.post(self.url + path, json={"jsonrpc": "2.0", "method": "call", "params": params},
                                   timeout=timeout).json()
        if answer.get("error"):
            raise RuntimeError(answer["error"].get("data", {}).get("message") or answer["error"])
        return answer.get("result")

    def call(self, model, method, *args, **kwargs):
        return self.rpc("/web/dataset/call_kw/%s/%s" % (model, method),
                        {"model": model, "method": method, "args": list(args), "kwargs": kwargs})


def sql(args, query, params=None):
    conn = psycopg2.connect(dbname=args.database)
    try:
        with conn.cursor() as cr:
            cr.execute(query, params)
            rows = cr.fetchall() if cr.description else None
        conn.commit()
        return rows
    finally:
        conn.close()


def onec_control(args, **values):
    requests.post("http://127.0.0.1:%d/__control__" % args.onec_port, data=json.dumps(values),
                  timeout=10).raise_for_status()


def fault_kill_mid_sync(args, node, run):
    say("1. kill -9 in the middle of a 1C sync")
    backend = sql(args, "SELECT id FROM receivables_onec_backend ORDER BY id LIMIT 1")[0][0]
    with open(args.onec_data) as handle:
        known = len(json.load(handle)["payments"])
    sql(args, "UPDATE receivables_onec_backend SET wsdl_url = %s, username = 'Обмен', password = 'secret', "
              "cursor = %s, batch_size = 25, overlap = 10 WHERE id = %s",
        ("http://127.0.0.1:%d/buh/ws/Payments.1cws?wsdl" % args.onec_port, str(known), backend))
    payer = sql(args, "SELECT vat, name FROM res_partner WHERE is_company AND vat IS NOT NULL ORDER BY id LIMIT 1")[0]
    guids = ["fault-%s-%04d" % (run, n) for n in range(600)]
    docs = [{"GUID": guid, "DocumentType": "ПоступлениеНаРасчетныйСчет", "Number": "ОТК-%04d" % n,
             "Date": time.strftime("%Y-%m-%dT00:00:00"), "Posted": True, "DeletionMark": False,
             "CounterpartyGUID": "c0a7e000-0000-4000-8000-%012d" % int(payer[0]), "CounterpartyName": payer[1],
             "CounterpartyINN": payer[0], "CounterpartyKPP": "", "ContractGUID": "", "ContractNumber": "",
             "ContractDate": "0001-01-01T00:00:00", "Amount": "%.2f" % (500 + n), "Currency": "RUB",
             "PaymentPurpose": "Оплата (отказ)"} for n, guid in enumerate(guids)]
    onec_control(args, upsert=docs)
    onec_control(args, mode="slow", delay=0.4)
    head = Client(node.url, args.database, "head", "head")
    thread = threading.Thread(target=lambda: _swallow(head.call, "receivables.onec.backend", "run_sync", [backend]))
    thread.start()
    deadline = time.time() + 120
    while time.time() < deadline:
        done = sql(args, "SELECT count(*) FROM receivables_payment WHERE onec_guid LIKE %s", ("fault-%s-%%" % run,))
        if done[0][0] >= 100:
            break
        time.sleep(0.3)
    before_kill = done[0][0]
    node.kill9()
    thread.join(30)
    stuck = sql(args, "SELECT id, state FROM receivables_sync_log WHERE backend_id = %s ORDER BY id DESC LIMIT 1",
                (backend,))[0]
    check("1C sync: killed after committed batches", 0 < before_kill < len(guids),
          "(%d of %d imported, the log says %r)" % (before_kill, len(guids), stuck[1]))
    onec_control(args, mode="normal")
    node.start()
    head = Client(node.url, args.database, "head", "head")
    # The lock went with the killed connection: the next sync is not skipped.
    log = head.call("receivables.onec.backend", "run_sync", [backend])
    state = sql(args, "SELECT state, created, error FROM receivables_sync_log WHERE id = %s", (log,))[0]
    rows = dict(sql(args, "SELECT onec_guid, count(*) FROM receivables_payment WHERE onec_guid LIKE %s "
                          "GROUP BY onec_guid", ("fault-%s-%%" % run,)))
    check("1C sync: resumed after restart", state[0] == "done", "(%s, %s new)" % (state[0], state[1]))
    check("1C sync: every document once", sorted(rows) == guids and set(rows.values()) == {1},
          "(%d documents, %d doubled)" % (len(rows), sum(1 for n in rows.values() if n > 1)))


def _swallow(function, *args):
    try:
        function(*args)
    except Exception:  # the node is killed under this request  # pylint: disable=broad-except
        pass


def post_call(url, call_id, phone, login):
    payload = {"call_id": call_id, "direction": "in", "from": phone, "to": "+7 (495) 120-45-00",
               "start": time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime()), "duration": 60,
               "manager_login": login}
    try:
        answer = requests.post(url + "/sales_control/webhook/call", json=payload, timeout=30,
                               headers={"X-Sales-Token": "demo-pbx-token"})
        return answer.status_code < 300
    except requests.RequestException:
        return False


def pbx_contact(args):
    """A client's phone and the login of the manager of one of its deals."""
    return sql(args, "SELECT p.phone, u.login FROM res_partner p JOIN crm_lead l ON l.partner_id = p.id "
                     "JOIN res_users u ON u.id = l.user_id WHERE p.phone IS NOT NULL AND p.is_company "
                     "ORDER BY p.id, l.id LIMIT 1")[0]


def fault_kill_mid_burst(args, node, run):
    say("2. kill -9 in the middle of a webhook burst")
    contact = pbx_contact(args)
    ids = ["fault-%s-call-%04d" % (run, n) for n in range(400)]
    acknowledged = []
    killer = threading.Timer(3.0, node.kill9)
    killer.start()
    with ThreadPoolExecutor(8) as pool:
        for call_id, ok in zip(ids, pool.map(lambda i: post_call(node.url, i, contact[0], contact[1]), ids)):
            if ok:
                acknowledged.append(call_id)
    killer.join()
    recorded = sql(args, "SELECT count(*) FROM sales_touch WHERE external_ref LIKE %s", ("fault-%s-call-%%" % run,))
    check("webhooks: killed mid burst", 0 < len(acknowledged) < len(ids),
          "(%d of %d answered, %d recorded)" % (len(acknowledged), len(ids), recorded[0][0]))
    check("webhooks: nothing acknowledged was lost", recorded[0][0] >= len(acknowledged))
    node.start()
    # The PBX delivers again what it sent (answered or not), concurrently.
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda i: post_call(node.url, i, contact[0], contact[1]), ids + ids))
    rows = dict(sql(args, "SELECT external_ref, count(*) FROM sales_touch WHERE external_ref LIKE %s "
                          "GROUP BY external_ref", ("fault-%s-call-%%" % run,)))
    check("webhooks: after restart every delivery answered", all(answers), "(%d failed)" % answers.count(False))
    check("webhooks: every call once", sorted(rows) == ids and set(rows.values()) == {1},
          "(%d calls, %d doubled)" % (len(rows), sum(1 for n in rows.values() if n > 1)))


class Load(object):
    """4 clients (the head) reading companies and creating a partner each
    0.1 s over RPC, and optionally a PBX posting a call webhook each 0.1 s;
    bounded by the caller's stop (and by ``limit`` seconds at most)."""

    def __init__(self, args, node, tag, webhooks=False, limit=90):
        self.args, self.node, self.tag, self.limit = args, node, tag, limit
        self.errors, self.successes, self.created = [], [], []
        self.calls, self.answered, self.logins = [], [], []
        self.stop_event, self.started = threading.Event(), None
        self.threads = [threading.Thread(target=self._work, args=(n,)) for n in range(4)]
        if webhooks:
            self.contact = pbx_contact(args)
            self.threads.append(threading.Thread(target=self._pbx))

    def start(self):
        self.started = time.time()
        for thread in self.threads:
            thread.start()

    def stop(self):
        self.stop_event.set()
        for thread in self.threads:
            thread.join(150)

    def _running(self):
        return not self.stop_event.is_set() and time.time() < self.started + self.limit

    def _work(self, number):
        client = Client(self.node.url, self.args.database, "head", "head")
        n = 0
        while self._running():
            n += 1
            name = "%s-%d-%d" % (self.tag, number, n)
            try:
                if client is None:
                    # As the user does, who is shown the login page: Odoo 11
                    # logs a session out when its request finds the
                    # database unreachable (Root.dispatch, check_signaling).
                    client = Client(self.node.url, self.args.database, "head", "head")
                    self.logins.append(time.time())
                client.call("res.partner", "search_read", [["is_company", "=", True]], ["name"], limit=50)
                created = client.call("res.partner", "create", {"name": name})
                self.created.append((name, created))
                self.successes.append(time.time())
            except Exception as error:  # pylint: disable=broad-except
                self.errors.append((time.time(), str(error)[:80]))
                if "Session expired" in str(error):
                    client = None
            time.sleep(0.1)

    def _pbx(self):
        n = 0
        while self._running():
            n += 1
            call_id = "%s-call-%04d" % (self.tag, n)
            self.calls.append(call_id)
            if post_call(self.node.url, call_id, self.contact[0], self.contact[1]):
                self.answered.append(call_id)
            time.sleep(0.1)

    def written_once(self):
        """(acknowledged writes, how many are not there exactly once)."""
        names = [name for name, _id in self.created]
        rows = dict(sql(self.args, "SELECT name, count(*) FROM res_partner WHERE name = ANY(%s) GROUP BY name",
                        (names,)))
        return len(names), sum(1 for name in names if rows.get(name) != 1)

    def calls_recorded(self):
        return dict(sql(self.args, "SELECT external_ref, count(*) FROM sales_touch WHERE external_ref = ANY(%s) "
                                   "GROUP BY external_ref", (self.calls,)))


def fault_database_connections_cut(args, node, run):
    say("3. every database connection cut under load (as a PostgreSQL restart does)")
    head = Client(node.url, args.database, "head", "head")
    load = Load(args, node, "fault-%s-pg" % run)
    load.start()
    time.sleep(3)
    cut = time.time()
    terminated = sql(args, "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                           "WHERE datname = %s AND pid <> pg_backend_pid()", (args.database,))[0][0]
    time.sleep(8)
    load.stop()
    later = [t for t in load.successes if t > cut + 1]
    check("database cut: connections terminated", terminated > 0, "(%d)" % terminated)
    check("database cut: requests work again", bool(later),
          "(%d errors, first success %.1f s after the cut, %d sessions logged out and in again)" % (
              len(load.errors), (later[0] - cut) if later else -1, len(load.logins)))
    writes, wrong = load.written_once()
    check("database cut: every acknowledged write is there once", wrong == 0, "(%d writes)" % writes)
    head.call("res.partner", "search_count", [])


class Cluster(object):
    """The run's own PostgreSQL cluster, driven with pg_ctl (as the postgres
    user when run as root, as scripts/pg.sh runs it)."""

    def __init__(self, args):
        self.args = args
        if not (args.pg_data and args.pg_ctl and args.pg_log):
            raise SystemExit("steps 5 and 6 need --pg-data, --pg-ctl and --pg-log (scripts/faults.sh passes them)")
        self.data = os.path.realpath(args.pg_data)
        serving = os.path.realpath(sql(args, "SHOW data_directory")[0][0])
        if serving != self.data:
            raise SystemExit("the database %s is served from %s, not from --pg-data %s" %
                             (args.database, serving, self.data))
        shared = os.path.realpath(os.path.join(ROOT, ".local", "pg", "data"))
        port = int(sql(args, "SHOW port")[0][0])
        if self.data == shared or port == 55432:
            raise SystemExit("refusing to restart the project's shared cluster (%s, port %d)" % (self.data, port))

    def pg_ctl(self, *arguments, **options):
        command = [self.args.pg_ctl, "-D", self.data] + list(arguments)
        if self.args.pg_user:
            command = ["su", "-s", "/bin/sh", self.args.pg_user, "-c", " ".join(shlex.quote(a) for a in command)]
        return subprocess.run(command, cwd="/", stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              universal_newlines=True, timeout=options.get("timeout", 120))

    def postmaster(self):
        try:
            with open(os.path.join(self.data, "postmaster.pid")) as handle:
                return int(handle.readline())
        except (OSError, ValueError):
            return None

    def log_size(self):
        return os.path.getsize(self.args.pg_log) if os.path.exists(self.args.pg_log) else 0

    def log_since(self, offset):
        with open(self.args.pg_log, errors="replace") as handle:
            handle.seek(offset)
            return handle.read()

    def amcheck(self):
        """pg_amcheck over the database's tables (with their TOAST) and
        B-tree indexes, every heap tuple looked up in each index: (exit
        status, what it printed)."""
        sql(self.args, "CREATE EXTENSION IF NOT EXISTS amcheck")
        done = subprocess.run([os.path.join(self.args.pg_bin, "pg_amcheck"), "-h", "127.0.0.1",
                               "-p", os.environ.get("PGPORT", "5432"), "-U", "odoo", "-d", self.args.database,
                               "--heapallindexed", "--parent-check"],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True, timeout=900)
        return done.returncode, done.stdout.strip()


def _wait_sql(args, seconds):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            sql(args, "SELECT 1")
            return True
        except psycopg2.Error:
            time.sleep(0.5)
    return False


def _under_load(args, node, tag, title, fault):
    """Runs ``fault`` (which stops and starts PostgreSQL) under Load, and
    checks what every such fault must leave: requests failed for a moment,
    then worked again on the same Odoo master, every acknowledged write and
    call there exactly once. Returns (load, seconds the fault took)."""
    master_before, _workers = node.pids()
    load = Load(args, node, tag, webhooks=True)
    load.start()
    time.sleep(4)
    began = time.time()
    fault()
    back = time.time()
    time.sleep(10)
    load.stop()
    failed = [t for t, _error in load.errors if t >= began]
    for error, count in Counter(error for _t, error in load.errors).most_common(3):
        say("   %d x %s" % (count, error))
    later = [t for t in load.successes if t > back]
    master_after, _workers = node.pids()
    same = master_after == master_before and _alive(master_before)
    check("%s: requests failed for a moment, then worked again" % title, bool(failed) and bool(later) and same,
          "(PostgreSQL away %.1f s; %d requests failed, the last %.1f s after the fault began; %d of 4 sessions "
          "logged out by Odoo, logged in again; the first success %.1f s after PostgreSQL was back; the same Odoo "
          "master: %s)" % (
              back - began, len(failed), (failed[-1] - began) if failed else -1, len(load.logins),
              (later[0] - back) if later else -1, same))
    writes, wrong = load.written_once()
    check("%s: every acknowledged write there exactly once" % title, wrong == 0 and writes > 0,
          "(%d acknowledged creates, %d missing or doubled)" % (writes, wrong))
    recorded = load.calls_recorded()
    lost = [call for call in load.answered if recorded.get(call) != 1]
    # The PBX sends again what it sent (answered or not), twice, concurrently.
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda i: post_call(node.url, i, load.contact[0], load.contact[1]),
                                load.calls + load.calls))
    recorded = load.calls_recorded()
    check("%s: every call webhook once, none acknowledged lost" % title,
          not lost and all(answers) and sorted(recorded) == sorted(load.calls) and set(recorded.values()) == {1},
          "(%d calls posted, %d answered during the run, %d of them lost; redelivered twice: %d failed, "
          "%d doubled)" % (len(load.calls), len(load.answered), len(lost), answers.count(False),
                           sum(1 for n in recorded.values() if n > 1)))
    return load, back - began


def _alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except OSError:
        return False


def fault_postgres_restart(args, node, run):
    say("5. PostgreSQL restarted (pg_ctl restart -m fast) under load")
    cluster = Cluster(args)
    before, offset = cluster.postmaster(), cluster.log_size()
    done = {}

    def restart():
        done["restart"] = cluster.pg_ctl("restart", "-m", "fast", "-w", "-t", "60", "-l", args.pg_log)
        _wait_sql(args, 30)
    _under_load(args, node, "fault-%s-restart" % run, "PostgreSQL restart", restart)
    log = cluster.log_since(offset)
    after = cluster.postmaster()
    check("PostgreSQL restart: the server really restarted", done["restart"].returncode == 0 and
          before != after and "database system is shut down" in log and
          "database system is ready to accept connections" in log,
          "(postmaster %s, then %s; %s)" % (before, after, done["restart"].stdout.strip().splitlines()[-1:]))


def fault_postgres_crash(args, node, run):
    say("6. PostgreSQL crashed (pg_ctl stop -m immediate) under load, started again")
    cluster = Cluster(args)
    before, offset = cluster.postmaster(), cluster.log_size()
    done = {}

    def crash():
        began = time.time()
        done["stop"] = cluster.pg_ctl("stop", "-m", "immediate", "-w", "-t", "60")
        done["stopped"] = time.time() - began
        time.sleep(2)  # down for a moment: Odoo's requests meet a refused connection
        began = time.time()
        done["start"] = cluster.pg_ctl("start", "-w", "-t", "120", "-l", args.pg_log)
        done["started"] = time.time() - began
        _wait_sql(args, 30)
        done["answered"] = time.time() - began
    _under_load(args, node, "fault-%s-crash" % run, "PostgreSQL crash", crash)
    log = cluster.log_since(offset)
    after = cluster.postmaster()
    recovery = _recovery(log)
    check("PostgreSQL crash: killed without a checkpoint, WAL replayed at the start",
          done["stop"].returncode == 0 and done["start"].returncode == 0 and before != after and
          "database system was not properly shut down; automatic recovery in progress" in log and
          recovery is not None,
          "(postmaster %s, then %s; stopped in %.1f s, 2 s down, started in %.1f s; the log: \"not properly shut "
          "down; automatic recovery in progress\" after %s, \"redo done\": %s)"
          % (before, after, done["stopped"], done["started"],
             "%.1f s syncing the data folder" % recovery[0] if recovery else "?",
             "%d kB of WAL replayed in %.2f s" % (recovery[1], recovery[2]) if recovery else "no"))
    started = time.time()
    status, output = cluster.amcheck()
    tables, indexes = sql(args, "SELECT count(*) FILTER (WHERE c.relkind IN ('r', 'm', 't')), "
                                "count(*) FILTER (WHERE a.amname = 'btree') "
                                "FROM pg_class c LEFT JOIN pg_am a ON a.oid = c.relam")[0]
    check("PostgreSQL crash: no corruption (pg_amcheck --heapallindexed --parent-check)",
          status == 0 and not output,
          "(%d tables and %d B-tree indexes checked, exit %d in %.0f s%s)" % (
              tables, indexes, status, time.time() - started, (": " + output[:200]) if output else ""))


def _lsn(text):
    high, low = text.split("/")
    return (int(high, 16) << 32) + int(low, 16)


def _recovery(log):
    """From the server log of a start after a crash: (seconds between
    "interrupted" and the start of recovery, which PostgreSQL spends
    syncing every file of the data folder; kB of WAL replayed; seconds of
    replay), or None without a "redo done"."""
    stamp = r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+) \S+ \[\d+\] LOG:  "
    found = {}
    for key, pattern in (("interrupted", "database system was interrupted"),
                         ("recovery", "database system was not properly shut down"),
                         ("starts", r"redo starts at (\S+)"), ("done", r"redo done at (\S+)")):
        match = re.search(stamp + pattern, log, re.M)
        if not match:
            return None
        found[key] = (time.mktime(time.strptime(match.group(1)[:19], "%Y-%m-%d %H:%M:%S")) +
                      float(match.group(1)[19:]), match.group(2) if match.lastindex > 1 else None)
    return (found["recovery"][0] - found["interrupted"][0],
            (_lsn(found["done"][1]) - _lsn(found["starts"][1])) // 1024, found["done"][0] - found["starts"][0])


def fault_memory_limit(args, run):
    say("4. a worker past its memory limits")
    # a) limit_memory_hard (RLIMIT_AS) 600 MB: a request that needs more fails
    #    with MemoryError inside the worker, whole; the same write sent again
    #    is recorded once.
    node = Node(args, ["limit_memory_soft=%d" % (2048 * 2 ** 20), "limit_memory_hard=%d" % (600 * 2 ** 20)])
    node.start()
    client = Client(node.url, args.database, "head", "head")
    name = "fault-%s-memory" % run
    huge = "x" * (700 * 2 ** 20)
    try:
        client.call("res.partner", "create", {"name": name, "comment": huge})
        failed = False
    except Exception:  # pylint: disable=broad-except
        failed = True
    del huge
    written = sql(args, "SELECT count(*) FROM res_partner WHERE name = %s", (name,))[0][0]
    check("memory hard limit: the oversized request failed whole", failed and written == 0,
          "(failed: %s, written: %d)" % (failed, written))
    client = Client(node.url, args.database, "head", "head")
    client.call("res.partner", "create", {"name": name, "comment": "the same client, sent again"})
    written = sql(args, "SELECT count(*) FROM res_partner WHERE name = %s", (name,))[0][0]
    check("memory hard limit: the request sent again is recorded once", written == 1, "(%d)" % written)
    node.stop()
    # b) limit_memory_soft below what a worker holds after a request: each
    #    worker is replaced after its request (as one that grew past the
    #    limit is); every write made meanwhile is there once.
    node = Node(args, ["limit_memory_soft=%d" % (150 * 2 ** 20), "limit_memory_hard=%d" % (2560 * 2 ** 20)])
    node.start()
    _master, workers_before = node.pids()
    names = ["fault-%s-recycle-%02d" % (run, n) for n in range(20)]
    errors = 0
    for each in names:
        try:
            Client(node.url, args.database, "head", "head").call("res.partner", "create", {"name": each})
        except Exception:  # pylint: disable=broad-except
            errors += 1
    _master, workers_after = node.pids()
    rows = dict(sql(args, "SELECT name, count(*) FROM res_partner WHERE name = ANY(%s) GROUP BY name", (names,)))
    replaced = len(set(workers_before) - set(workers_after))
    check("memory soft limit: workers replaced after their requests", replaced > 0,
          "(%d of the first processes replaced)" % replaced)
    check("memory soft limit: every write there once, none refused", errors == 0 and
          all(rows.get(n) == 1 for n in names), "(%d writes, %d errors)" % (len(names), errors))
    return node


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--port", type=int, default=18269)
    parser.add_argument("--onec-port", type=int, required=True)
    parser.add_argument("--onec-data", required=True)
    parser.add_argument("--only", help="comma-separated step numbers")
    parser.add_argument("--run-dir", default=os.path.join(ROOT, ".local", "run"),
                        help="where scripts/node.sh writes the node's pid file")
    parser.add_argument("--pg-data", help="the data folder of the run's own cluster (steps 5 and 6)")
    parser.add_argument("--pg-ctl", help="its pg_ctl")
    parser.add_argument("--pg-log", help="its server log (pg_ctl -l)")
    parser.add_argument("--pg-bin", default="/usr/lib/postgresql/15/bin", help="where pg_amcheck is")
    parser.add_argument("--pg-user", help="the system user pg_ctl runs as (postgres, when run as root)")
    args = parser.parse_args()
    run = time.strftime("%H%M%S")
    steps = set((args.only or ("1,2,3,4,5,6" if args.pg_data else "1,2,3,4")).split(","))
    node = Node(args)
    try:
        node.start()
        if "1" in steps:
            fault_kill_mid_sync(args, node, run)
        if "2" in steps:
            fault_kill_mid_burst(args, node, run)
        if "3" in steps:
            fault_database_connections_cut(args, node, run)
        if "5" in steps:
            fault_postgres_restart(args, node, run)
        if "6" in steps:
            fault_postgres_crash(args, node, run)
        node.stop()
        if "4" in steps:
            node = fault_memory_limit(args, run)
    finally:
        node.stop()
    print()
    print("| fault | result | detail |")
    print("|---|---|---|")
    for name, passed, detail in RESULTS:
        print("| %s | %s | %s |" % (name, "pass" if passed else "FAIL", detail.strip("()")))
    return 0 if all(passed for _name, passed, _detail in RESULTS) else 1


if __name__ == "__main__":
    sys.exit(main())
