"""sales_control over the wire: what a salesman, a team leader and the head
see by every route, and the PBX / messenger webhooks (docs/telephony-webhooks.md).

Runs on a database made by scripts/db.sh (demo department: head, petrov leads
Moscow with sidorova and kuznetsov, smirnova leads Regions with popov and
lebedeva)."""
import base64
import json
import uuid
import xmlrpc.client
from datetime import date, timedelta

import pytest
import requests


@pytest.fixture(scope="module")
def popov(head):
    """The id of popov, a salesman of the other team."""
    return head.call("res.users", "search", [("login", "=", "popov")])[0]


@pytest.fixture(scope="module")
def foreign_lead(head, popov):
    """A deal of popov (other team): sidorova must not reach it."""
    lead = head.call("crm.lead", "search_read", [("user_id", "=", popov)], fields=["name"], limit=1)[0]
    return lead


def denied(call, *args, **kwargs):
    with pytest.raises(xmlrpc.client.Fault) as info:
        call(*args, **kwargs)
    # Odoo's XML-RPC answers an AccessError with fault code 4 (messages are translated).
    assert info.value.faultCode == 4, info.value.faultString[:300]
    return True


# -- Who sees what ---------------------------------------------------------

def test_salesman_search_and_count_give_only_his_leads(sidorova):
    leads = sidorova.call("crm.lead", "search_read", [], fields=["user_id"], context={"active_test": False})
    assert leads
    assert {lead["user_id"][0] for lead in leads} == {sidorova.uid}
    assert sidorova.call("crm.lead", "search_count", []) == len(
        [lead for lead in leads if lead.get("active", True)]) or sidorova.call(
        "crm.lead", "search_count", [("user_id", "!=", sidorova.uid)]) == 0
    assert sidorova.call("crm.lead", "search_count", [("user_id", "!=", sidorova.uid)]) == 0


def test_salesman_read_group_pivot_and_graph_are_his_own(sidorova):
    for model in ("crm.lead", "sales.touch", "sales.efficiency.report", "crm.opportunity.report",
                  "crm.activity.report"):
        groups = sidorova.call(model, "read_group", [], ["user_id"], ["user_id"], lazy=False)
        users = {g["user_id"][0] for g in groups if g["user_id"]}
        assert users <= {sidorova.uid}, (model, users)
    assert sidorova.call("sales.touch", "search_count", []) > 0


def test_salesman_cannot_read_export_or_name_search_a_foreign_deal(sidorova, foreign_lead):
    denied(sidorova.call, "crm.lead", "read", [foreign_lead["id"]], ["name"])
    denied(sidorova.call, "crm.lead", "export_data", [foreign_lead["id"]], ["name"])
    found = sidorova.call("crm.lead", "name_search", foreign_lead["name"], [], "=", 10)
    assert foreign_lead["id"] not in [row[0] for row in found]


def test_salesman_cannot_reach_foreign_touches(head, sidorova, foreign_lead):
    touches = head.call("sales.touch", "search", [("lead_id", "=", foreign_lead["id"])], limit=1)
    assert touches
    denied(sidorova.call, "sales.touch", "read", touches, ["summary"])
    denied(sidorova.call, "sales.touch", "export_data", touches, ["summary"])
    assert not sidorova.call("sales.touch", "search", [("lead_id", "=", foreign_lead["id"])])
    assert not sidorova.call("sales.touch", "name_search", "", [("id", "in", touches)])


def test_salesman_cannot_read_the_chatter_of_a_foreign_deal(head, sidorova, foreign_lead):
    head.call("crm.lead", "message_post", [foreign_lead["id"]], body="Секретная заметка",
              message_type="comment", subtype="mail.mt_note")
    messages = head.call("mail.message", "search", [("model", "=", "crm.lead"), ("res_id", "=", foreign_lead["id"])])
    assert messages
    domain = [("model", "=", "crm.lead"), ("res_id", "=", foreign_lead["id"])]
    assert not sidorova.call("mail.message", "search", domain)
    assert not sidorova.call("mail.message", "message_fetch", domain, limit=20)
    denied(sidorova.call, "mail.message", "read", messages[:1], ["body"])
    denied(sidorova.call, "mail.message", "message_format", messages[:1])


def test_salesman_cannot_see_foreign_activities_and_meetings(head, sidorova, popov, foreign_lead):
    model_id = head.call("ir.model", "search", [("model", "=", "crm.lead")])[0]
    activity = head.call("mail.activity", "create", {
        "res_model_id": model_id, "res_id": foreign_lead["id"], "user_id": popov, "summary": "Позвонить"})
    assert not sidorova.call("mail.activity", "search", [("id", "=", activity)])
    denied(sidorova.call, "mail.activity", "read", [activity], ["summary"])
    event = head.call("calendar.event", "create", {
        "name": "Встреча у клиента", "start": "2026-01-15 10:00:00", "stop": "2026-01-15 11:00:00",
        "opportunity_id": foreign_lead["id"], "user_id": popov})
    assert not sidorova.call("calendar.event", "search", [("id", "=", event)])
    head.call("mail.activity", "unlink", [activity])


def test_salesman_cannot_download_a_foreign_call_recording(head, sidorova, popov):
    touch = head.call("sales.touch", "search_read", [("user_id", "=", popov), ("recording_attachment_id", "!=", False)],
                      fields=["recording_attachment_id"], limit=1)
    assert touch, "the demo has call recordings"
    attachment = touch[0]["recording_attachment_id"][0]
    url = "%s/web/content/%d" % (head.server.url, attachment)
    assert head.session.get(url, timeout=30).status_code == 200
    assert sidorova.session.get(url, timeout=30).status_code in (403, 404)
    assert sidorova.session.get(url + "?download=true", timeout=30).status_code in (403, 404)
    denied(sidorova.call, "ir.attachment", "read", [attachment], ["datas"])


def test_team_leader_sees_his_team_and_the_head_sees_all(head, petrov):
    users = {g["user_id"][0] for g in petrov.call("sales.touch", "read_group", [], ["user_id"], ["user_id"])}
    logins = {u["login"] for u in head.call("res.users", "read", list(users), ["login"])}
    assert logins == {"petrov", "sidorova", "kuznetsov"}
    users = {g["user_id"][0] for g in head.call("sales.touch", "read_group", [], ["user_id"], ["user_id"])
             if g["user_id"]}
    assert len(users) >= 6


def test_salesman_cannot_edit_touches_nor_read_tokens(sidorova):
    touch = sidorova.call("sales.touch", "search", [], limit=1)
    denied(sidorova.call, "sales.touch", "write", touch, {"outcome": "лучше"})
    denied(sidorova.call, "sales.touch", "unlink", touch)
    denied(sidorova.call, "sales.touch", "create", {"touch_type": "call", "summary": "выдумка"})
    denied(sidorova.call, "sales.telephony.integration", "search_read", [], ["token"])


def test_head_efficiency_flags_a_busy_manager_who_wins_little(head):
    today = date.today()
    rows = head.call("sales.efficiency.report", "compute_efficiency",
                     str(today - timedelta(days=365)), str(today))
    flagged = {row["user_name"] for row in rows if row["flagged"]}
    assert flagged, rows
    assert all(row["touch_count"] > 0 for row in rows if row["flagged"])


# -- Webhooks ----------------------------------------------------------------

@pytest.fixture(scope="module")
def tokens(head):
    result = {}
    for kind in ("pbx", "messenger"):
        integration = head.call("sales.telephony.integration", "create", {
            "name": "pytest %s %s" % (kind, uuid.uuid4().hex[:6]), "kind": kind})
        result[kind] = head.call("sales.telephony.integration", "read", [integration], ["token"])[0]["token"]
    return result


def post(server, path, payload, token, raw=None):
    body = raw if raw is not None else json.dumps(payload, ensure_ascii=False).encode("utf-8")
    headers = {"Content-Type": "application/json"}
    if token:
        headers["X-Sales-Token"] = token
    return requests.post(server.url + path, data=body, headers=headers, timeout=60)


def a_client(head):
    partner = head.call("res.partner", "search_read", [("is_company", "=", True), ("customer", "=", True),
                                                       ("phone", "!=", False)], fields=["phone"], limit=1)[0]
    return partner


def call_payload(**values):
    payload = {"call_id": uuid.uuid4().hex, "direction": "in", "from": "+7 (999) 000-00-00",
               "to": "+7 (495) 120-45-00", "start": "2026-11-29T09:15:00+03:00", "duration": 60,
               "answered": True}
    payload.update(values)
    return payload


def test_webhook_refuses_a_missing_or_wrong_token(odoo_server, head, tokens):
    payload = call_payload()
    for token in (None, "wrong", tokens["messenger"]):
        answer = post(odoo_server, "/sales_control/webhook/call", payload, token)
        assert answer.status_code == 403, answer.text
        assert answer.json()["status"] == "error"
    assert not head.call("sales.touch", "search", [("external_ref", "=", payload["call_id"])])


def test_webhook_names_the_bad_field(odoo_server, tokens):
    answer = post(odoo_server, "/sales_control/webhook/call", None, tokens["pbx"], raw=b"{not json")
    assert answer.status_code == 400 and "JSON" in answer.json()["error"]
    for field in ("call_id", "direction", "from", "start"):
        payload = call_payload()
        del payload[field]
        answer = post(odoo_server, "/sales_control/webhook/call", payload, tokens["pbx"])
        assert answer.status_code == 400
        assert "'%s'" % field in answer.json()["error"]
    answer = post(odoo_server, "/sales_control/webhook/call", call_payload(start="вчера"), tokens["pbx"])
    assert answer.status_code == 400 and "'start'" in answer.json()["error"]


def test_webhook_call_lands_on_the_client_deal_once(odoo_server, head, tokens):
    client = a_client(head)
    payload = call_payload(**{"from": client["phone"], "recording_url": "https://pbx.example/r/1.mp3"})
    first = post(odoo_server, "/sales_control/webhook/call", payload, tokens["pbx"])
    assert first.status_code == 200, first.text
    second = post(odoo_server, "/sales_control/webhook/call", payload, tokens["pbx"])
    assert second.json()["duplicate"] is True
    assert second.json()["touch_id"] == first.json()["touch_id"]
    touch = head.call("sales.touch", "read", [first.json()["touch_id"]],
                      ["partner_id", "lead_id", "touch_type", "duration", "date"])[0]
    assert touch["partner_id"][0] == client["id"]
    assert touch["touch_type"] == "call" and touch["duration"] == 1.0
    assert touch["date"] == "2026-11-29 06:15:00"
    assert first.json()["matched"] in ("lead", "partner")


def test_webhook_missed_call_from_unknown_number_is_kept(odoo_server, head, tokens):
    payload = call_payload(**{"from": "+7 (800) 000-%02d-%02d" % (uuid.uuid4().int % 100, 7),
                              "answered": False, "duration": 0})
    answer = post(odoo_server, "/sales_control/webhook/call", payload, tokens["pbx"])
    assert answer.status_code == 200 and answer.json()["matched"] == "unmatched"
    assert head.call("sales.touch", "search", [("unmatched", "=", True),
                                               ("external_ref", "=", payload["call_id"])])


def test_webhook_missed_call_of_a_client_creates_a_call_back(odoo_server, head, tokens):
    client = a_client(head)
    payload = call_payload(**{"from": client["phone"], "answered": False, "duration": 0})
    answer = post(odoo_server, "/sales_control/webhook/call", payload, tokens["pbx"])
    assert answer.status_code == 200
    activities = head.call("mail.activity", "search_read", [("summary", "like", client["phone"])],
                           fields=["user_id", "res_model"])
    assert activities and activities[-1]["user_id"]


def test_webhook_recording_file_is_readable_only_by_its_manager(odoo_server, rpc, head, sidorova, tokens):
    lead = head.call("crm.lead", "search_read", [("user_id", "=", sidorova.uid), ("partner_id", "!=", False),
                                                 ("type", "=", "opportunity"), ("probability", "<", 100)],
                     fields=["partner_id"], limit=1)[0]
    phone = head.call("res.partner", "read", [lead["partner_id"][0]], ["phone"])[0]["phone"]
    payload = call_payload(**{"from": phone, "manager_login": "sidorova",
                              "recording_base64": base64.b64encode(b"RIFF fake wav").decode()})
    answer = post(odoo_server, "/sales_control/webhook/call", payload, tokens["pbx"])
    assert answer.status_code == 200, answer.text
    touch = sidorova.call("sales.touch", "read", [answer.json()["touch_id"]], ["recording_attachment_id"])[0]
    url = "%s/web/content/%d" % (odoo_server.url, touch["recording_attachment_id"][0])
    assert sidorova.session.get(url, timeout=30).content == b"RIFF fake wav"
    assert rpc("lebedeva").session.get(url, timeout=30).status_code in (403, 404)


def test_webhook_messenger_cyrillic_emoji_and_huge_text(odoo_server, head, tokens):
    text = "Добрый день! Пришлите КП 👍\nСпасибо"
    payload = {"message_id": uuid.uuid4().hex, "channel": "Telegram", "direction": "in",
               "phone": "+7 (800) 111-22-33", "date": "2026-11-29T09:20:00Z", "text": text}
    answer = post(odoo_server, "/sales_control/webhook/message", payload, tokens["messenger"])
    assert answer.status_code == 200, answer.text
    touch = head.call("sales.touch", "read", [answer.json()["touch_id"]], ["body", "channel", "touch_type"])[0]
    assert touch["body"] == text and touch["touch_type"] == "messenger"
    payload = dict(payload, message_id=uuid.uuid4().hex, text="я" * (10 * 1024 * 1024 // 2))
    answer = post(odoo_server, "/sales_control/webhook/message", payload, tokens["messenger"])
    assert answer.status_code == 413 and "'text'" in answer.json()["error"]
    assert not head.call("sales.touch", "search", [("external_ref", "=", payload["message_id"])])
    answer = post(odoo_server, "/sales_control/webhook/message", dict(payload, text=None, channel=["x"]),
                  tokens["messenger"])
    assert answer.status_code == 400 and "'channel'" in answer.json()["error"]


def test_web_client_routes_filter_the_same_way(sidorova, petrov, foreign_lead):
    """/web/dataset/call_kw (what the list, pivot and graph views call)."""
    rows = sidorova.call_kw("crm.lead", "search_read", [], fields=["user_id"], limit=500)
    assert rows and {row["user_id"][0] for row in rows} == {sidorova.uid}
    groups = sidorova.call_kw("sales.touch", "read_group", [], ["user_id", "date"], ["user_id", "date:month"],
                              lazy=False)
    assert groups and {g["user_id"][0] for g in groups} == {sidorova.uid}
    assert foreign_lead["id"] not in [r["id"] for r in petrov.call_kw("crm.lead", "search_read", [],
                                                                      fields=["id"], limit=1000)]


def test_salesman_marking_a_call_done_records_a_touch_the_head_sees(head, sidorova, petrov):
    lead = sidorova.call("crm.lead", "search", [("type", "=", "opportunity"), ("probability", "<", 100)], limit=1)[0]
    model_id = head.call("ir.model", "search", [("model", "=", "crm.lead")])[0]
    call_type = head.call("ir.model.data", "xmlid_to_res_id", "sales_control.mail_activity_type_call")
    summary = "Звонок %s" % uuid.uuid4().hex[:8]
    activity = sidorova.call("mail.activity", "create", {
        "res_model_id": model_id, "res_id": lead, "activity_type_id": call_type,
        "summary": summary, "user_id": sidorova.uid})
    sidorova.call("mail.activity", "action_feedback", [activity], feedback="Договорились о встрече")
    touch = head.call("sales.touch", "search_read", [("lead_id", "=", lead), ("summary", "=", summary)],
                      fields=["touch_type", "user_id", "outcome", "source"])
    assert len(touch) == 1
    assert touch[0]["touch_type"] == "call" and touch[0]["user_id"][0] == sidorova.uid
    assert touch[0]["outcome"] == "Договорились о встрече"
    assert sidorova.call("sales.touch", "search_count", [("id", "=", touch[0]["id"])]) == 1
    assert petrov.call("sales.touch", "search_count", [("id", "=", touch[0]["id"])]) == 1


def test_webhook_takes_a_bearer_token_and_only_post(odoo_server, tokens):
    payload = call_payload()
    answer = requests.post(odoo_server.url + "/sales_control/webhook/call", json=payload,
                           headers={"Authorization": "Bearer %s" % tokens["pbx"]}, timeout=60)
    assert answer.status_code == 200, answer.text
    assert requests.get(odoo_server.url + "/sales_control/webhook/call", timeout=60).status_code == 405
