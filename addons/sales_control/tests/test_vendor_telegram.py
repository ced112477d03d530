# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json
import time
from unittest import mock

from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request, Response

from odoo.exceptions import AccessError

from ..controllers.webhooks import WebhookError
from ..telephony import ADAPTERS
from ..telephony.base import VendorAdapter
from .common import SalesControlCase


class FakeAnswer(object):
    def __init__(self, payload, status=200):
        self.payload, self.status_code, self.text = payload, status, json.dumps(payload)

    def json(self):
        return self.payload


def bare_responses():
    """odoo.http.Response needs a bound request: the adapters' answers as
    plain werkzeug responses when called without an HTTP server."""
    return mock.patch.multiple(
        VendorAdapter,
        text_response=staticmethod(lambda status, text, content_type="text/plain": Response(text, status=status)),
        json_response=staticmethod(lambda status, payload: Response(json.dumps(payload), status=status,
                                                                    content_type="application/json")))


class TestVendorTelegram(SalesControlCase):
    """The Telegram adapter on Bot API updates (the HTTP side, with the
    vendor's stand-in, is tests/test_telephony_telegram_rpc.py)."""

    @classmethod
    def setUpClass(cls):
        super(TestVendorTelegram, cls).setUpClass()
        cls.integration = cls.env["sales.telephony.integration"].create({
            "name": "TG bot", "vendor": "telegram", "kind": "messenger", "api_key": "123:ABC",
            "api_secret": "s3cret-Token_1", "api_url": "http://telegram.invalid"})

    def setUp(self):
        super(TestVendorTelegram, self).setUp()
        self.sent = []

    def post(self, update, secret="s3cret-Token_1"):
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
        environ = EnvironBuilder(method="POST", data=json.dumps(update, ensure_ascii=False).encode("utf-8"),
                                 headers=headers, content_type="application/json").get_environ()
        adapter = ADAPTERS["telegram"](self.env(user=1, context={"tz": "UTC"}), self.integration,
                                       Request(environ), "")

        def fake_post(url, json=None, **_kw):
            self.sent.append((url, json))
            return FakeAnswer({"ok": True, "result": {"message_id": 900 + len(self.sent),
                                                      "date": int(time.time())}})
        with mock.patch("odoo.addons.sales_control.telephony.telegram.requests.post", fake_post), bare_responses():
            return adapter.handle()

    def update(self, message_id, chat=555001, **message):
        values = {"message_id": message_id, "date": int(time.time()) - 60,
                  "from": {"id": chat, "is_bot": False, "first_name": "Иван", "username": "ivan_p"},
                  "chat": {"id": chat, "type": "private"}, "text": "Добрый день! Пришлите КП"}
        values.update(message)
        return {"update_id": 904311000 + message_id, "message": values}

    def touch(self, ref):
        return self.env["sales.touch"].search([("integration_id", "=", self.integration.id),
                                               ("external_ref", "=", ref)])

    def chat(self, chat_id=555001):
        return self.env["sales.messenger.chat"].search([("integration_id", "=", self.integration.id),
                                                        ("chat_id", "=", str(chat_id))])

    def test_wrong_or_missing_secret_is_refused(self):
        for secret in ("wrong", None, ""):
            with self.assertRaises(WebhookError) as caught:
                self.post(self.update(1), secret=secret)
            self.assertEqual(caught.exception.status, 403)
        self.assertFalse(self.touch("tg:555001:1"))

    def test_unknown_chat_is_unmatched_then_the_shared_contact_files_it(self):
        self.assertEqual(self.post(self.update(1)).status_code, 200)
        touch = self.touch("tg:555001:1")
        self.assertTrue(touch.unmatched)
        self.assertEqual((touch.direction, touch.channel, touch.body),
                         ("in", "Telegram", "Добрый день! Пришлите КП"))
        chat = self.chat()
        self.assertTrue(chat.unmatched and chat.contact_requested)
        self.assertEqual(len(self.sent), 1, "the contact button is asked for")
        keyboard = self.sent[0][1]["reply_markup"]["keyboard"][0][0]
        self.assertTrue(keyboard["request_contact"])
        self.assertTrue(self.sent[0][0].endswith("/bot123:ABC/sendMessage"))
        # A second message: still unmatched, the bot does not ask again.
        self.post(self.update(2, text="Алло?"))
        self.assertEqual(len(self.sent), 1)
        # Someone else's contact teaches nothing.
        self.post(self.update(3, text="", contact={"phone_number": "74951112233", "first_name": "Чужой",
                                                   "user_id": 42}))
        self.assertFalse(self.chat().phone)
        # His own contact: the chat and its past touches go to the client's deal.
        self.post(self.update(4, text="", contact={"phone_number": "79165554433", "first_name": "Иван",
                                                   "user_id": 555001}))
        chat = self.chat()
        self.assertEqual(chat.phone, "+79165554433")
        self.assertEqual(chat.lead_id, self.lead_member)
        for ref in ("tg:555001:1", "tg:555001:2", "tg:555001:4"):
            self.assertEqual(self.touch(ref).lead_id, self.lead_member, ref)
            self.assertEqual(self.touch(ref).user_id, self.member, ref)
        self.post(self.update(5, text="Спасибо"))
        self.assertEqual(self.touch("tg:555001:5").lead_id, self.lead_member)

    def test_same_update_twice_is_one_touch(self):
        self.post(self.update(7))
        self.post(self.update(7))
        self.assertEqual(len(self.touch("tg:555001:7")), 1)
        states = self.integration.event_ids.mapped("state")
        self.assertIn("duplicate", states)

    def test_old_update_is_refused_as_a_replay(self):
        with self.assertRaises(WebhookError) as caught:
            self.post(self.update(8, date=int(time.time()) - 8 * 86400))
        self.assertEqual(caught.exception.status, 403)

    def test_other_updates_and_bots_are_ignored(self):
        self.assertEqual(self.post({"update_id": 1, "edited_message": {"message_id": 1}}).status_code, 200)
        self.post(self.update(9, **{"from": {"id": 1, "is_bot": True, "first_name": "bot"}}))
        self.assertFalse(self.touch("tg:555001:9"))

    def test_only_the_head_files_a_chat(self):
        self.post(self.update(10, chat=555002))
        chat = self.chat(555002)
        chat.write({"partner_id": self.client.id, "lead_id": self.lead_member.id})
        with self.assertRaises(AccessError):
            chat.sudo(self.member).action_file()
        chat.sudo(self.head).action_file()
        self.assertEqual(self.touch("tg:555002:10").lead_id, self.lead_member)
        self.assertFalse(self.touch("tg:555002:10").unmatched)
        # Later messages of the filed chat (phone still unknown) land there too.
        self.post(self.update(11, chat=555002))
        self.assertEqual(self.touch("tg:555002:11").lead_id, self.lead_member)

    def test_reply_from_the_deal_goes_out_and_is_a_touch(self):
        self.post(self.update(12, chat=555003))
        chat = self.chat(555003)
        chat.write({"lead_id": self.lead_member.id})
        chat.sudo(self.head).action_file()
        Reply = self.env["sales.messenger.reply"].sudo(self.member)
        wizard = Reply.with_context(active_model="crm.lead", active_id=self.lead_member.id).create(
            {"text": "Отправил КП"})
        self.assertEqual(wizard.chat_id, chat)
        with mock.patch("odoo.addons.sales_control.telephony.telegram.requests.post",
                        lambda url, json=None, **_kw: self.sent.append((url, json)) or FakeAnswer(
                            {"ok": True, "result": {"message_id": 77, "date": int(time.time())}})):
            wizard.action_send()
        self.assertEqual(self.sent[-1][1], {"chat_id": 555003, "text": "Отправил КП"})
        touch = self.touch("tg:555003:77")
        self.assertEqual((touch.direction, touch.lead_id, touch.user_id), ("out", self.lead_member, self.member))
        # A salesman may not write a colleague's deal, nor send to a chat of another client.
        wizard = Reply.create({"lead_id": self.lead_member.id, "chat_id": chat.id, "text": "x"})
        with self.assertRaises(AccessError):
            wizard.sudo(self.other).action_send()
