"""sales_control from the attacker's chair (issue "Trust"): a salesman with
his own login and an RPC client cannot invent, date, re-credit or erase a
touch, and a PBX delivering the same call many times at once gets the
documented JSON answer every time.

Runs on a database made by scripts/db.sh (see test_sales_control_rpc.py for
the demo department)."""
import threading
import uuid
import xmlrpc.client
from datetime import date, timedelta

import pytest
import requests

from test_sales_control_rpc import call_payload, denied, post

XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def own_lead(sidorova):
    """An open deal of sidorova with a client that has an e-mail."""
    leads = sidorova.call("crm.lead", "search_read", [("type", "=", "opportunity"), ("probability", "<", 100),
                                                      ("partner_id", "!=", False)],
                          fields=["name", "partner_id"], limit=1)
    assert leads
    return leads[0]


@pytest.fixture(scope="module")
def foreign_lead(head, rpc):
    popov = rpc("popov")
    return head.call("crm.lead", "search_read", [("user_id", "=", popov.uid)], fields=["name"], limit=1)[0]


@pytest.fixture(scope="module")
def pbx_token(head):
    integration = head.call("sales.telephony.integration", "create", {
        "name": "trust %s" % uuid.uuid4().hex[:6], "kind": "pbx"})
    return head.call("sales.telephony.integration", "read", [integration], ["token"])[0]["token"]


@pytest.fixture(scope="module")
def messenger_token(head):
    integration = head.call("sales.telephony.integration", "create", {
        "name": "trust msg %s" % uuid.uuid4().hex[:6], "kind": "messenger"})
    return head.call("sales.telephony.integration", "read", [integration], ["token"])[0]["token"]


def touches_of(head, lead_id):
    return head.call("sales.touch", "search_read", [("lead_id", "=", lead_id)],
                     fields=["touch_type", "source", "date", "user_id", "captured_user_id", "integration_id",
                             "entered_late", "direction"], order="id")


def fault(call, *args, **kwargs):
    with pytest.raises(xmlrpc.client.Fault) as info:
        call(*args, **kwargs)
    return info.value.faultString


# -- Nobody records a touch by calling a method --------------------------------

def test_salesman_cannot_record_a_touch_by_any_model_method(sidorova, head, own_lead, kuznetsov):
    before = touches_of(head, own_lead["id"])
    vals = {"touch_type": "call", "lead_id": own_lead["id"], "user_id": kuznetsov.uid,
            "date": "2026-01-01 10:00:00", "duration": 600}
    for method in ("_record", "record"):
        message = fault(sidorova.call, "sales.touch", method, vals)
        assert "Private methods" in message or "has no attribute" in message, message[-300:]
    denied(sidorova.call, "sales.touch", "create", vals)
    # A context key of the capture hooks opens nothing either.
    denied(sidorova.call, "sales.touch", "create", vals,
           context={"sales_touch_capture": True, "tracking_disable": True})
    assert touches_of(head, own_lead["id"]) == before


def test_head_manual_touch_is_marked_manual_and_his(head, own_lead, sidorova):
    touch_id = head.call("sales.touch", "create", {
        "touch_type": "call", "lead_id": own_lead["id"], "user_id": sidorova.uid, "source": "telephony",
        "integration_id": 1, "external_ref": "forged", "captured_user_id": sidorova.uid,
        "summary": "Звонок, который забыли внести"}, context={"sales_touch_capture": True})
    touch = head.call("sales.touch", "read", [touch_id],
                      ["source", "integration_id", "external_ref", "captured_user_id", "create_uid"])[0]
    assert touch["source"] == "manual"
    assert not touch["integration_id"] and not touch["external_ref"]
    assert touch["captured_user_id"][0] == head.uid and touch["create_uid"][0] == head.uid
    # A manual touch may go again; the system's may not (see below).
    assert head.call("sales.touch", "unlink", [touch_id])


def test_head_correction_is_tracked_and_observed_fields_stay(head, admin, rpc, foreign_lead,
                                                             pbx_token, odoo_server):
    payload = call_payload(**{"from": "+7 (800) 100-%02d-%02d" % (uuid.uuid4().int % 100, 3)})
    answer = post(odoo_server, "/sales_control/webhook/call", payload, pbx_token)
    assert answer.status_code == 200, answer.text
    touch_id = answer.json()["touch_id"]
    # The head files an unmatched call on popov's deal and credits lebedeva.
    lebedeva = rpc("lebedeva")
    head.call("sales.touch", "write", [touch_id], {"lead_id": foreign_lead["id"], "user_id": lebedeva.uid})
    tracked = admin.call("mail.tracking.value", "search_read",
                         [("mail_message_id.model", "=", "sales.touch"), ("mail_message_id.res_id", "=", touch_id)],
                         ["field", "old_value_char", "new_value_char"])
    assert {"user_id", "lead_id"} <= {value["field"] for value in tracked}, tracked
    for vals in ({"source": "manual"}, {"integration_id": False}, {"phone_from": "+70000000000"},
                 {"captured_user_id": head.uid}):
        denied(head.call, "sales.touch", "write", [touch_id], vals)
    message = fault(head.call, "sales.touch", "unlink", [touch_id])
    assert "cannot be deleted" in message or "удалять нельзя" in message, message[-300:]
    touch = head.call("sales.touch", "read", [touch_id], ["source", "phone_from", "integration_id"])[0]
    assert touch["source"] == "telephony" and touch["phone_from"] == payload["from"]


# -- The capture hooks take nothing on the caller's word -------------------------

def test_chatter_touch_is_dated_now_and_needs_the_client(sidorova, head, own_lead):
    lead_id = own_lead["id"]
    client = own_lead["partner_id"][0]
    before = len(touches_of(head, lead_id))
    # A message to colleagues only (no client among its recipients nor
    # followers) is no touch.
    followers = sidorova.call("mail.followers", "search_read", [("res_model", "=", "crm.lead"),
                                                                ("res_id", "=", lead_id)], ["partner_id"])
    outside = [f["partner_id"][0] for f in followers if f["partner_id"] and not head.call(
        "res.users", "search", [("partner_id", "=", f["partner_id"][0]), ("share", "=", False)])]
    if outside:
        sidorova.call_kw("crm.lead", "message_unsubscribe", [lead_id], outside)
    sidorova.call("crm.lead", "message_post", [lead_id], body="Коллеги, посмотрите",
                  message_type="comment", subtype="mail.mt_comment")
    assert len(touches_of(head, lead_id)) == before
    # A made-up incoming e-mail (only the mail gateway brings those) is no touch.
    sidorova.call("crm.lead", "message_post", [lead_id], body="Согласны на всё", subject="Re: КП",
                  message_type="email", subtype="mail.mt_comment", author_id=client)
    assert len(touches_of(head, lead_id)) == before
    # A message to the client is an e-mail touch, dated now whatever the
    # caller says, and a context key does not make it a КП.
    sidorova.call("crm.lead", "message_post", [lead_id], body="Направляю условия", subject="Условия",
                  message_type="comment", subtype="mail.mt_comment", partner_ids=[client],
                  date="2025-01-01 09:00:00", context={"sales_touch_proposal": True})
    touches = touches_of(head, lead_id)
    assert len(touches) == before + 1
    touch = touches[-1]
    assert (touch["touch_type"], touch["source"], touch["direction"]) == ("email", "email", "out")
    assert touch["date"] > "2026-01-01"
    assert touch["user_id"][0] == sidorova.uid and touch["captured_user_id"][0] == sidorova.uid


def test_meeting_credited_to_a_colleague_goes_to_its_author_and_is_flagged(sidorova, kuznetsov, head,
                                                                           admin, own_lead):
    # A day of its own: one manager's overlapping meetings count once.
    day = date(2019, 1, 1) + timedelta(days=uuid.uuid4().int % 700)
    event = sidorova.call("calendar.event", "create", {
        "name": "Встреча, которой не было", "start": "%s 10:00:00" % day, "stop": "%s 13:00:00" % day,
        "duration": 3.0, "opportunity_id": own_lead["id"], "user_id": sidorova.uid})
    sidorova.call("calendar.event", "write", [event], {"user_id": kuznetsov.uid})
    cron = admin.call("ir.model.data", "xmlid_to_res_id", "sales_control.ir_cron_record_meeting_touches")
    assert cron
    admin.call("ir.cron", "method_direct_trigger", [cron])
    touch = head.call("sales.touch", "search_read", [("calendar_event_id", "=", event)],
                      ["user_id", "captured_user_id", "entered_late", "source"])
    assert len(touch) == 1
    assert touch[0]["user_id"][0] == sidorova.uid, "a meeting is not credited to a colleague who did not plan it"
    assert touch[0]["captured_user_id"][0] == sidorova.uid
    assert touch[0]["entered_late"] is True and touch[0]["source"] == "calendar"


# -- Webhooks: the same event many times at once ---------------------------------

def test_concurrent_duplicates_are_answered_not_crashed(odoo_server, head, pbx_token):
    payload = call_payload(**{"from": "+7 (800) 200-%02d-%02d" % (uuid.uuid4().int % 100, 5)})
    deliveries = 8
    barrier = threading.Barrier(deliveries)
    answers = [None] * deliveries

    def deliver(index):
        barrier.wait()
        try:
            answers[index] = post(odoo_server, "/sales_control/webhook/call", payload, pbx_token)
        except requests.RequestException as error:
            answers[index] = error

    threads = [threading.Thread(target=deliver, args=(index,)) for index in range(deliveries)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    for answer in answers:
        assert isinstance(answer, requests.Response), answer
        assert answer.status_code == 200, answer.text[:300]
        assert answer.headers["Content-Type"].startswith("application/json")
    bodies = [answer.json() for answer in answers]
    assert sorted(body["duplicate"] for body in bodies) == [False] + [True] * (deliveries - 1)
    assert len({body["touch_id"] for body in bodies}) == 1
    assert len(head.call("sales.touch", "search", [("external_ref", "=", payload["call_id"])])) == 1


def test_webhook_duration_beyond_any_call_is_json_400(odoo_server, pbx_token):
    # A number no float can hold used to fail deep in the handler.
    answer = post(odoo_server, "/sales_control/webhook/call", call_payload(duration=10 ** 400), pbx_token)
    assert answer.status_code == 400, answer.text[:300]
    assert answer.headers["Content-Type"].startswith("application/json")
    assert "'duration'" in answer.json()["error"]


# -- Client text is escaped in the deal card ------------------------------------

def test_messenger_text_is_escaped_in_the_deal_timeline(odoo_server, head, own_lead, messenger_token):
    phone = "+7 (900) 300-%02d-%02d" % (uuid.uuid4().int % 100, 9)
    client = own_lead["partner_id"][0]
    head.call("res.partner", "write", [client], {"mobile": phone})
    answer = post(odoo_server, "/sales_control/webhook/message", {
        "message_id": uuid.uuid4().hex, "channel": "whatsapp", "direction": "in", "phone": phone,
        "date": "2026-11-29T10:00:00+03:00", "text": XSS + "\nвторая строка"}, messenger_token)
    assert answer.status_code == 200, answer.text
    touch = head.call("sales.touch", "read", [answer.json()["touch_id"]], ["lead_id", "body"])[0]
    assert touch["lead_id"] and touch["body"].startswith(XSS)
    timeline = head.call("crm.lead", "read", [touch["lead_id"][0]],
                         ["communication_timeline"])[0]["communication_timeline"]
    assert "&lt;img src=x onerror=alert(1)&gt;" in timeline
    assert "<img src=x" not in timeline


# -- Every public method of sales_control, as a salesman -------------------------

def test_every_public_method_as_a_salesman(sidorova, head, own_lead, foreign_lead):
    """Each public method that sales_control defines or overrides
    (addons/sales_control/tests/public_methods.csv), called by sidorova over
    RPC: on what is not hers it is refused and nothing changes; on her own
    it does only what a salesman may."""
    foreign = foreign_lead["id"]
    foreign_touches = head.call("sales.touch", "search", [("lead_id", "=", foreign)])
    assert foreign_touches
    before = head.call("sales.touch", "search_count", [])

    # crm.lead
    action = sidorova.call("crm.lead", "action_view_touches", [own_lead["id"]])
    assert action["domain"] == [["lead_id", "=", own_lead["id"]]]
    denied(sidorova.call, "crm.lead", "action_view_touches", [foreign])
    assert sidorova.call("crm.lead", "action_send_proposal", [own_lead["id"]])["res_model"] == "mail.compose.message"
    denied(sidorova.call, "crm.lead", "action_send_proposal", [foreign])
    fault(sidorova.call, "crm.lead", "merge_dependences", [own_lead["id"]], [foreign])
    assert sorted(head.call("sales.touch", "search", [("lead_id", "=", foreign)])) == sorted(foreign_touches)
    # Only the head deletes deals (crm's access rights); the touches stay.
    denied(sidorova.call, "crm.lead", "unlink", [own_lead["id"]])
    denied(sidorova.call, "crm.lead", "unlink", [foreign])

    # mail.activity: done on a colleague's deal is refused; on her own it
    # records a touch credited to her.
    call_type = head.call("ir.model.data", "xmlid_to_res_id", "sales_control.mail_activity_type_call")
    lead_model = head.call("ir.model", "search", [("model", "=", "crm.lead")])[0]
    colleague_activity = head.call("mail.activity", "create", {
        "res_model_id": lead_model, "res_id": foreign, "activity_type_id": call_type,
        "user_id": head.call("crm.lead", "read", [foreign], ["user_id"])[0]["user_id"][0]})
    denied(sidorova.call, "mail.activity", "action_feedback", [colleague_activity])
    assert head.call("mail.activity", "search", [("id", "=", colleague_activity)])
    own_activity = sidorova.call("mail.activity", "create", {
        "res_model_id": lead_model, "res_id": own_lead["id"], "activity_type_id": call_type,
        "user_id": sidorova.uid, "summary": "Перезвонить"})
    sidorova.call_kw("mail.activity", "action_feedback", [own_activity], feedback="Договорились")
    touch = head.call("sales.touch", "search_read", [("lead_id", "=", own_lead["id"]), ("source", "=", "activity")],
                      ["user_id", "captured_user_id"], order="id desc", limit=1)[0]
    assert touch["user_id"][0] == sidorova.uid == touch["captured_user_id"][0]

    # mail.compose.message: the proposal composer on a colleague's deal
    template = head.call("ir.model.data", "xmlid_to_res_id", "sales_control.mail_template_commercial_proposal")
    values = {"model": "crm.lead", "res_id": foreign, "composition_mode": "comment", "template_id": template,
              "body": "КП", "subject": "КП"}
    denied(sidorova.call, "mail.compose.message", "create", values)
    # nor can she send the head's composer (a transient record is its author's)
    composer = head.call("mail.compose.message", "create", values)
    denied(sidorova.call, "mail.compose.message", "send_mail", [composer])
    assert sorted(head.call("sales.touch", "search", [("lead_id", "=", foreign)])) == sorted(foreign_touches)

    # Reports: only her own figures
    rows = sidorova.call("sales.efficiency.report", "compute_efficiency", "2025-01-01", "2026-12-31")
    assert rows and {row["user_id"] for row in rows} == {sidorova.uid}
    wizard = sidorova.call("sales.efficiency.wizard", "create", {"date_from": "2025-01-01", "date_to": "2026-12-31"})
    assert sidorova.call("sales.efficiency.wizard", "action_compute", [wizard]) is True
    assert sidorova.call("sales.efficiency.wizard", "name_get", [wizard])[0][1]
    lines = sidorova.call("sales.efficiency.wizard.line", "search_read", [("wizard_id", "=", wizard)], ["user_id"])
    assert lines and {line["user_id"][0] for line in lines} == {sidorova.uid}
    for model in ("sales.efficiency.report", "sales.touch"):
        denied(sidorova.call, model, "init", [])

    # Integrations and touches
    integration = head.call("sales.telephony.integration", "search", [], limit=1)
    denied(sidorova.call, "sales.telephony.integration", "action_regenerate_token", integration)
    denied(sidorova.call, "sales.touch", "action_open_lead", foreign_touches[:1])
    denied(sidorova.call, "sales.touch", "create", {"touch_type": "call", "lead_id": own_lead["id"]})
    own_touch = sidorova.call("sales.touch", "search", [("lead_id", "=", own_lead["id"])], limit=1)
    denied(sidorova.call, "sales.touch", "write", own_touch, {"duration": 90})
    denied(sidorova.call, "sales.touch", "unlink", own_touch)
    assert head.call("sales.touch", "search_count", []) == before + 1  # the activity's touch only


def test_settings_only_for_administrators(sidorova, head, admin):
    """Odoo 11 leaves res.config.settings.set_values open to every user.
    Creating a settings record is refused to non-administrators by
    base_setup's defaults, but set_values on no record at all still ran:
    every parameter would be written from empty fields (no approver, a zero
    threshold)."""
    company = admin.call("res.users", "read", [admin.uid], ["company_id"])[0]["company_id"][0]
    before = admin.call("res.company", "read", [company], ["sales_control_flag_ratio"])[0]
    params = admin.call("ir.config_parameter", "search_read", [("key", "like", "deal_approval.")],
                        ["key", "value"], order="key")
    for user in (sidorova, head):
        denied(user.call, "res.config.settings", "set_values", [])
        denied(user.call, "res.config.settings", "create", {"sales_control_flag_ratio": 99.0})
    assert admin.call("res.company", "read", [company], ["sales_control_flag_ratio"])[0] == before
    assert admin.call("ir.config_parameter", "search_read", [("key", "like", "deal_approval.")],
                      ["key", "value"], order="key") == params
