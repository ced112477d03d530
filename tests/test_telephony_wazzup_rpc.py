"""Wazzup24 (WhatsApp) integration over HTTP: Wazzup's v3 webhooks posted to
the real server with its crmKey, the subscription and the replies through the
Wazzup stand-in (tests/standins/wazzup.py); docs/telephony/wazzup.md."""
import json
import random
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import pytest
import requests

from standins import wazzup as standin


@pytest.fixture(scope="module")
def api():
    process, url = standin.start(key="wz-api-key")
    yield url
    standin.stop(process)


@pytest.fixture(scope="module")
def integration(head, api):
    integration_id = head.call("sales.telephony.integration", "create", {
        "name": "pytest Wazzup %s" % uuid.uuid4().hex[:6], "vendor": "wazzup", "kind": "messenger",
        "api_key": "wz-api-key", "api_secret": "crm-key-1", "api_url": api, "vendor_tz": "Europe/Moscow"})
    values = head.call("sales.telephony.integration", "read", [integration_id], ["token", "hook_path"])[0]
    return dict(values, id=integration_id)


@pytest.fixture(scope="module")
def client_deal(head, sidorova):
    digits = "7916%07d" % random.randint(0, 9999999)
    partner = head.call("res.partner", "create", {"name": "WA Клиент %s" % uuid.uuid4().hex[:4],
                                                  "is_company": True, "customer": True, "mobile": "+" + digits})
    lead = head.call("crm.lead", "create", {"name": "Сделка из WhatsApp", "type": "opportunity",
                                            "partner_id": partner, "user_id": sidorova.uid})
    return {"partner": partner, "lead": lead, "digits": digits}


def post(server, integration, body, auth="Bearer crm-key-1"):
    headers = {"Content-Type": "application/json"}
    if auth:
        headers["Authorization"] = auth
    return requests.post("%s/sales_control/hook/wazzup/%s" % (server.url, integration["token"]),
                         data=json.dumps(body, ensure_ascii=False).encode("utf-8"), headers=headers, timeout=60)


def message(chat_id, **values):
    moscow = datetime.utcnow() + timedelta(hours=3) - timedelta(minutes=2)
    item = {"messageId": str(uuid.uuid4()), "channelId": "c1808feb-0822-4203-a6dc-e2a07c705751",
            "chatType": "whatsapp", "chatId": chat_id, "dateTime": moscow.strftime("%Y-%m-%dT%H:%M:%S.000"),
            "type": "text", "isEcho": False, "text": "Пришлите, пожалуйста, КП", "status": "inbound",
            "contact": {"name": "Иван"}}
    item.update(values)
    return item


def touches(head, integration, message_id):
    return head.call("sales.touch", "search_read", [("integration_id", "=", integration["id"]),
                                                    ("external_ref", "=", "wz:" + message_id)],
                     fields=["lead_id", "user_id", "direction", "body", "unmatched", "channel", "date"])


def test_test_post_and_the_crm_key(odoo_server, head, integration):
    assert post(odoo_server, integration, {"test": True}).status_code == 200
    assert post(odoo_server, integration, {"test": True}, auth=None).status_code == 403
    assert post(odoo_server, integration, {"test": True}, auth="Bearer wrong").status_code == 403
    assert post(odoo_server, dict(integration, token="nope"), {"test": True}).status_code == 404
    events = head.call("sales.telephony.event", "search_read", [("integration_id", "=", integration["id"])],
                       fields=["state"], limit=2)
    assert [event["state"] for event in events] == ["refused", "refused"]


def test_subscribe_makes_wazzup_check_our_address(odoo_server, admin, head, api, integration):
    requests.post(api + "/__control__", json={"crm_key": "crm-key-1"}, timeout=10)
    # The address given to Wazzup is built on web.base.url: this server's.
    old = admin.call("ir.config_parameter", "get_param", "web.base.url")
    admin.call("ir.config_parameter", "set_param", "web.base.url", odoo_server.url)
    try:
        head.call("sales.telephony.integration", "action_messenger_set_webhook", [integration["id"]])
    finally:
        admin.call("ir.config_parameter", "set_param", "web.base.url", old)
    hook = "%s/sales_control/hook/wazzup/%s" % (odoo_server.url, integration["token"])
    events = head.call("sales.telephony.event", "search_read", [("integration_id", "=", integration["id"])],
                       fields=["event", "state"], limit=1)
    assert events[0]["event"] == "wazzup test" and events[0]["state"] == "ignored"
    patch = [item for item in requests.get(api + "/__sent__", timeout=10).json() if item["method"] == "PATCH"][-1]
    assert patch["payload"]["webhooksUri"] == hook
    assert patch["auth"] == "Bearer wz-api-key"


def test_batch_lands_on_the_deal_once_in_moscow_time(odoo_server, head, integration, client_deal, sidorova):
    incoming = message(client_deal["digits"])
    echo = message(client_deal["digits"], isEcho=True, text="Отправил", status="sent", authorId="unknown-op")
    body = {"messages": [incoming, echo], "statuses": [{"messageId": incoming["messageId"], "status": "read"}]}
    assert post(odoo_server, integration, body).status_code == 200
    touch = touches(head, integration, incoming["messageId"])[0]
    assert touch["lead_id"][0] == client_deal["lead"] and touch["direction"] == "in"
    assert touch["channel"] == "WhatsApp"
    local = datetime.strptime(incoming["dateTime"][:19], "%Y-%m-%dT%H:%M:%S")
    assert touch["date"] == (local - timedelta(hours=3)).strftime("%Y-%m-%d %H:%M:%S")
    assert touches(head, integration, echo["messageId"])[0]["direction"] == "out"
    with ThreadPoolExecutor(6) as pool:
        codes = list(pool.map(lambda _i: post(odoo_server, integration, body).status_code, range(6)))
    assert set(codes) <= {200, 503}
    assert len(touches(head, integration, incoming["messageId"])) == 1


def test_bad_payload_and_replay_are_refused(odoo_server, head, integration):
    old = message("79990000001", dateTime="2020-01-01T10:00:00.000")
    assert post(odoo_server, integration, {"messages": [old]}).status_code == 403
    assert not touches(head, integration, old["messageId"])
    assert post(odoo_server, integration, {"messages": "x"}).status_code == 400


def test_unknown_number_waits_and_the_salesman_replies(odoo_server, head, api, integration, client_deal,
                                                       sidorova, kuznetsov):
    stranger = "7999%07d" % random.randint(0, 9999999)
    item = message(stranger, text="Кто это?")
    post(odoo_server, integration, {"messages": [item]})
    assert touches(head, integration, item["messageId"])[0]["unmatched"]
    chat = head.call("sales.messenger.chat", "search", [("chat_id", "=", "whatsapp:" + stranger)])
    head.call("sales.messenger.chat", "write", chat, {"lead_id": client_deal["lead"]})
    head.call("sales.messenger.chat", "action_file", chat)
    assert touches(head, integration, item["messageId"])[0]["lead_id"][0] == client_deal["lead"]
    wizard = sidorova.call("sales.messenger.reply", "create", {"lead_id": client_deal["lead"], "chat_id": chat[0],
                                                               "text": "Это ваш менеджер"})
    sidorova.call("sales.messenger.reply", "action_send", [wizard])
    reply = [entry for entry in requests.get(api + "/__sent__", timeout=10).json()
             if entry["path"] == "/v3/message"][-1]
    assert reply["payload"] == {"channelId": item["channelId"], "chatType": "whatsapp", "chatId": stranger,
                                "text": "Это ваш менеджер"}
    with pytest.raises(Exception):
        wizard = kuznetsov.call("sales.messenger.reply", "create", {"lead_id": client_deal["lead"],
                                                                    "chat_id": chat[0], "text": "чужое"})
        kuznetsov.call("sales.messenger.reply", "action_send", [wizard])
