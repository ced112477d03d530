"""Fixtures of the cross-addon scenarios.

``odoo_server`` starts the real Odoo (scripts/odoo-bin) on a free loopback
port against the database pytest-odoo was given (``--odoo-database``), so the
tests act as a user would: over XML-RPC, JSON-RPC, plain HTTP and a browser.
"""
import os
import subprocess
import sys
import time
import xmlrpc.client

import pytest
import requests

from onec import process as onec_process
from onec.process import free_port

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LOCAL = os.path.join(ROOT, ".local")
BROWSER_DIR = os.path.join(ROOT, "tests", "browser")


class OdooServer(object):
    def __init__(self, db, port, process, logfile):
        self.db = db
        self.port = port
        self.url = "http://127.0.0.1:%d" % port
        self.process = process
        self.logfile = logfile

    def log_tail(self, lines=40):
        with open(self.logfile, encoding="utf-8", errors="replace") as log:
            return "".join(log.readlines()[-lines:])


@pytest.fixture(scope="session")
def odoo_db(request):
    db = request.config.getoption("--odoo-database") or os.environ.get("TEST_DB")
    if not db:
        pytest.fail("give the database with --odoo-database")
    return db


@pytest.fixture(scope="session")
def odoo_config(request):
    return os.path.abspath(request.config.getoption("--odoo-config") or os.path.join(LOCAL, "odoo.conf"))


def _start_server(odoo_db, odoo_config, logfile):
    port = free_port()
    cmd = [
        sys.executable, os.path.join(ROOT, "scripts", "odoo-bin"),
        "-c", odoo_config, "-d", odoo_db,
        "--db-filter=^%s$" % odoo_db, "--http-port=%d" % port,
        "--longpolling-port=%d" % free_port(), "--max-cron-threads=0",
        "--logfile=%s" % logfile,
    ]
    # lessc (node_modules/.bin) compiles the web client's stylesheets.
    env = dict(os.environ, PATH=os.pathsep.join([os.path.join(ROOT, "node_modules", ".bin"),
                                                 os.environ.get("PATH", "")]))
    offset = os.path.getsize(logfile) if os.path.exists(logfile) else 0
    process = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    server = OdooServer(odoo_db, port, process, logfile)
    deadline = time.time() + 180
    # No request before the registry is loaded: Odoo 11's threaded server
    # answers HTTP while its main thread still loads the registry, and the
    # first request imports every addon (http.Root.load_addons) in its own
    # thread; Python's import deadlock avoidance may then hand the loader a
    # half-imported addon, whose missing models stay missing (seen as
    # "Missing model crm.opportunity.report" and KeyErrors for whole runs).
    while time.time() < deadline and process.poll() is None:
        started = ""
        if os.path.exists(logfile):  # Odoo creates it once it starts logging
            with open(logfile, encoding="utf-8", errors="replace") as log:
                log.seek(offset)
                started = log.read()
        if "Modules loaded." in started or "Failed to initialize database" in started:
            break
        time.sleep(0.3)
    while time.time() < deadline:
        if process.poll() is not None:
            pytest.fail("Odoo stopped at start:\n%s" % server.log_tail())
        try:
            if requests.get(server.url + "/web/login", timeout=60).status_code == 200:
                break
        except (requests.ConnectionError, requests.Timeout):
            pass
        time.sleep(0.5)
    else:
        process.kill()
        pytest.fail("Odoo did not answer in 180 s:\n%s" % server.log_tail())
    return server


def _stop_server(server):
    server.process.terminate()
    try:
        server.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.process.kill()


def missing_models(server):
    """Models the database lists (ir.model) that the running server's
    registry does not hold: what a request during the registry load did
    (see _start_server), checked once at start, so that such a start is told
    apart from a defect of the suite."""
    common = xmlrpc.client.ServerProxy(server.url + "/xmlrpc/2/common", allow_none=True)
    uid = common.authenticate(server.db, "admin", "admin", {})
    if not uid:
        return []
    models = xmlrpc.client.ServerProxy(server.url + "/xmlrpc/2/object", allow_none=True)
    names = [row["model"] for row in models.execute_kw(server.db, uid, "admin", "ir.model", "search_read",
                                                       [[]], {"fields": ["model"]})]
    missing = []
    for name in names:
        try:
            models.execute_kw(server.db, uid, "admin", name, "check_access_rights", ["read"],
                              {"raise_exception": False})
        except xmlrpc.client.Fault:
            # "Object … doesn't exist" in the admin's language; the call
            # itself raises nothing on a model the registry holds.
            missing.append(name)
    return missing


@pytest.fixture(scope="session")
def odoo_server(odoo_db, odoo_config):
    os.makedirs(os.path.join(LOCAL, "log"), exist_ok=True)
    logfile = os.path.join(LOCAL, "log", "test-server-%s.log" % odoo_db)
    server = _start_server(odoo_db, odoo_config, logfile)
    missing = missing_models(server)
    if missing:
        # Said loudly in the test output, then one new start.
        sys.stderr.write("\nWARNING: the test server started without models %s; starting it again\n"
                         % ", ".join(missing))
        _stop_server(server)
        server = _start_server(odoo_db, odoo_config, logfile)
        missing = missing_models(server)
        if missing:
            _stop_server(server)
            pytest.fail("the test server's registry lacks models %s:\n%s"
                        % (", ".join(missing), server.log_tail()))
    # wkhtmltopdf fetches a report's stylesheets from report.url (else
    # web.base.url) with the user's session: point it at this server, not at
    # whatever else listens on 8069.
    models = xmlrpc.client.ServerProxy(server.url + "/xmlrpc/2/object", allow_none=True)
    admin_uid = xmlrpc.client.ServerProxy(server.url + "/xmlrpc/2/common").authenticate(
        odoo_db, "admin", "admin", {})
    if admin_uid:
        models.execute_kw(odoo_db, admin_uid, "admin", "ir.config_parameter", "set_param",
                          ["report.url", server.url])
    yield server
    _stop_server(server)


class RpcError(Exception):
    """A JSON-RPC error answer; ``data`` holds Odoo's error dict."""

    def __init__(self, error):
        super(RpcError, self).__init__(error.get("data", {}).get("message") or error.get("message"))
        self.error = error
        self.data = error.get("data", {})


class RpcUser(object):
    """One user of the running server, over XML-RPC and a web session."""

    def __init__(self, server, login, password):
        self.server = server
        self.login = login
        self.password = password
        common = xmlrpc.client.ServerProxy(server.url + "/xmlrpc/2/common", allow_none=True)
        self.uid = common.authenticate(server.db, login, password, {})
        if not self.uid:
            raise AssertionError("login %r refused" % login)
        self._models = xmlrpc.client.ServerProxy(server.url + "/xmlrpc/2/object", allow_none=True)
        self._session = None

    def call(self, model, method, *args, **kwargs):
        return self._models.execute_kw(self.server.db, self.uid, self.password, model, method,
                                       list(args), kwargs)

    @property
    def session(self):
        """A requests.Session logged in to the web client (cookie session_id)."""
        if self._session is None:
            session = requests.Session()
            answer = session.post(self.server.url + "/web/session/authenticate", json={
                "jsonrpc": "2.0", "method": "call", "id": 1,
                "params": {"db": self.server.db, "login": self.login, "password": self.password},
            }, timeout=30).json()
            if answer.get("error") or not answer["result"].get("uid"):
                raise AssertionError("web login of %r refused: %s" % (self.login, answer))
            self._session = session
        return self._session

    def jsonrpc(self, route, params=None):
        answer = self.session.post(self.server.url + route, json={
            "jsonrpc": "2.0", "method": "call", "id": 1, "params": params or {},
        }, timeout=60).json()
        if answer.get("error"):
            raise RpcError(answer["error"])
        # Odoo leaves "result" out when a method returns None.
        return answer.get("result")

    def call_kw(self, model, method, *args, **kwargs):
        """The web client's route for model methods (/web/dataset/call_kw)."""
        return self.jsonrpc("/web/dataset/call_kw/%s/%s" % (model, method), {
            "model": model, "method": method, "args": list(args), "kwargs": kwargs,
        })


@pytest.fixture(scope="session")
def rpc(odoo_server):
    users = {}

    def connect(login, password=None):
        key = (login, password)
        if key not in users:
            users[key] = RpcUser(odoo_server, login, password or login)
        return users[key]
    return connect


# The demo department's people, over RPC (password = login).
@pytest.fixture(scope="session")
def admin(rpc):
    return rpc("admin", "admin")


@pytest.fixture(scope="session")
def head(rpc):
    return rpc("head")


@pytest.fixture(scope="session")
def petrov(rpc):
    """Team leader of the Moscow team."""
    return rpc("petrov")


@pytest.fixture(scope="session")
def sidorova(rpc):
    """Salesman of the Moscow team (petrov's)."""
    return rpc("sidorova")


@pytest.fixture(scope="session")
def kuznetsov(rpc):
    """Salesman of the Moscow team, sidorova's colleague."""
    return rpc("kuznetsov")


@pytest.fixture(scope="session")
def run_browser(odoo_server):
    """Runs a Playwright script of tests/browser/ against the server; the
    script exits non-zero on a failed check or any JavaScript error."""
    node_path = os.path.join(ROOT, "node_modules")

    def run(script, timeout=240, **env):
        environ = dict(os.environ, NODE_PATH=node_path, BASE_URL=odoo_server.url,
                       ODOO_DB=odoo_server.db, SCREENSHOT_DIR=os.path.join(LOCAL, "screenshots"))
        environ.update({key: str(value) for key, value in env.items()})
        process = subprocess.run(["node", os.path.join(BROWSER_DIR, script)], cwd=ROOT, env=environ,
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout)
        output = process.stdout.decode("utf-8", "replace")
        assert process.returncode == 0, "browser script %s failed:\n%s" % (script, output)
        return output
    return run


@pytest.fixture(scope="module")
def stand_in():
    """A 1C stand-in (onec/) of its own on a free port, with no documents:
    each test puts in it what it needs (see onec/server.py, /__control__)."""
    process, url = onec_process.start()
    yield url
    onec_process.stop(process)
