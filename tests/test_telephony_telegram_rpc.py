"""Telegram bot integration over HTTP: Bot API updates posted to the real
server with Telegram's secret header, the bot's calls to the Telegram
stand-in (tests/standins/telegram.py), the head's filing and the reply from
the deal card (docs/telephony/telegram.md)."""
import json
import random
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from standins import telegram as standin


@pytest.fixture(scope="module")
def bot():
    process, url = standin.start(token="123456:ABC-test")
    yield url
    standin.stop(process)


@pytest.fixture(scope="module")
def integration(head, bot):
    integration_id = head.call("sales.telephony.integration", "create", {
        "name": "pytest Telegram %s" % uuid.uuid4().hex[:6], "vendor": "telegram", "kind": "messenger",
        "api_key": "123456:ABC-test", "api_url": bot})
    head.call("sales.telephony.integration", "action_messenger_set_webhook", [integration_id])
    values = head.call("sales.telephony.integration", "read", [integration_id],
                       ["token", "api_secret", "hook_path"])[0]
    return dict(values, id=integration_id)


@pytest.fixture(scope="module")
def client_deal(head, sidorova):
    phone = "+7 916 %03d-%02d-%02d" % (random.randint(100, 999), random.randint(10, 99), random.randint(10, 99))
    partner = head.call("res.partner", "create", {"name": "ТГ Клиент %s" % uuid.uuid4().hex[:4],
                                                  "is_company": True, "customer": True, "mobile": phone})
    lead = head.call("crm.lead", "create", {"name": "Сделка из Телеграма", "type": "opportunity",
                                            "partner_id": partner, "user_id": sidorova.uid})
    return {"partner": partner, "lead": lead, "phone": "7" + "".join(c for c in phone if c.isdigit())[1:]}


def post(server, integration, update, secret=None):
    headers = {"Content-Type": "application/json",
               "X-Telegram-Bot-Api-Secret-Token": integration["api_secret"] if secret is None else secret}
    return requests.post("%s/sales_control/hook/telegram/%s" % (server.url, integration["token"]),
                         data=json.dumps(update, ensure_ascii=False).encode("utf-8"), timeout=60, headers=headers)


def update(chat, message_id, date=None, **values):
    message = {"message_id": message_id, "from": {"id": chat, "is_bot": False, "first_name": "Иван",
                                                  "username": "ivan_p"},
               "chat": {"id": chat, "type": "private"}, "date": date or int(time.time()) - 30,
               "text": "Добрый день! Пришлите КП"}
    message.update(values)
    return {"update_id": random.randint(10 ** 8, 10 ** 9), "message": message}


def touches(head, integration, ref):
    return head.call("sales.touch", "search_read", [("integration_id", "=", integration["id"]),
                                                    ("external_ref", "=", ref)],
                     fields=["lead_id", "partner_id", "user_id", "direction", "body", "unmatched", "channel"])


def sent(bot):
    return requests.get(bot + "/__sent__", timeout=10).json()


def test_set_webhook_gives_telegram_our_address_and_secret(bot, integration, sidorova):
    with pytest.raises(Exception):
        sidorova.call("sales.telephony.integration", "action_messenger_set_webhook", [integration["id"]])
    call = [item for item in sent(bot) if item["method"] == "setWebhook"][-1]
    assert call["token"] == "123456:ABC-test"
    assert call["payload"]["url"] == integration["hook_path"]
    assert call["payload"]["secret_token"] == integration["api_secret"]


def test_wrong_secret_and_unknown_integration_are_refused(odoo_server, head, integration):
    answer = post(odoo_server, integration, update(700001, 1), secret="wrong")
    assert answer.status_code == 403
    assert not touches(head, integration, "tg:700001:1")
    events = head.call("sales.telephony.event", "search_read", [("integration_id", "=", integration["id"])],
                       fields=["state", "message"], limit=1)
    assert events[0]["state"] == "refused"
    answer = post(odoo_server, dict(integration, token="nope"), update(700001, 1))
    assert answer.status_code == 404
    answer = post(odoo_server, integration, update(700001, 2, date=int(time.time()) - 9 * 86400))
    assert answer.status_code == 403


def test_unknown_chat_waits_then_its_shared_contact_files_it(odoo_server, head, bot, integration,
                                                             client_deal, sidorova):
    chat = random.randint(10 ** 8, 10 ** 9)
    assert post(odoo_server, integration, update(chat, 1)).status_code == 200
    touch = touches(head, integration, "tg:%s:1" % chat)[0]
    assert touch["unmatched"] and touch["direction"] == "in" and touch["body"] == "Добрый день! Пришлите КП"
    asked = [item for item in sent(bot) if item["method"] == "sendMessage"
             and item["payload"]["chat_id"] == chat]
    assert len(asked) == 1 and asked[0]["payload"]["reply_markup"]["keyboard"][0][0]["request_contact"]
    post(odoo_server, integration, update(chat, 2, text="Алло"))
    assert len([item for item in sent(bot) if item["payload"].get("chat_id") == chat]) == 1, "asked once"
    unmatched = head.call("sales.messenger.chat", "search_read", [("chat_id", "=", str(chat))],
                          fields=["unmatched", "phone"])
    assert unmatched[0]["unmatched"]
    contact = {"phone_number": client_deal["phone"], "first_name": "Иван", "user_id": chat}
    post(odoo_server, integration, update(chat, 3, text=None, contact=contact))
    for number in (1, 2, 3):
        touch = touches(head, integration, "tg:%s:%d" % (chat, number))[0]
        assert touch["lead_id"][0] == client_deal["lead"] and touch["user_id"][0] == sidorova.uid
    # sidorova sees the messages on her deal.
    assert len(sidorova.call("sales.touch", "search", [("lead_id", "=", client_deal["lead"]),
                                                       ("channel", "=", "Telegram")])) == 3


def test_concurrent_deliveries_of_one_update_make_one_touch(odoo_server, head, integration):
    chat = random.randint(10 ** 8, 10 ** 9)
    post(odoo_server, integration, update(chat, 1))
    same = update(chat, 2)
    with ThreadPoolExecutor(8) as pool:
        codes = list(pool.map(lambda _i: post(odoo_server, integration, same).status_code, range(8)))
    assert set(codes) <= {200, 503} and 200 in codes
    assert len(touches(head, integration, "tg:%s:2" % chat)) == 1


def test_head_files_a_chat_and_the_salesman_replies_from_the_deal(odoo_server, head, bot, integration,
                                                                  client_deal, sidorova, kuznetsov):
    chat = random.randint(10 ** 8, 10 ** 9)
    post(odoo_server, integration, update(chat, 5, text="Где мой счёт?"))
    chat_id = head.call("sales.messenger.chat", "search", [("chat_id", "=", str(chat))])[0]
    with pytest.raises(Exception):
        sidorova.call("sales.messenger.chat", "action_file", [chat_id])
    head.call("sales.messenger.chat", "write", [chat_id], {"partner_id": client_deal["partner"],
                                                           "lead_id": client_deal["lead"]})
    head.call("sales.messenger.chat", "action_file", [chat_id])
    assert touches(head, integration, "tg:%s:5" % chat)[0]["lead_id"][0] == client_deal["lead"]
    wizard = sidorova.call("sales.messenger.reply", "create", {"lead_id": client_deal["lead"], "chat_id": chat_id,
                                                               "text": "Счёт отправил"})
    sidorova.call("sales.messenger.reply", "action_send", [wizard])
    reply = [item for item in sent(bot) if item["method"] == "sendMessage"
             and item["payload"].get("text") == "Счёт отправил"]
    assert reply and reply[-1]["payload"]["chat_id"] == chat
    out = head.call("sales.touch", "search_read", [("integration_id", "=", integration["id"]),
                                                   ("direction", "=", "out"), ("lead_id", "=", client_deal["lead"])],
                    fields=["user_id", "body", "external_ref"])
    assert any(touch["body"] == "Счёт отправил" and touch["user_id"][0] == sidorova.uid for touch in out)
    # kuznetsov may not write sidorova's deal: nothing goes out for him.
    with pytest.raises(Exception):
        wizard = kuznetsov.call("sales.messenger.reply", "create", {"lead_id": client_deal["lead"],
                                                                    "chat_id": chat_id, "text": "чужое"})
        kuznetsov.call("sales.messenger.reply", "action_send", [wizard])
        kuznetsov.call("sales.messenger.reply", "action_send", [wizard])
    assert not [item for item in sent(bot) if item["payload"].get("text") == "чужое"]
