"""The production shape (docker-compose.yml, deploy/): two Odoo nodes from
one image on one data_dir volume, nginx in front with the longpolling route,
and the production profile's settings.

deploy/nginx.conf also runs here, in the real nginx (Debian's, installed by
scripts/setup.sh), through scripts/nginx.sh: in front of the suite's own Odoo
server, of a closed port and of a stand-in node that takes a request and
drops the connection (``_FakeNode``)."""
import configparser
import http.server
import json
import os
import re
import shutil
import subprocess
import threading
import uuid

import pytest
import requests
import yaml

from onec.process import free_port

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEPLOY = os.path.join(ROOT, "deploy")
NGINX_SH = os.path.join(ROOT, "scripts", "nginx.sh")
NGINX_DIR = os.path.join(ROOT, ".local", "nginx")


def _prod_conf():
    parser = configparser.ConfigParser(inline_comment_prefixes=(";",))
    parser.read(os.path.join(DEPLOY, "odoo.prod.conf"))
    return parser


@pytest.fixture(scope="module")
def compose():
    if not shutil.which("docker-compose"):
        pytest.skip("Debian docker-compose is installed by scripts/setup.sh")
    result = subprocess.run(["docker-compose", "-f", os.path.join(ROOT, "docker-compose.yml"), "config"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=ROOT)
    assert result.returncode == 0, result.stdout.decode()
    return yaml.safe_load(result.stdout.decode())


def _mounts(service):
    """{target: source} of a service's volumes as docker-compose config prints them."""
    mounts = {}
    for volume in service.get("volumes", []):
        if isinstance(volume, dict):
            mounts[volume["target"]] = volume["source"]
        else:
            parts = volume.split(":")
            mounts[parts[1]] = parts[0]
    return mounts


def test_two_odoo_nodes_from_one_image_on_one_volume(compose):
    services = compose["services"]
    assert {"db", "odoo", "odoo2", "nginx", "onec"} <= set(services)
    first, second = services["odoo"], services["odoo2"]
    assert first["build"] == second["build"] and first["image"] == second["image"]
    data_dir = _prod_conf().get("options", "data_dir")
    # The filestore and the sessions: one named volume on both nodes.
    assert _mounts(first)[data_dir] == _mounts(second)[data_dir] == "odoo-data"
    assert "odoo-data" in compose["volumes"]
    for node in (first, second):
        assert _mounts(node)["/etc/odoo/odoo.conf"].endswith("deploy/odoo.prod.conf")
        assert "/etc/odoo/odoo.conf" in node["command"]
        # Only nginx is published: the nodes are reached through it.
        assert not node.get("ports")
    # One queue_job runner per database: the second node does not load it.
    assert "--load=base,web" in second["command"]
    assert not any(arg.startswith("--load") for arg in first["command"])
    assert _mounts(services["nginx"])["/etc/nginx/conf.d/default.conf"].endswith("deploy/nginx.conf")


def test_nginx_routes_longpolling_and_spreads_the_rest():
    with open(os.path.join(DEPLOY, "nginx.conf")) as handle:
        text = handle.read()
    upstreams = {name: re.findall(r"server\s+(\S+?)\s", body)
                 for name, body in re.findall(r"upstream\s+(\w+)\s*{([^}]*)}", text)}
    assert sorted(upstreams["odoo"]) == ["odoo2:8069", "odoo:8069"]
    assert sorted(upstreams["odoochat"]) == ["odoo2:8072", "odoo:8072"]
    locations = dict(re.findall(r"location\s+(/\S*)\s*{[^}]*?proxy_pass\s+http://(\w+);", text))
    assert locations == {"/longpolling": "odoochat", "/": "odoo"}
    # Nothing sticky: sessions are in the shared volume.
    directives = "\n".join(line.split("#")[0] for line in text.splitlines())
    for sticky in ("ip_hash", "sticky", "hash $"):
        assert sticky not in directives
    # A POST (JSON-RPC write) is never replayed on the other node.
    assert "non_idempotent" not in text


def test_production_profile():
    options = dict(_prod_conf().items("options"))
    assert int(options["workers"]) >= 2
    assert options["proxy_mode"] == "True" and options["list_db"] == "False"
    assert options["longpolling_port"] == "8072" and options["http_port"] == "8069"
    assert 0 < int(options["limit_memory_soft"]) < int(options["limit_memory_hard"])
    assert int(options["limit_time_cpu"]) <= int(options["limit_time_real"])
    assert options["dbfilter"] == "^%s$" % options["db_name"]
    assert "queue_job" in options["server_wide_modules"].split(",")
    assert options["logfile"].startswith("/var/log/odoo/")
    assert _prod_conf().get("queue_job", "channels").startswith("root:")
    with open(os.path.join(DEPLOY, "logrotate.conf")) as handle:
        assert "copytruncate" in handle.read()


# --- deploy/nginx.conf in the real nginx (scripts/nginx.sh) ---

def _nginx_sh(*args):
    result = subprocess.run(["bash", NGINX_SH] + [str(arg) for arg in args], cwd=ROOT, timeout=60,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = result.stdout.decode("utf-8", "replace")
    assert result.returncode == 0, "scripts/nginx.sh %s failed:\n%s" % (" ".join(map(str, args)), output)
    return output


@pytest.fixture(scope="module")
def nginx_installed():
    if not (shutil.which("nginx") or os.path.exists("/usr/sbin/nginx")):
        pytest.skip("Debian nginx is installed by scripts/setup.sh")


@pytest.fixture
def front(nginx_installed):
    """front(NODE, ...) starts deploy/nginx.conf on a free loopback port in
    front of the given nodes and returns its URL and name; a node is a port
    (HTTP and longpolling on it, as the threaded server serves both) or a
    pair (HTTP port, longpolling port). Every nginx started is stopped at
    the end of the test."""
    names = []

    def start(*nodes):
        name = "pytest-%d-%d" % (os.getpid(), len(names))
        port = free_port()
        nodes_args = []
        for node in nodes:
            nodes_args += list(node) if isinstance(node, tuple) else [node, node]
        names.append(name)
        _nginx_sh("start", name, port, *nodes_args)
        return "http://127.0.0.1:%d" % port, name
    yield start
    for name in names:
        _nginx_sh("stop", name)
        assert not os.path.exists(os.path.join(NGINX_DIR, "%s.pid" % name))
        # Its rendering, logs and temporary files: one set per test run.
        shutil.rmtree(os.path.join(NGINX_DIR, "%s.tmp" % name), ignore_errors=True)
        for suffix in (".conf", ".access.log", ".error.log"):
            path = os.path.join(NGINX_DIR, name + suffix)
            if os.path.exists(path):
                os.remove(path)


class _FakeNode(http.server.ThreadingHTTPServer):
    """A node on the loopback: a path with an /echo part is answered with
    the headers it came with, as JSON; any other request is read whole,
    counted and answered by closing the connection (a node killed while it
    held the request). ``seen`` lists (method, path, body) of each."""

    def __init__(self):
        self.seen = []
        self.lock = threading.Lock()
        super(_FakeNode, self).__init__(("127.0.0.1", 0), _FakeNodeHandler)
        self.port = self.server_address[1]
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.shutdown()
        self.server_close()


class _FakeNodeHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _handle(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        with self.server.lock:
            self.server.seen.append((self.command, self.path, body))
        if "echo" in self.path.split("/"):
            answer = json.dumps(dict(self.headers.items())).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)
        else:
            self.close_connection = True

    do_GET = do_POST = _handle


@pytest.fixture
def fake_node():
    node = _FakeNode()
    yield node
    node.stop()


@pytest.fixture
def fake_chat():
    """A second stand-in: the longpolling process of fake_node's node."""
    node = _FakeNode()
    yield node
    node.stop()


def _closed_port():
    return free_port()  # bound a moment ago, then closed: nothing listens


def test_nginx_accepts_the_rendering_of_deploy_conf(nginx_installed):
    output = _nginx_sh("test")
    assert "test is successful" in output
    with open(os.path.join(NGINX_DIR, "test.check.conf")) as handle:
        rendered = handle.read()
    with open(os.path.join(DEPLOY, "nginx.conf")) as handle:
        site = handle.read()
    # deploy/nginx.conf itself, with the containers' names and port replaced.
    expected = site.replace("odoo:8069", "127.0.0.1:8069").replace("odoo2:8069", "127.0.0.1:8169") \
        .replace("odoo:8072", "127.0.0.1:8072").replace("odoo2:8072", "127.0.0.1:8172") \
        .replace("listen 80;", "listen 127.0.0.1:8080;")
    assert expected in rendered
    assert "/etc/nginx" not in rendered
    assert re.findall(r"^\s*listen\s+(\S+);", rendered, re.M) == ["127.0.0.1:8080"]


def test_odoo_through_nginx(front, odoo_server):
    url, _name = front(odoo_server.port)
    page = requests.get(url + "/web/login", timeout=60)
    assert page.status_code == 200 and page.headers["Server"].startswith("nginx/")
    assert 'name="login"' in page.text and "/web/login" in page.text
    # Odoo's absolute redirects keep the port the browser used.
    answer = requests.get(url + "/web", allow_redirects=False, timeout=60)
    assert answer.status_code in (302, 303)
    assert answer.headers["Location"] == url + "/web/login"
    # Scripts go out compressed, from /web/static as well as in bundles.
    script = requests.get(url + "/web/static/lib/jquery/jquery.js", headers={"Accept-Encoding": "gzip"},
                          timeout=60)
    assert script.status_code == 200 and script.headers["Content-Encoding"] == "gzip"
    assert "jQuery" in script.text
    # The database manager is closed at nginx: its 404, not Odoo's.
    for path in ("/web/database/manager", "/web/database/list", "/web/database/selector"):
        for method in ("GET", "POST"):
            closed = requests.request(method, url + path, json={}, timeout=30)
            assert closed.status_code == 404, (method, path)
            assert "<center>nginx" in closed.text, (method, path)
    # A web login over JSON-RPC, then calls with its session cookie.
    session = requests.Session()
    login = session.post(url + "/web/session/authenticate", json={
        "jsonrpc": "2.0", "method": "call", "id": 1,
        "params": {"db": odoo_server.db, "login": "sidorova", "password": "sidorova"},
    }, timeout=60).json()
    uid = login["result"]["uid"]
    assert uid and session.cookies.get("session_id")
    info = session.post(url + "/web/session/get_session_info", json={
        "jsonrpc": "2.0", "method": "call", "id": 2, "params": {}}, timeout=60).json()
    assert info["result"]["uid"] == uid
    read = session.post(url + "/web/dataset/call_kw/res.users/read", json={
        "jsonrpc": "2.0", "method": "call", "id": 3,
        "params": {"model": "res.users", "method": "read", "args": [[uid], ["login"]], "kwargs": {}},
    }, timeout=60).json()
    assert read["result"][0]["login"] == "sidorova"
    # Without the cookie the same call is refused: the session did the work.
    anonymous = requests.post(url + "/web/dataset/call_kw/res.users/read", json={
        "jsonrpc": "2.0", "method": "call", "id": 4,
        "params": {"model": "res.users", "method": "read", "args": [[uid], ["login"]], "kwargs": {}},
    }, timeout=60).json()
    assert anonymous.get("error") and "result" not in anonymous


def test_nginx_forwards_the_client_and_scheme(front, fake_node):
    """What Odoo's proxy_mode (deploy/odoo.prod.conf) reads: the node gets
    the client's address, the scheme and the host with its port. (The
    suite's Odoo runs without proxy_mode, so the node here is a stand-in.)"""
    url, _name = front(fake_node.port)
    port = url.rsplit(":", 1)[1]
    headers = requests.get(url + "/echo", timeout=30).json()
    assert headers["X-Forwarded-For"] == "127.0.0.1"
    assert headers["X-Real-IP"] == "127.0.0.1"
    assert headers["X-Forwarded-Proto"] == "http"
    assert headers["Host"] == headers["X-Forwarded-Host"] == "127.0.0.1:%s" % port
    # Behind a TLS terminator: its scheme is kept, the chain of addresses grows.
    headers = requests.get(url + "/echo", timeout=30, headers={
        "X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}).json()
    assert headers["X-Forwarded-Proto"] == "https"
    assert headers["X-Forwarded-For"] == "203.0.113.7, 127.0.0.1"


def test_longpolling_goes_to_the_longpolling_port(front, fake_node, fake_chat):
    url, _name = front((fake_node.port, fake_chat.port))
    assert requests.get(url + "/echo/page", timeout=30).status_code == 200
    assert requests.get(url + "/longpolling/echo", timeout=30).status_code == 200
    assert [path for _method, path, _body in fake_node.seen] == ["/echo/page"]
    assert [path for _method, path, _body in fake_chat.seen] == ["/longpolling/echo"]


def _create_partners(session, url, marker, count):
    """POSTs count JSON-RPC creates of a partner named marker-N; returns
    {name: HTTP status}."""
    statuses = {}
    for number in range(count):
        name = "%s-%d" % (marker, number)
        answer = session.post(url + "/web/dataset/call_kw/res.partner/create", json={
            "jsonrpc": "2.0", "method": "call", "id": number,
            "params": {"model": "res.partner", "method": "create", "args": [{"name": name}], "kwargs": {}},
        }, timeout=60)
        if answer.status_code == 200:
            assert answer.json().get("result"), answer.text
        statuses[name] = answer.status_code
    return statuses


def _partner_counts(admin, marker):
    rows = admin.call("res.partner", "read_group", [("name", "=like", marker + "-%")], ["name"], ["name"],
                      lazy=False)
    return {row["name"]: row["__count"] for row in rows}


@pytest.fixture
def marker(admin):
    marker = "nginx-test-%s" % uuid.uuid4().hex[:10]
    yield marker
    ids = admin.call("res.partner", "search", [("name", "=like", marker + "-%")])
    if ids:
        admin.call("res.partner", "unlink", ids)


def test_a_dead_node_is_skipped(front, odoo_server, rpc, admin, marker):
    """The first node's port is closed: GETs and POSTs reach the live node,
    each once (a refused connection never carried the request)."""
    url, name = front(_closed_port(), odoo_server.port)
    for _attempt in range(3):
        page = requests.get(url + "/web/login", timeout=60)
        assert page.status_code == 200 and 'name="login"' in page.text
    with open(os.path.join(NGINX_DIR, "%s.error.log" % name)) as handle:
        assert "Connection refused" in handle.read()  # the dead node was tried
    statuses = _create_partners(rpc("sidorova").session, url, marker, 3)
    assert set(statuses.values()) == {200}
    assert _partner_counts(admin, marker) == {name: 1 for name in statuses}


def test_a_post_is_not_replayed_on_the_other_node(front, fake_node, odoo_server, rpc, admin, marker):
    """The first node takes each request and drops the connection (killed
    while it held it): a POST it took is answered 502, never sent again to
    the live node; a GET goes on to the live node."""
    url, _name = front(fake_node.port, odoo_server.port)
    statuses = _create_partners(rpc("sidorova").session, url, marker, 4)
    assert set(statuses.values()) == {200, 502}, statuses
    counts = _partner_counts(admin, marker)
    assert counts == {name: 1 for name, status in statuses.items() if status == 200}
    dropped = [body for method, _path, body in fake_node.seen if method == "POST"]
    assert len(dropped) == list(statuses.values()).count(502)
    # Each POST the dead node took is one that Odoo never got.
    for body in dropped:
        name = json.loads(body.decode())["params"]["args"][0]["name"]
        assert statuses[name] == 502 and name not in counts
    for _attempt in range(3):
        page = requests.get(url + "/web/login", timeout=60)
        assert page.status_code == 200 and 'name="login"' in page.text
