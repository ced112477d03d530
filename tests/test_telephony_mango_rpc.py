"""Mango Office against the real server: its own signed form posts to the
integration's address (events/summary, events/record/added), the recording
fetched from the API stand-in (tests/standins/mango.py) by the queue, and
click-to-call as a salesman over RPC."""
import json
import time
import xmlrpc.client

import pytest
import requests

from standins.mango import MangoStandIn, sign


@pytest.fixture(scope="module")
def mango(odoo_server, admin):
    """The demo's Mango integration pointed at the stand-in, keys known."""
    integration_id = admin.call("sales.telephony.integration", "search", [("vendor", "=", "mango")], limit=1)[0]
    before = admin.call("sales.telephony.integration", "read", [integration_id],
                        ["api_url", "api_key", "api_secret", "token"])[0]
    with MangoStandIn() as api:
        admin.call("sales.telephony.integration", "write", [integration_id],
                   {"api_url": api.url, "api_key": "testkey", "api_secret": "testsalt"})
        api.integration_id = integration_id
        api.hook = "%s/sales_control/hook/mango/%s/" % (odoo_server.url, before["token"])
        yield api
    admin.call("sales.telephony.integration", "write", [integration_id],
               {key: before[key] for key in ("api_url", "api_key", "api_secret")})


def post(mango, event, payload, key="testkey", salt="testsalt"):
    text = json.dumps(payload, separators=(",", ":"))
    return requests.post(mango.hook + event, data={"vpbx_api_key": key, "sign": sign(key, text, salt), "json": text},
                         timeout=60)


def test_summary_and_recording_land_on_the_touch(mango, admin):
    now = int(time.time())
    entry = "rpc-%d" % now
    mango.recordings["rec-%d" % now] = b"ID3 rpc"
    answer = post(mango, "events/record/added", {"entry_id": entry, "recording_id": "rec-%d" % now,
                                                 "timestamp": now})
    assert answer.status_code == 200, answer.text
    summary = {"entry_id": entry, "call_direction": 1, "from": {"number": "79165550000"},
               "to": {"extension": "102", "number": "74951204500"}, "line_number": "74951204500",
               "create_time": now - 200, "forward_time": now - 197, "talk_time": now - 190, "end_time": now - 6,
               "entry_result": 1, "disconnect_reason": 1110}
    assert post(mango, "events/summary", summary).status_code == 200
    assert post(mango, "events/summary", summary).json()["duplicate"] is True
    touches = admin.call("sales.touch", "search_read", [("external_ref", "=", "mango:" + entry)],
                         ["user_id", "direction", "answered", "recording_attachment_id"])
    assert len(touches) == 1 and touches[0]["direction"] == "in" and touches[0]["answered"]
    assert admin.call("res.users", "read", [touches[0]["user_id"][0]], ["login"])[0]["login"] == "sidorova"
    cron = admin.call("ir.model.data", "xmlid_to_res_id", "sales_control.ir_cron_download_recordings")
    admin.call("ir.cron", "method_direct_trigger", [cron])
    touch = admin.call("sales.touch", "read", [touches[0]["id"]], ["recording_attachment_id"])[0]
    assert touch["recording_attachment_id"], "the recording was not attached"
    assert [item["json"]["recording_id"] for item in mango.calls("/vpbx/queries/recording/post")] == \
        ["rec-%d" % now]


def test_refusals_record_nothing_and_are_logged(mango, admin, odoo_server):
    now = int(time.time())
    payload = {"entry_id": "bad-%d" % now, "call_direction": 1, "from": {"number": "79165550001"},
               "to": {"extension": "102"}, "create_time": now, "talk_time": 0, "end_time": now,
               "entry_result": 0}
    assert post(mango, "events/summary", payload, salt="wrong").status_code == 403
    old = dict(payload, create_time=now - 9 * 86400, end_time=now - 9 * 86400)
    assert post(mango, "events/summary", old).status_code == 403
    unknown = requests.post(odoo_server.url + "/sales_control/hook/mango/no-such-token/events/summary",
                            data={"json": "{}"}, timeout=60)
    assert unknown.status_code == 404
    assert not admin.call("sales.touch", "search", [("external_ref", "=", "mango:bad-%d" % now)])
    states = admin.call("sales.telephony.event", "search_read", [("integration_id", "=", mango.integration_id)],
                        ["state"], limit=2)
    assert [line["state"] for line in states] == ["refused", "refused"]
    assert requests.get(mango.hook + "ping", timeout=60).status_code == 200


def test_click_to_call_dials_only_phones_the_salesman_may_see(mango, admin, sidorova):
    deal = sidorova.call("crm.lead", "search_read", [("phone", "!=", False)], ["phone"], limit=1)[0]
    assert sidorova.call("sales.telephony.integration", "click_to_call", "crm.lead", deal["id"], deal["phone"])
    sent = mango.calls("/vpbx/commands/callback")[-1]["json"]
    assert sent["from"] == {"extension": "102"} and sent["to_number"]
    visible = sidorova.call("crm.lead", "search", [])
    hidden = admin.call("crm.lead", "search_read", [("id", "not in", visible), ("phone", "!=", False)],
                        ["phone"], limit=1)
    assert hidden, "the demo has no deal sidorova may not see"
    count = len(mango.calls("/vpbx/commands/callback"))
    with pytest.raises(xmlrpc.client.Fault):
        sidorova.call("sales.telephony.integration", "click_to_call", "crm.lead", hidden[0]["id"],
                      hidden[0]["phone"])
    with pytest.raises(xmlrpc.client.Fault):
        sidorova.call("sales.telephony.integration", "click_to_call", "crm.lead", deal["id"], "+7 999 123-45-67")
    assert len(mango.calls("/vpbx/commands/callback")) == count
