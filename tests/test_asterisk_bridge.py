"""The Asterisk AMI bridge (bridges/asterisk_ami_bridge.py) against the AMI
stand-in (tests/standins/asterisk_ami.py) replaying recorded Cdr event text
with ring-group legs, and a fake Odoo webhook that records what it got."""
import base64
import importlib.util
import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from standins.asterisk_ami import AmiStandIn

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BRIDGE = os.path.join(ROOT, "bridges", "asterisk_ami_bridge.py")
EVENTS = os.path.join(ROOT, "tests", "standins", "asterisk_ami_cdr.txt")
RING_GROUP_FILE = "rg-600-79165554433-20261129-091500-1795932900.1042.wav"


def load_bridge():
    spec = importlib.util.spec_from_file_location("asterisk_ami_bridge", BRIDGE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bridge_module = load_bridge()


class FakeOdoo(object):
    """/sales_control/webhook/call: records the bodies and the tokens; answers
    the statuses queued in ``statuses`` first, then 200."""

    def __init__(self):
        self.posts = []
        self.statuses = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                fake.posts.append({"path": self.path, "token": self.headers.get("X-Sales-Token"),
                                   "type": self.headers.get("Content-Type"), "body": json.loads(body)})
                status = fake.statuses.pop(0) if fake.statuses else 200
                answer = json.dumps({"status": "ok" if status == 200 else "error", "touch_id": len(fake.posts),
                                     "duplicate": False}).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def bodies(self):
        return {post["body"]["call_id"]: post["body"] for post in self.posts}


@pytest.fixture
def odoo():
    fake = FakeOdoo()
    yield fake
    fake.stop()


@pytest.fixture
def ami():
    with open(EVENTS, encoding="utf-8") as handle:
        stand_in = AmiStandIn(handle.read(), "odoo-bridge", "s3cret", close_after_replay=True).start()
    yield stand_in
    stand_in.stop()


@pytest.fixture
def recordings(tmp_path):
    day = tmp_path / "monitor" / "2026" / "11" / "29"
    day.mkdir(parents=True)
    (day / RING_GROUP_FILE).write_bytes(b"RIFF ring group call")
    return tmp_path / "monitor"


def config_text(ami, odoo, recordings, spool, secret="s3cret", retry=0):
    return """
[ami]
host = 127.0.0.1
port = %d
username = odoo-bridge
secret = %s
[odoo]
url = %s
token = the-asterisk-token
timeout = 5
[bridge]
settle_seconds = 0.3
recordings_dir = %s
spool_dir = %s
timezone = +03:00
retry_seconds = %s
[extensions]
301 = kuznetsov
302 = popov
""" % (ami.port, secret, odoo.url, recordings, spool, retry)


def run_bridge(text):
    bridge = bridge_module.Bridge(bridge_module.load_config(text=text))
    bridge.run(once=True)
    return bridge


def test_ring_group_legs_become_one_answered_call_with_its_recording(ami, odoo, recordings, tmp_path):
    run_bridge(config_text(ami, odoo, recordings, tmp_path / "spool"))
    assert ami.logins == [True]
    assert all(post["path"] == "/sales_control/webhook/call" and post["token"] == "the-asterisk-token"
               and post["type"] == "application/json" for post in odoo.posts)
    calls = odoo.bodies()
    # One record per linkedid; the internal call 301 -> 302 is nobody's client.
    assert sorted(calls) == ["ast:1795932900.1042", "ast:1795936930.1050", "ast:1795939200.1060"]
    assert len(odoo.posts) == 3
    ring = calls["ast:1795932900.1042"]
    assert ring["direction"] == "in" and ring["answered"] is True and ring["duration"] == 184
    assert ring["from"] == "79165554433" and ring["to"] == "74951204500"
    assert ring["start"] == "2026-11-29T09:15:00+03:00"
    # The phone that answered (302), not the first one rung (301).
    assert ring["extension"] == "302" and ring["manager_login"] == "popov"
    assert base64.b64decode(ring["recording_base64"]) == b"RIFF ring group call"
    assert ring["recording_filename"] == RING_GROUP_FILE


def test_outgoing_and_missed_calls(ami, odoo, recordings, tmp_path):
    run_bridge(config_text(ami, odoo, recordings, tmp_path / "spool"))
    calls = odoo.bodies()
    out = calls["ast:1795936930.1050"]
    assert out["direction"] == "out" and out["from"] == "301" and out["to"] == "84951112233"
    assert out["duration"] == 65 and out["answered"] is True and out["manager_login"] == "kuznetsov"
    # Its MixMonitor file is not on this disk: the call goes without it.
    assert "recording_base64" not in out
    missed = calls["ast:1795939200.1060"]
    assert missed["direction"] == "in" and missed["answered"] is False and missed["duration"] == 0
    # A ring group nobody picked up names no manager (Odoo gives it to the client's).
    assert "manager_login" not in missed and "extension" not in missed


def test_a_record_odoo_could_not_take_is_posted_again(ami, odoo, recordings, tmp_path):
    spool = tmp_path / "spool"
    odoo.statuses = [503, 503]
    bridge = run_bridge(config_text(ami, odoo, recordings, spool, retry=600))
    assert len(bridge.poster.pending) == 2  # the two first records met the 503s
    assert os.listdir(str(spool))
    # Later (here: at once, retry_seconds = 0), and also after a restart.
    restarted = bridge_module.Bridge(bridge_module.load_config(text=config_text(ami, odoo, recordings, spool)))
    restarted.tick()
    assert not restarted.poster.pending
    assert [name for name in os.listdir(str(spool)) if name.endswith(".json")] == []
    assert sorted(odoo.bodies()) == ["ast:1795932900.1042", "ast:1795936930.1050", "ast:1795939200.1060"]


def test_a_refused_record_is_set_aside(ami, odoo, recordings, tmp_path):
    spool = tmp_path / "spool"
    odoo.statuses = [403]
    run_bridge(config_text(ami, odoo, recordings, spool))
    assert len(os.listdir(str(spool / "refused"))) == 1
    assert len(odoo.posts) == 3


def test_a_wrong_ami_secret_is_reported(ami, odoo, recordings, tmp_path):
    with pytest.raises(PermissionError):
        run_bridge(config_text(ami, odoo, recordings, tmp_path / "spool", secret="wrong"))
    assert ami.logins == [False] and odoo.posts == []


def test_the_bridge_runs_as_a_program(ami, odoo, recordings, tmp_path):
    ini = tmp_path / "bridge.ini"
    ini.write_text(config_text(ami, odoo, recordings, tmp_path / "spool"), encoding="utf-8")
    process = subprocess.run([sys.executable, BRIDGE, "-c", str(ini), "--once"], stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, timeout=60)
    assert process.returncode == 0, process.stdout.decode()
    assert len(odoo.posts) == 3


def test_the_sample_config_reads():
    config = bridge_module.load_config(os.path.join(ROOT, "bridges", "asterisk_ami_bridge.ini.sample"))
    assert config["ami"]["port"] == "5038" and config["odoo"]["token"]
    assert bridge_module.Builder(config).internal.match("301")
