"""Asterisk against the real server: the AMI bridge (bridges/asterisk_ami_bridge.py)
reading recorded Cdr text from the AMI stand-in and posting to Odoo's JSON
webhook with the integration's token; the CURL() hangup handler's form posted
to the integration's address (docs/telephony/asterisk.md). Click-to-call by
AMI Originate: addons/sales_control/tests/test_vendor_asterisk.py. Runs on a database made by scripts/db.sh."""
import base64
import time
import uuid
import xmlrpc.client

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


@pytest.fixture(scope="module")
def asterisk_salesman(admin, rpc):
    """A salesman whose only PBX is an Asterisk reached over AMI at the
    stand-in, with a deal of his own and a colleague's deal he may not see."""
    suffix = uuid.uuid4().hex[:6]
    group = admin.call("ir.model.data", "xmlid_to_res_id", "sales_team.group_sale_salesman")
    login = "ast-%s" % suffix
    user_id = admin.call("res.users", "create", {"name": "Орлов Пётр %s" % suffix, "login": login,
                                                 "password": login, "groups_id": [(6, 0, [group])]})
    petrov = admin.call("res.users", "search", [("login", "=", "petrov")])[0]
    own_phone, hidden_phone = "+7 916 %s-01-01" % suffix[:3].translate(str.maketrans("abcdef", "123456")), \
        "+7 916 %s-02-02" % suffix[:3].translate(str.maketrans("abcdef", "123456"))
    own = admin.call("crm.lead", "create", {"name": "Поставка насосов %s" % suffix, "type": "opportunity",
                                            "user_id": user_id, "partner_id": admin.call(
                                                "res.partner", "create", {"name": "ООО Гидромаш %s" % suffix,
                                                                          "is_company": True,
                                                                          "phone": own_phone})})
    hidden = admin.call("crm.lead", "create", {"name": "Чужая сделка %s" % suffix, "type": "opportunity",
                                               "user_id": petrov, "phone": hidden_phone})
    # No sales team: crm gives a salesperson without one Odoo's default team,
    # whose leader would then see the deal (the record-rule tests check the
    # demo's teams as they are).
    admin.call("crm.lead", "write", [own, hidden], {"team_id": False})
    ami = AmiStandIn("", "odoo", "ami-secret").start()
    integration_id = admin.call("sales.telephony.integration", "create", {
        "name": "pytest Asterisk AMI %s" % suffix, "vendor": "asterisk", "kind": "pbx", "api_url": ami.url,
        "api_key": "odoo", "api_secret": "ami-secret", "vendor_tz": "Europe/Moscow",
        "extension_ids": [(0, 0, {"code": "377", "user_id": user_id})]})
    token = admin.call("sales.telephony.integration", "read", [integration_id], ["token"])[0]["token"]
    yield {"rpc": rpc(login, login), "user_id": user_id, "own": own, "hidden": hidden, "ami": ami,
           "own_phone": own_phone, "hidden_phone": hidden_phone, "token": token}
    ami.stop()
    admin.call("sales.telephony.integration", "write", [integration_id], {"active": False})


def test_click_to_call_through_asterisk_ami_ends_as_a_touch_of_the_deal(odoo_server, admin, asterisk_salesman):
    """The salesman clicks the client's phone on his deal: Odoo logs in to AMI
    and originates PJSIP/<his extension> -> the client's number; the
    hangup handler's form of that call becomes the touch of that deal."""
    salesman, ami = asterisk_salesman["rpc"], asterisk_salesman["ami"]
    assert salesman.call("sales.telephony.integration", "click_to_call", "crm.lead", asterisk_salesman["own"],
                         asterisk_salesman["own_phone"]) is True
    originate, = ami.originates
    number = "+7916" + asterisk_salesman["own_phone"][7:].replace("-", "").replace(" ", "")
    assert originate["Channel"] == "PJSIP/377" and originate["Context"] == "from-internal"
    assert originate["Exten"] == number.lstrip("+") or originate["Exten"] == number, originate
    assert ami.logins == [True]

    # The call the PBX placed comes back through the dialplan's hangup handler.
    linkedid = "%d.%d" % (time.time(), uuid.uuid4().int % 10000)
    answer = requests.post("%s/sales_control/hook/asterisk/%s" % (odoo_server.url, asterisk_salesman["token"]),
                           data={"linkedid": linkedid, "direction": "out", "src": "377",
                                 "dst": originate["Exten"], "start": str(int(time.time()) - 120),
                                 "billsec": "95", "disposition": "ANSWERED"}, timeout=60)
    assert answer.status_code == 200, answer.text
    touch, = admin.call("sales.touch", "search_read", [("external_ref", "=", "ast:%s" % linkedid)],
                        ["lead_id", "user_id", "direction", "answered"])
    assert touch["lead_id"][0] == asterisk_salesman["own"]
    assert touch["user_id"][0] == asterisk_salesman["user_id"]
    assert touch["direction"] == "out" and touch["answered"]


def test_click_to_call_never_dials_a_deal_the_salesman_may_not_see(asterisk_salesman):
    salesman, ami = asterisk_salesman["rpc"], asterisk_salesman["ami"]
    before = len(ami.originates)
    with pytest.raises(xmlrpc.client.Fault) as refused:
        salesman.call("sales.telephony.integration", "click_to_call", "crm.lead", asterisk_salesman["hidden"],
                      asterisk_salesman["hidden_phone"])
    assert refused.value.faultCode == 4  # odoo.service.wsgi_server: RPC_FAULT_CODE_ACCESS_ERROR
    # Nor his own deal with the colleague's client's number typed in.
    with pytest.raises(xmlrpc.client.Fault) as refused:
        salesman.call("sales.telephony.integration", "click_to_call", "crm.lead", asterisk_salesman["own"],
                      asterisk_salesman["hidden_phone"])
    assert refused.value.faultCode == 2  # RPC_FAULT_CODE_WARNING: a UserError
    assert len(ami.originates) == before
