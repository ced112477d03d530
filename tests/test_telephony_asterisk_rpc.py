"""Asterisk against the real server: the AMI bridge (bridges/asterisk_ami_bridge.py)
reading recorded Cdr text from the AMI stand-in and posting to Odoo's JSON
webhook with the integration's token; the CURL() hangup handler's form posted
to the integration's address (docs/telephony/asterisk.md). Click-to-call by
AMI Originate: addons/sales_control/tests/test_vendor_asterisk.py. Runs on a database made by scripts/db.sh."""
import base64
import time
import uuid

import pytest
import requests

from standins.asterisk_ami import AmiStandIn
from test_asterisk_bridge import EVENTS, RING_GROUP_FILE, bridge_module


@pytest.fixture(scope="module")
def integration(head, rpc):
    users = {login: head.call("res.users", "search", [("login", "=", login)])[0]
             for login in ("kuznetsov", "popov")}
    ids = head.call("sales.telephony.integration", "create", {
        "name": "pytest Asterisk %s" % uuid.uuid4().hex[:6], "vendor": "asterisk", "kind": "pbx",
        "api_key": "odoo", "api_secret": "ami-secret", "vendor_tz": "Europe/Moscow",
        "extension_ids": [(0, 0, {"code": "301", "user_id": users["kuznetsov"]}),
                          (0, 0, {"code": "302", "user_id": users["popov"]})]})
    record = head.call("sales.telephony.integration", "read", [ids], ["token"])[0]
    record["users"] = users
    return record


def test_the_bridge_posts_one_call_per_linkedid_with_its_recording(odoo_server, head, integration, tmp_path):
    day = tmp_path / "monitor" / "2026" / "11" / "29"
    day.mkdir(parents=True)
    (day / RING_GROUP_FILE).write_bytes(b"RIFF ring group call")
    suffix = uuid.uuid4().hex[:8]
    with open(EVENTS, encoding="utf-8") as handle:
        # Ids of this run: the database keeps the calls of earlier runs.
        text = handle.read().replace("LinkedID: 17959", "LinkedID: %s-17959" % suffix)
    ami = AmiStandIn(text, "odoo-bridge", "s3cret", close_after_replay=True).start()
    try:
        config = bridge_module.load_config(text="""
[ami]
port = %d
username = odoo-bridge
secret = s3cret
[odoo]
url = %s
token = %s
[bridge]
settle_seconds = 0.3
recordings_dir = %s
spool_dir = %s
timezone = +03:00
[extensions]
302 = popov
""" % (ami.port, odoo_server.url, integration["token"], tmp_path / "monitor", tmp_path / "spool"))
        bridge = bridge_module.Bridge(config)
        bridge.run(once=True)
    finally:
        ami.stop()
    assert sorted(bridge.poster.sent) == ["ast:%s-1795932900.1042" % suffix, "ast:%s-1795936930.1050" % suffix,
                                          "ast:%s-1795939200.1060" % suffix]
    assert not bridge.poster.pending
    touch, = head.call("sales.touch", "search_read", [("external_ref", "=", "ast:%s-1795932900.1042" % suffix)],
                       fields=["direction", "answered", "duration", "user_id", "date", "recording_attachment_id",
                               "integration_id"])
    assert touch["integration_id"][0] == integration["id"]
    assert touch["direction"] == "in" and touch["answered"] and touch["duration"] == round(184 / 60.0, 2)
    assert touch["user_id"][0] == integration["users"]["popov"]
    assert touch["date"] == "2026-11-29 06:15:00"
    attachment = head.call("ir.attachment", "read", [touch["recording_attachment_id"][0]], ["datas", "name"])[0]
    assert base64.b64decode(attachment["datas"]) == b"RIFF ring group call"
    assert attachment["name"] == RING_GROUP_FILE
    # A restarted bridge posting the same calls again: duplicates, no new touch.
    again = bridge_module.Poster(config)
    for call_id in bridge.poster.sent:
        again.submit({"call_id": call_id, "direction": "in", "from": "1", "to": "2",
                      "start": "2026-11-29T09:15:00+03:00"})
    assert len(head.call("sales.touch", "search", [("external_ref", "like", "ast:%s-" % suffix)])) == 3


def curl_form(**fields):
    data = {"linkedid": "%d.%d" % (time.time(), uuid.uuid4().int % 10000), "direction": "in",
            "src": "79031234567", "dst": "600", "did": "74951204500", "start": str(int(time.time()) - 300),
            "billsec": "42", "disposition": "ANSWERED", "dstchannel": "PJSIP/302-00000051"}
    data.update(fields)
    return data


def test_the_curl_hangup_handler_form(odoo_server, head, integration):
    url = "%s/sales_control/hook/asterisk/%s" % (odoo_server.url, integration["token"])
    data = curl_form()
    answer = requests.post(url, data=data, timeout=60)
    assert answer.status_code == 200, answer.text
    touch, = head.call("sales.touch", "search_read", [("external_ref", "=", "ast:%s" % data["linkedid"])],
                       fields=["user_id", "answered", "phone_to"])
    assert touch["user_id"][0] == integration["users"]["popov"] and touch["answered"]
    assert requests.post(url, data=data, timeout=60).json()["duplicate"] is True
    assert requests.post(url, data=curl_form(direction=""), timeout=60).status_code == 400
    assert requests.post(url + "x", data=curl_form(), timeout=60).status_code == 404
    old = curl_form(start=str(int(time.time()) - 30 * 86400))
    assert requests.post(url, data=old, timeout=60).status_code == 403
    assert not head.call("sales.touch", "search", [("external_ref", "=", "ast:%s" % old["linkedid"])])
