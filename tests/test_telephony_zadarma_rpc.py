"""Zadarma / Novofon against the real server: the PBX's own requests to the
integration's address (../shared/TELEPHONY.md section 2, rebuilt from
zadarma/user-api-v1): the ``zd_echo`` GET check, the form posts NOTIFY_END,
NOTIFY_OUT_END and NOTIFY_RECORD with the ``Signature`` header, and the API
(recording links) played by tests/standins/zadarma.py, from which the
recording cron downloads the file. Runs on a database made by scripts/db.sh."""
import base64
import hashlib
import hmac
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import pytest
import pytz
import requests

from standins.zadarma import ZadarmaStandIn

MOSCOW = pytz.timezone("Europe/Moscow")
# TELEPHONY.md section 2: the documented NOTIFY_END and its test vector.
VECTOR = "NjQ1YTBmOTVjM2I2ZGUyMzE2MzU2OWJkN2E1ZTg5OGZjMzZhYzc3MQ=="
DOC_END = {"event": "NOTIFY_END", "call_start": "2026-11-29 09:15:00",
           "pbx_call_id": "in_ae6b03b3b0765d127ec0b739209346bbc4f0d52d", "caller_id": "79165554433",
           "called_did": "74951204500", "internal": "101", "duration": "184", "disposition": "answered",
           "status_code": "16", "is_recorded": "1", "call_id_with_rec": "1-1795932900.343456-101-2026-11-29-091500"}
# What Zadarma signs per event (zadarma/user-api-v1 getSignatureString).
SIGNED = {"NOTIFY_END": ("caller_id", "called_did", "call_start"),
          "NOTIFY_OUT_END": ("internal", "destination", "call_start"),
          "NOTIFY_RECORD": ("pbx_call_id", "call_id_with_rec")}
SECRET = "testsecret"  # the test vector's
LINE = "74951204500"


def zadarma_signature(secret, form):
    """PHP's base64_encode(hash_hmac('sha1', S, secret)): base64 of the hex digest."""
    text = "".join(form.get(name, "") for name in SIGNED[form["event"]])
    digest = hmac.new(secret.encode("utf-8"), text.encode("utf-8"), hashlib.sha1).hexdigest()
    return base64.b64encode(digest.encode("ascii")).decode("ascii")


def moscow(minutes_ago=5, days_ago=0):
    moment = datetime.now(MOSCOW) - timedelta(minutes=minutes_ago, days=days_ago)
    return moment.strftime("%Y-%m-%d %H:%M:%S")


@pytest.fixture(scope="module")
def zadarma_api():
    with ZadarmaStandIn(key="rpc-zd-key", secret=SECRET) as stand_in:
        yield stand_in


@pytest.fixture(scope="module")
def integration(odoo_server, head, zadarma_api, sidorova, petrov):
    """A Zadarma integration of its own (its log is this test's only),
    extensions 201 -> sidorova and 202 -> petrov; retired afterwards so that
    no click-to-call goes to the stopped stand-in."""
    integration_id = head.call("sales.telephony.integration", "create", {
        "name": "pytest Novofon %s" % uuid.uuid4().hex[:6], "vendor": "zadarma", "kind": "pbx", "user_id": head.uid,
        "api_key": "rpc-zd-key", "api_secret": SECRET, "api_url": zadarma_api.url, "vendor_tz": "Europe/Moscow",
        "extension_ids": [(0, 0, {"code": "201", "user_id": sidorova.uid}),
                          (0, 0, {"code": "202", "user_id": petrov.uid})]})
    integration = head.call("sales.telephony.integration", "read", [integration_id], ["token", "hook_path"])[0]
    integration["hook"] = "%s/sales_control/hook/zadarma/%s" % (odoo_server.url, integration["token"])
    yield integration
    head.call("sales.telephony.integration", "write", [integration_id], {"active": False})


@pytest.fixture(scope="module")
def client(head, sidorova, petrov):
    """A client with an open deal of petrov's and a newer one of sidorova's,
    on a number of its own: the extension decides which deal a call is on."""
    digits = "7495%07d" % (uuid.uuid4().int % 10 ** 7)
    phone = "+7 (495) %s-%s-%s" % (digits[4:7], digits[7:9], digits[9:11])
    partner = head.call("res.partner", "create", {"name": "ООО «Новофон-клиент» %s" % uuid.uuid4().hex[:4],
                                                  "is_company": True, "customer": True, "phone": phone,
                                                  "user_id": sidorova.uid})
    deals = {}
    for user in (petrov, sidorova):
        deals[user.uid] = head.call("crm.lead", "create", {
            "name": "Сделка Новофон %s" % user.uid, "type": "opportunity", "partner_id": partner,
            "user_id": user.uid})
    return {"partner": partner, "digits": digits, "deals": deals}


def post(integration, form, signature=None, token=None):
    hook = integration["hook"] if token is None else integration["hook"].rsplit("/", 1)[0] + "/" + token
    return requests.post(hook, data=form, timeout=60,
                         headers={"Signature": zadarma_signature(SECRET, form) if signature is None else signature})


def end(caller, **fields):
    form = {"event": "NOTIFY_END", "call_start": moscow(), "pbx_call_id": "in_%s" % uuid.uuid4().hex,
            "caller_id": caller, "called_did": LINE, "internal": "201", "duration": "184",
            "disposition": "answered", "status_code": "16", "is_recorded": "0"}
    form.update(fields)
    return form


def out_end(destination, **fields):
    form = {"event": "NOTIFY_OUT_END", "call_start": moscow(), "pbx_call_id": "out_%s" % uuid.uuid4().hex,
            "caller_id": LINE, "destination": destination, "internal": "202", "duration": "65",
            "disposition": "answered", "status_code": "16", "is_recorded": "0"}
    form.update(fields)
    return form


def touches(head, pbx_call_id):
    return head.call("sales.touch", "search_read", [("external_ref", "=", "zd:%s" % pbx_call_id)],
                     fields=["lead_id", "partner_id", "user_id", "direction", "answered", "duration", "date",
                             "phone_from", "phone_to", "recording_attachment_id"])


def events(head, integration):
    return head.call("sales.telephony.event", "search_read", [("integration_id", "=", integration["id"])],
                     fields=["state", "event", "external_ref", "message"])


def run_recording_cron(admin):
    cron = admin.call("ir.model.data", "xmlid_to_res_id", "sales_control.ir_cron_download_recordings")
    admin.call("ir.cron", "method_direct_trigger", [cron])


def test_the_signature_is_the_documented_one():
    assert zadarma_signature("testsecret", DOC_END) == VECTOR


def test_the_address_check_echoes_zd_echo(integration, head):
    assert integration["hook_path"].endswith("/sales_control/hook/zadarma/%s" % integration["token"])
    answer = requests.get(integration["hook"], params={"zd_echo": "f1c2a9e0"}, timeout=60)
    assert (answer.status_code, answer.text) == (200, "f1c2a9e0")
    assert requests.get(integration["hook"], timeout=60).status_code == 400
    assert any(event["event"] == "zadarma zd_echo" and event["state"] == "ignored"
               for event in events(head, integration))


def test_the_documented_request_passes_the_signature_check(head, integration):
    """The example of TELEPHONY.md byte for byte with its own Signature header,
    under a fresh pbx_call_id (not signed). Its call_start is fixed: once it
    is older than 7 days it is refused as a replay, never for its signature."""
    form = dict(DOC_END, pbx_call_id="in_doc_%s" % uuid.uuid4().hex)
    answer = post(integration, form, signature=VECTOR)
    start = MOSCOW.localize(datetime.strptime(DOC_END["call_start"], "%Y-%m-%d %H:%M:%S"))
    if datetime.now(pytz.utc) - start < timedelta(days=7):
        assert answer.status_code == 200, answer.text
        touch, = touches(head, form["pbx_call_id"])
        assert touch["date"] == "2026-11-29 06:15:00"  # 09:15 in Moscow, the account's zone
        assert touch["direction"] == "in" and touch["phone_from"] == "79165554433"
    else:
        assert answer.status_code == 403 and "replay" in answer.text


def test_notify_end_lands_on_the_deal_of_the_mapped_manager(head, sidorova, integration, client):
    form = end(client["digits"])
    answer = post(integration, form)
    assert answer.status_code == 200, answer.text
    assert answer.json()["matched"] == "lead"
    touch, = touches(head, form["pbx_call_id"])
    assert touch["lead_id"][0] == client["deals"][sidorova.uid]
    assert touch["partner_id"][0] == client["partner"]
    assert touch["user_id"][0] == sidorova.uid
    assert (touch["direction"], touch["answered"], touch["phone_from"], touch["phone_to"]) == \
        ("in", True, client["digits"], LINE)
    assert abs(touch["duration"] - 184 / 60.0) < 0.01
    utc = MOSCOW.localize(datetime.strptime(form["call_start"], "%Y-%m-%d %H:%M:%S")).astimezone(pytz.utc)
    assert touch["date"] == utc.strftime("%Y-%m-%d %H:%M:%S")
    # The salesman sees it on his deal.
    assert sidorova.call("sales.touch", "search", [("external_ref", "=", "zd:" + form["pbx_call_id"])])
    logged = [event for event in events(head, integration) if event["external_ref"] == "zd:" + form["pbx_call_id"]]
    assert [event["state"] for event in logged] == ["recorded"]


def test_notify_out_end_is_an_outgoing_call_of_the_extension(head, petrov, integration, client):
    form = out_end(client["digits"])
    answer = post(integration, form)
    assert answer.status_code == 200, answer.text
    touch, = touches(head, form["pbx_call_id"])
    assert touch["lead_id"][0] == client["deals"][petrov.uid]
    assert touch["user_id"][0] == petrov.uid
    assert (touch["direction"], touch["answered"], touch["phone_to"]) == ("out", True, client["digits"])
    missed = out_end(client["digits"], duration="0", disposition="no answer", status_code="19")
    assert post(integration, missed).status_code == 200
    assert touches(head, missed["pbx_call_id"])[0]["answered"] is False


def test_wrong_signature_is_refused_logged_and_records_nothing(head, integration, client):
    form = end(client["digits"])
    answer = post(integration, form, signature=zadarma_signature("not-the-secret", form))
    assert answer.status_code == 403
    assert post(integration, form, signature="").status_code == 403
    # A signature of another call (the signed fields changed) does not pass either.
    forged = dict(form, caller_id="79990000000")
    assert post(integration, forged, signature=zadarma_signature(SECRET, form)).status_code == 403
    assert post(integration, form, token="no-such-integration").status_code == 404
    assert not touches(head, form["pbx_call_id"])
    refused = [event for event in events(head, integration) if event["state"] == "refused"]
    assert len([event for event in refused if "Signature" in (event["message"] or "")]) >= 3


def test_the_same_event_twice_and_at_once_is_one_touch(head, integration, client):
    form = end(client["digits"])
    with ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(lambda _i: post(integration, form), range(6)))
    assert [answer.status_code for answer in answers if answer.status_code not in (200, 503)] == []
    assert len(touches(head, form["pbx_call_id"])) == 1
    again = post(integration, form)
    assert again.status_code == 200 and again.json()["duplicate"] is True
    # A callback's other leg (NOTIFY_OUT_END of the same pbx_call_id) is the same call.
    leg = out_end(client["digits"], pbx_call_id=form["pbx_call_id"], call_start=form["call_start"])
    assert post(integration, leg).json()["duplicate"] is True
    assert len(touches(head, form["pbx_call_id"])) == 1
    states = [event["state"] for event in events(head, integration)
              if event["external_ref"] == "zd:" + form["pbx_call_id"]]
    assert states.count("recorded") == 1 and states.count("duplicate") >= 2


def test_a_replay_older_than_seven_days_is_refused(head, integration, client):
    old = end(client["digits"], call_start=moscow(days_ago=9))
    answer = post(integration, old)
    assert answer.status_code == 403 and "replay" in answer.text
    assert not touches(head, old["pbx_call_id"])
    assert any("replay" in (event["message"] or "") for event in events(head, integration)
               if event["state"] == "refused")


def queued(head, integration, pbx_call_id):
    return head.call("sales.telephony.recording", "search_read",
                     [("integration_id", "=", integration["id"]), ("call_ref", "=", "zd:" + pbx_call_id)],
                     fields=["state", "attempts", "last_error", "recording_ref", "touch_id"])


def recorded_call(client, rec_prefix="1"):
    form = end(client["digits"], is_recorded="1")
    form["call_id_with_rec"] = "%s-%s.%s-201-%s" % (rec_prefix, int(datetime.now().timestamp()), uuid.uuid4().hex[:6],
                                                    form["call_start"].replace(" ", "-").replace(":", ""))
    return form


def test_notify_record_brings_the_file_through_the_cron(head, admin, integration, client, zadarma_api):
    form = recorded_call(client)
    rec = form["call_id_with_rec"]
    zadarma_api.recordings[rec] = b"ID3 novofon call"
    answer = post(integration, form)
    assert answer.status_code == 200, answer.text
    record = {"event": "NOTIFY_RECORD", "pbx_call_id": form["pbx_call_id"], "call_id_with_rec": rec}
    assert post(integration, record, signature="bad").status_code == 403
    answer = post(integration, record)
    assert answer.status_code == 200 and answer.json()["duplicate"] is True  # NOTIFY_END queued it already
    touch, = touches(head, form["pbx_call_id"])
    # The webhook only queued it: Zadarma was answered at once.
    assert [(line["state"], line["recording_ref"], line["touch_id"][0])
            for line in queued(head, integration, form["pbx_call_id"])] == [("pending", rec, touch["id"])]
    assert not [item for item in zadarma_api.calls("/v1/pbx/record/request/") if item["params"].get("call_id") == rec]
    run_recording_cron(admin)
    assert queued(head, integration, form["pbx_call_id"])[0]["state"] == "done"
    touch, = touches(head, form["pbx_call_id"])
    assert touch["recording_attachment_id"], "the recording was not attached"
    data = admin.call("ir.attachment", "read", [touch["recording_attachment_id"][0]], ["datas", "res_model"])[0]
    assert base64.b64decode(data["datas"]) == b"ID3 novofon call" and data["res_model"] == "sales.touch"
    asked = [item for item in zadarma_api.calls("/v1/pbx/record/request/") if item["params"].get("call_id") == rec]
    assert len(asked) == 1 and asked[0]["authorized"]


def test_a_recording_not_ready_stays_queued_with_the_reason(head, admin, integration, client, zadarma_api):
    form = recorded_call(client)
    rec = form["call_id_with_rec"]
    zadarma_api.recordings[rec] = b"ID3 later"
    zadarma_api.not_ready[rec] = 5
    assert post(integration, form).status_code == 200
    run_recording_cron(admin)
    line, = queued(head, integration, form["pbx_call_id"])
    assert (line["state"], line["attempts"]) == ("pending", 1) and "not ready" in line["last_error"]
    assert not touches(head, form["pbx_call_id"])[0]["recording_attachment_id"]


def test_the_recording_announced_before_the_call_waits_for_it(head, admin, integration, client, zadarma_api):
    """NOTIFY_RECORD may come first: the file is fetched and attached to the
    touch once NOTIFY_END records the call."""
    form = recorded_call(client)
    rec = form["call_id_with_rec"]
    zadarma_api.recordings[rec] = b"ID3 first"
    record = {"event": "NOTIFY_RECORD", "pbx_call_id": form["pbx_call_id"], "call_id_with_rec": rec}
    answer = post(integration, record)
    assert answer.status_code == 200 and answer.json()["duplicate"] is False
    assert post(integration, form).status_code == 200
    run_recording_cron(admin)
    touch, = touches(head, form["pbx_call_id"])
    assert touch["recording_attachment_id"], "the recording was not attached"
    assert queued(head, integration, form["pbx_call_id"])[0]["state"] == "done"
