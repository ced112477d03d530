"""MegaFon Virtual PBX against the real server: the PBX's own form posts
(cmd=history/event/contact with crm_token, ../shared/TELEPHONY.md section 3,
rebuilt from brandup-online/megafon-ats and skytecs/MegafonPbxApiClient) to the
integration's address, and its API (click-to-call, recording links) played by
tests/standins/megafon.py. Runs on a database made by scripts/db.sh."""
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import pytest
import requests

from standins.megafon import MegafonStandIn


@pytest.fixture(scope="module")
def megafon_api():
    stand_in = MegafonStandIn(api_key="rpc-mf-key").start()
    yield stand_in
    stand_in.stop()


@pytest.fixture(scope="module")
def integration(head, megafon_api, sidorova):
    ids = head.call("sales.telephony.integration", "create", {
        "name": "pytest MegaFon %s" % uuid.uuid4().hex[:6], "vendor": "megafon", "kind": "pbx",
        "api_key": "rpc-mf-key", "api_secret": "rpc-crm-token", "api_url": megafon_api.url,
        "extension_ids": [(0, 0, {"code": "sidorova.mf", "user_id": sidorova.uid})]})
    yield head.call("sales.telephony.integration", "read", [ids], ["token", "hook_path"])[0]
    # Off when done: an active PBX with sidorova's extension would carry her
    # later clicks (the first active PBX with her extension places them).
    head.call("sales.telephony.integration", "write", [ids], {"active": False})


@pytest.fixture(scope="module")
def client_of_sidorova(head, sidorova):
    """A client of sidorova's with one open deal, on a number of its own."""
    phone = "+7 (495) 7%02d-%02d-%02d" % (uuid.uuid4().int % 100, uuid.uuid4().int % 100, uuid.uuid4().int % 100)
    partner = head.call("res.partner", "create", {"name": "ООО «Звонок» %s" % uuid.uuid4().hex[:4],
                                                  "is_company": True, "customer": True, "phone": phone,
                                                  "user_id": sidorova.uid})
    lead = head.call("crm.lead", "create", {"name": "Сделка МегаФон", "type": "opportunity",
                                            "partner_id": partner, "user_id": sidorova.uid})
    return {"lead": lead, "partner": partner, "phone": phone}


def post(server, integration, data, token=None):
    return requests.post("%s/sales_control/hook/megafon/%s" % (server.url, token or integration["token"]),
                         data=data, timeout=60)


def history(callid=None, **fields):
    data = {"cmd": "history", "crm_token": "rpc-crm-token", "type": "in", "status": "Success",
            "phone": "79165554433", "user": "sidorova.mf", "ext": "101", "telnum": "74951204501",
            "diversion": "74951204500", "groupRealName": "Отдел продаж",
            "start": (datetime.utcnow() - timedelta(minutes=10)).strftime("%Y%m%dT%H%M%SZ"),
            "duration": "190", "callid": callid or uuid.uuid4().hex[:11]}
    data.update(fields)
    return data


def touches(head, callid):
    return head.call("sales.touch", "search_read", [("external_ref", "=", "mf:%s" % callid)],
                     fields=["lead_id", "partner_id", "user_id", "direction", "answered", "duration", "phone_to"])


def events(head, integration):
    return head.call("sales.telephony.event", "search_read", [("integration_id", "=", integration["id"])],
                     fields=["state", "event", "external_ref", "message"])


def test_the_address_to_paste_is_the_hook(integration):
    assert integration["hook_path"].endswith("/sales_control/hook/megafon/%s" % integration["token"])


def test_history_lands_on_the_clients_deal_of_the_mapped_manager(odoo_server, head, sidorova, integration,
                                                                 client_of_sidorova):
    data = history(phone=client_of_sidorova["phone"])
    answer = post(odoo_server, integration, data)
    assert answer.status_code == 200, answer.text
    assert answer.json()["matched"] == "lead"
    touch, = touches(head, data["callid"])
    assert touch["lead_id"][0] == client_of_sidorova["lead"]
    assert touch["user_id"][0] == sidorova.uid
    assert touch["direction"] == "in" and touch["answered"] and touch["phone_to"] == "74951204500"
    # The salesman sees it on his deal.
    assert sidorova.call("sales.touch", "search", [("external_ref", "=", "mf:%s" % data["callid"])])


def test_duplicates_and_concurrent_deliveries_make_one_touch(odoo_server, head, integration):
    data = history()
    with ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(lambda _i: post(odoo_server, integration, data), range(6)))
    assert [answer.status_code for answer in answers if answer.status_code not in (200, 503)] == []
    assert len(touches(head, data["callid"])) == 1
    again = post(odoo_server, integration, data)
    assert again.status_code == 200 and again.json()["duplicate"] is True


def test_refusals_record_nothing_and_are_logged(odoo_server, head, integration):
    bad_token = history(crm_token="not-the-token")
    answer = post(odoo_server, integration, bad_token)
    assert answer.status_code == 401
    unknown = post(odoo_server, integration, history(), token="no-such-integration")
    assert unknown.status_code == 404
    old = history(start=(datetime.utcnow() - timedelta(days=30)).strftime("%Y%m%dT%H%M%SZ"))
    assert post(odoo_server, integration, old).status_code == 403
    assert not touches(head, bad_token["callid"]) and not touches(head, old["callid"])
    refused = [event for event in events(head, integration) if event["state"] == "refused"]
    assert any("crm_token" in event["message"] for event in refused)
    assert any("replay" in event["message"] for event in refused)


def test_events_ratings_and_contacts(odoo_server, head, integration, client_of_sidorova):
    for cmd in ("event", "rating"):
        answer = post(odoo_server, integration, {"cmd": cmd, "crm_token": "rpc-crm-token", "type": "INCOMING",
                                                 "phone": "79165554433", "callid": "ev-%s" % cmd, "rating": "5"})
        assert answer.status_code == 200, answer.text
    assert not touches(head, "ev-event")
    answer = post(odoo_server, integration, {"cmd": "contact", "crm_token": "rpc-crm-token",
                                             "phone": client_of_sidorova["phone"], "callid": "c-1"})
    assert answer.status_code == 200
    assert answer.json().get("responsible") == "sidorova.mf" and answer.json().get("contact_name")


def test_the_recording_link_is_queued_for_the_background_download(odoo_server, head, integration, megafon_api):
    link = megafon_api.add_record("rec-%s.mp3" % uuid.uuid4().hex[:6], b"ID3 megafon call")
    data = history(link=link)
    answer = post(odoo_server, integration, data)
    assert answer.status_code == 200, answer.text
    queued = head.call("sales.telephony.recording", "search_read", [("call_ref", "=", "mf:%s" % data["callid"])],
                       fields=["url", "state", "touch_id"])
    assert [(line["url"], line["state"], line["touch_id"][0]) for line in queued] == [
        (link, "pending", answer.json()["touch_id"])]
    # The webhook did not fetch it: MegaFon was answered at once.
    assert not [item for item in megafon_api.received if item["path"].startswith("/records/")]
