# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json
from datetime import datetime, timedelta
from unittest import mock

from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from ..controllers.webhooks import WebhookError
from ..telephony import ADAPTERS
from .common import SalesControlCase
from .test_vendor_telegram import FakeAnswer, bare_responses


class TestVendorWazzup(SalesControlCase):
    """The Wazzup24 adapter on its v3 webhooks (the HTTP side:
    tests/test_telephony_wazzup_rpc.py)."""

    @classmethod
    def setUpClass(cls):
        super(TestVendorWazzup, cls).setUpClass()
        cls.integration = cls.env["sales.telephony.integration"].create({
            "name": "Wazzup", "vendor": "wazzup", "kind": "messenger", "api_key": "wz-key",
            "api_secret": "crm-key", "api_url": "http://wazzup.invalid", "vendor_tz": "Europe/Moscow"})
        cls.env["sales.telephony.extension"].create({"integration_id": cls.integration.id, "code": "op-7",
                                                     "user_id": cls.member.id})

    def post(self, body, auth="Bearer crm-key"):
        headers = {"Authorization": auth} if auth else {}
        environ = EnvironBuilder(method="POST", data=json.dumps(body, ensure_ascii=False).encode("utf-8"),
                                 headers=headers, content_type="application/json").get_environ()
        with bare_responses():
            return ADAPTERS["wazzup"](self.env(user=1, context={"tz": "UTC"}), self.integration,
                                      Request(environ), "").handle()

    def message(self, message_id, **values):
        moment = (datetime.utcnow() + timedelta(hours=3) - timedelta(minutes=5)).replace(microsecond=0)
        item = {"messageId": message_id, "channelId": "c1808feb-0822-4203-a6dc-e2a07c705751",
                "chatType": "whatsapp", "chatId": "79165554433", "dateTime": moment.isoformat() + ".000",
                "type": "text", "isEcho": False, "text": "Пришлите, пожалуйста, КП", "status": "inbound",
                "contact": {"name": "Иван"}}
        item.update(values)
        return item

    def touch(self, message_id):
        return self.env["sales.touch"].search([("integration_id", "=", self.integration.id),
                                               ("external_ref", "=", "wz:" + message_id)])

    def test_test_post_and_auth(self):
        self.assertEqual(self.post({"test": True}).status_code, 200)
        for auth in (None, "Bearer wrong"):
            with self.assertRaises(WebhookError) as caught:
                self.post({"test": True}, auth=auth)
            self.assertEqual(caught.exception.status, 403)
        self.integration.api_secret = False
        self.assertEqual(self.post({"test": True}, auth=None).status_code, 200)

    def test_batch_is_one_touch_per_message_in_vendor_time(self):
        body = {"messages": [self.message("m-1"), self.message("m-2", isEcho=True, authorId="op-7",
                                                               text="Отправил", status="sent")],
                "statuses": [{"messageId": "m-0", "status": "read"}]}
        self.assertEqual(self.post(body).status_code, 200)
        first, echo = self.touch("m-1"), self.touch("m-2")
        self.assertEqual((first.direction, first.channel, first.lead_id), ("in", "WhatsApp", self.lead_member))
        self.assertEqual(first.phone_from, "+79165554433")
        self.assertEqual((echo.direction, echo.user_id, echo.phone_to), ("out", self.member, "+79165554433"))
        local = datetime.strptime(body["messages"][0]["dateTime"][:19], "%Y-%m-%dT%H:%M:%S")
        self.assertEqual(first.date, (local - timedelta(hours=3)).strftime("%Y-%m-%d %H:%M:%S"))
        self.post(body)
        self.assertEqual(len(self.touch("m-1")), 1)
        self.assertIn("ignored", self.integration.event_ids.mapped("state"))

    def test_unknown_number_waits_unmatched_and_media_keeps_its_link(self):
        self.post({"messages": [self.message("m-3", chatId="79990001122", type="image", text="",
                                             contentUri="https://store.wazzup24.com/x.jpg")]})
        touch = self.touch("m-3")
        self.assertTrue(touch.unmatched)
        self.assertEqual(touch.body, "[image] https://store.wazzup24.com/x.jpg")
        chat = self.env["sales.messenger.chat"].search([("integration_id", "=", self.integration.id),
                                                        ("chat_id", "=", "whatsapp:79990001122")])
        self.assertTrue(chat.unmatched)

    def test_bad_batch_and_replay_are_refused(self):
        with self.assertRaises(WebhookError) as caught:
            self.post({"messages": [self.message("m-4", dateTime="вчера")]})
        self.assertEqual(caught.exception.status, 400)
        with self.assertRaises(WebhookError) as caught:
            self.post({"messages": [self.message("m-5", dateTime="2020-01-01T10:00:00.000")]})
        self.assertEqual(caught.exception.status, 403)

    def test_reply_goes_through_v3_message(self):
        self.post({"messages": [self.message("m-6")]})
        sent = []

        def fake_post(url, json=None, headers=None, **_kw):
            sent.append((url, json, headers))
            return FakeAnswer({"messageId": "out-1", "chatId": json["chatId"]}, 201)
        wizard = self.env["sales.messenger.reply"].sudo(self.member).with_context(
            active_model="crm.lead", active_id=self.lead_member.id).create({"text": "Добрый день"})
        with mock.patch("odoo.addons.sales_control.telephony.wazzup.requests.post", fake_post):
            wizard.action_send()
        url, payload, headers = sent[0]
        self.assertEqual(url, "http://wazzup.invalid/v3/message")
        self.assertEqual(payload, {"channelId": "c1808feb-0822-4203-a6dc-e2a07c705751", "chatType": "whatsapp",
                                   "chatId": "79165554433", "text": "Добрый день"})
        self.assertEqual(headers["Authorization"], "Bearer wz-key")
        touch = self.touch("out-1")
        self.assertEqual((touch.direction, touch.lead_id, touch.user_id), ("out", self.lead_member, self.member))
        # The echo Wazzup sends for it afterwards is the same touch.
        self.post({"messages": [self.message("out-1", isEcho=True, text="Добрый день")]})
        self.assertEqual(len(self.touch("out-1")), 1)
