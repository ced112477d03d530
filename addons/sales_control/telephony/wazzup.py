# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""WhatsApp (and the other channels) through Wazzup24, API v3 webhooks: a
``{"test": true}`` check of the address, then batches of ``messages[]``
(``isEcho`` = written by the company) and ``statuses[]`` (ignored). The
``Authorization: Bearer <crmKey>`` header is checked when a crmKey is set."""
import hmac
import logging
import re
from datetime import datetime

import psycopg2
import pytz
import requests

from odoo import _

from ..models.res_partner import normalize_phone
from .base import VendorAdapter, register
from .telegram import record

_logger = logging.getLogger(__name__)

API_URL = "https://api.wazzup24.com"
TIMEOUT = 10
CHANNELS = {"whatsapp": "WhatsApp", "whatsgroup": "WhatsApp", "viber": "Viber", "instagram": "Instagram",
            "telegram": "Telegram", "telegroup": "Telegram", "vk": "VK", "avito": "Avito"}
PHONE_CHATS = ("whatsapp", "viber")  # chatId is the client's phone number
DATE_TIME = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:?\d\d)?$")


@register("wazzup")
class WazzupAdapter(VendorAdapter):

    def handle(self):
        from ..controllers.webhooks import WebhookError
        if self.httprequest.method != "POST":
            raise WebhookError(405, "Wazzup posts its webhooks")
        secret = self.integration.sudo().api_secret
        if secret:
            auth = self.httprequest.headers.get("Authorization") or ""
            if not hmac.compare_digest(auth.encode("utf-8"), ("Bearer %s" % secret).encode("utf-8")):
                raise WebhookError(403, "wrong Authorization (crmKey)")
        body = self.json_body()
        if not isinstance(body, dict):
            raise WebhookError(400, "body must be a JSON object")
        if body.get("test") is True:
            self._event = "test"
            self.ignore("the address check of Wazzup")
            return self.json_response(200, {"status": "ok"})
        messages = body.get("messages") or []
        if not isinstance(messages, list) or not all(isinstance(item, dict) for item in messages):
            raise WebhookError(400, "field 'messages' must be a list of objects")
        recorded, refusals = self._messages(messages)
        if refusals and not recorded:
            # Nothing of the batch could be recorded: the batch is refused
            # as before (the controller rolls back and logs the first
            # refusal; a batch of one bad message is its 4xx).
            raise refusals[0]
        for key in sorted(set(body) - {"messages"}):
            self._event = key
            self.ignore("%s ignored" % key)
        return self.json_response(200, {"status": "ok", "recorded": recorded, "refused": len(refusals)})

    def _messages(self, messages):
        """Records each message of the batch in its own savepoint: a broken
        or refused one is rolled back alone and logged as refused, the
        others are recorded. A database error (a concurrent delivery, a
        serialization failure) and a 5xx refusal ("busy, retry") fail the
        whole batch: Wazzup then retries it, recording is idempotent.
        Returns (the number recorded, the refusals)."""
        from ..controllers.webhooks import WebhookError
        recorded, refusals = 0, []
        for item in messages:
            ref = "wz:%s" % item["messageId"] if isinstance(item.get("messageId"), str) else ""
            self._event = "message %s" % (item.get("type") or "")
            try:
                # The savepoint undoes the message's rows, the cleared cache
                # what the ORM remembers of them.
                with self.env.clear_upon_failure(), self.env.cr.savepoint():
                    self._message(item)
            except WebhookError as error:
                if error.status >= 500:
                    raise
                refusals.append(error)
                self.log("refused", error.message, ref)
            except psycopg2.Error:
                raise
            except Exception as error:  # pylint: disable=broad-except
                _logger.exception("Wazzup message %s of %s failed", ref, self.integration.name)
                refusals.append(error)
                self.log("error", str(error), ref)
            else:
                recorded += 1
        return recorded, refusals

    def _date(self, value):
        from ..controllers.webhooks import WebhookError
        match = DATE_TIME.match(value) if isinstance(value, str) else None
        if not match:
            raise WebhookError(400, "field 'dateTime' is not yyyy-mm-ddThh:mm:ss.ms: %r" % (value,))
        moment, _fraction, zone = match.groups()
        try:
            local = datetime.strptime(moment, "%Y-%m-%dT%H:%M:%S")
            if zone:
                iso = moment + (zone if zone == "Z" or ":" in zone else zone[:3] + ":" + zone[3:])
                # An impossible zone (+99:99) or a moment beyond year 1..9999 in UTC.
                datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone(pytz.utc)
            else:
                iso = self.local_iso(local)
                datetime.fromisoformat(iso).astimezone(pytz.utc)
        except (ValueError, OverflowError):
            raise WebhookError(400, "field 'dateTime' is not a possible date-time: %r" % (value,))
        return iso

    def _message(self, item):
        from ..controllers.webhooks import WebhookError
        message_id, chat_id = item.get("messageId"), item.get("chatId")
        if not isinstance(message_id, str) or not message_id or not isinstance(chat_id, (str, int)) \
                or not str(chat_id):
            raise WebhookError(400, "a message without messageId or chatId")
        ref = "wz:%s" % message_id
        date = self._date(item.get("dateTime"))
        self.check_age(date)
        chat_type = item.get("chatType") if isinstance(item.get("chatType"), str) else ""
        contact = item.get("contact") if isinstance(item.get("contact"), dict) else {}
        if chat_type in PHONE_CHATS:
            phone = normalize_phone(str(chat_id))
        else:
            phone = normalize_phone(contact.get("phone") if isinstance(contact.get("phone"), str) else "")
        phone = phone and "+" + phone
        echo = item.get("isEcho") is True
        text = item.get("text") if isinstance(item.get("text"), str) else ""
        if not text:
            text = item.get("contentUri") if isinstance(item.get("contentUri"), str) else ""
            if text or item.get("type") != "text":
                text = ("[%s] %s" % (item.get("type") or "message", text)).strip()
        chat = self.env["sales.messenger.chat"]._touch_chat(self.integration, "%s:%s" % (chat_type, chat_id), {
            "name": contact.get("name") if isinstance(contact.get("name"), str) else False,
            "chat_type": chat_type, "channel_ref": item.get("channelId"),
        })
        if phone and phone != chat.phone:
            chat._learn_phone(phone)
        payload = {
            "message_id": ref, "channel": CHANNELS.get(chat_type, chat_type or "Wazzup"),
            "direction": "out" if echo else "in", "phone": chat.phone or "", "date": date, "text": text,
        }
        if echo:
            payload["manager_login"] = self.user_login(str(item.get("authorId") or ""))
        touch = record(self, payload, ref)
        chat._attach(touch)
        return touch

    # -- the manager's reply (wizard/messenger_reply.py) ------------------------
    @classmethod
    def send_text(cls, integration, chat, text):
        """POST /v3/message; returns (our message id, ISO date)."""
        from odoo.exceptions import UserError
        integration = integration.sudo()
        chat_type, _sep, chat_id = chat.chat_id.partition(":")
        base = (integration.api_url or API_URL).rstrip("/")
        try:
            answer = requests.post(base + "/v3/message", timeout=TIMEOUT, json={
                "channelId": chat.channel_ref, "chatType": chat_type, "chatId": chat_id, "text": text,
            }, headers={"Authorization": "Bearer %s" % (integration.api_key or "")})
            data = answer.json()
        except (requests.RequestException, ValueError) as error:
            raise UserError(_("Wazzup did not answer: %s") % error)
        if answer.status_code not in (200, 201) or not data.get("messageId"):
            reason = data.get("description") or data.get("error") or answer.status_code
            raise UserError(_("Wazzup refused the message: %s") % reason)
        return "wz:%s" % data["messageId"], datetime.utcnow().replace(microsecond=0).isoformat() + "+00:00"

    @classmethod
    def subscribe(cls, integration):
        """PATCH /v3/webhooks: Wazzup posts messages to the integration's address."""
        from odoo.exceptions import UserError
        integration = integration.sudo()
        base = (integration.api_url or API_URL).rstrip("/")
        try:
            answer = requests.patch(base + "/v3/webhooks", timeout=TIMEOUT, json={
                "webhooksUri": integration.hook_path, "subscriptions": {"messagesAndStatuses": True},
            }, headers={"Authorization": "Bearer %s" % (integration.api_key or "")})
        except requests.RequestException as error:
            raise UserError(_("Wazzup did not answer: %s") % error)
        if answer.status_code not in (200, 201):
            raise UserError(_("Wazzup refused the address: %s %s") % (answer.status_code, answer.text[:300]))
        return True
