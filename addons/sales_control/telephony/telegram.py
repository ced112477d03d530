# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Telegram bot (Bot API webhooks): one ``Update`` per POST, the secret in
``X-Telegram-Bot-Api-Secret-Token``. The client's phone is learnt from the
contact he shares himself (the bot asks once per chat with a
``request_contact`` button) and remembered per chat; until then his messages
are recorded unmatched and the chat waits for the head to file it."""
import hmac
import logging

import requests

from odoo import _, fields

from ..models.res_partner import normalize_phone
from .base import VendorAdapter, register

_logger = logging.getLogger(__name__)

API_URL = "https://api.telegram.org"
TIMEOUT = 10  # seconds: Telegram waits for our answer, a slow send must not make it retry
MEDIA = ("photo", "document", "voice", "audio", "video", "video_note", "sticker", "location", "animation")


def _api(integration, method, payload):
    """Calls a Bot API method; returns its ``result`` or raises UserError
    with Telegram's description."""
    from odoo.exceptions import UserError
    base = (integration.sudo().api_url or API_URL).rstrip("/")
    token = integration.sudo().api_key
    if not token:
        raise UserError(_("The bot token (Vendor API key) of %s is not set.") % integration.name)
    try:
        answer = requests.post("%s/bot%s/%s" % (base, token, method), json=payload, timeout=TIMEOUT)
        data = answer.json()
    except (requests.RequestException, ValueError) as error:
        raise UserError(_("Telegram did not answer %s: %s") % (method, error))
    if not data.get("ok"):
        raise UserError(_("Telegram refused %s: %s") % (method, data.get("description") or answer.status_code))
    return data.get("result")


def _str(value):
    """A string field of the vendor's object, or '' for anything else."""
    return value if isinstance(value, str) else ""


def record(adapter, payload, ref):
    """Records a message of a chat whose phone may be unknown, logs it and
    returns the touch. A duplicate recorded by a delivery that committed
    after this transaction began is not visible here (the touch is then
    logged without its link; base.VendorAdapter._record would fail on the
    foreign key)."""
    from ..controllers.webhooks import record_message
    answer = record_message(adapter.env, adapter.integration, payload, phone_required=False)
    touch = adapter.env["sales.touch"].browse(answer.get("touch_id")).exists()
    adapter.log("duplicate" if answer.get("duplicate") else "recorded", "", ref, touch)
    return touch


@register("telegram")
class TelegramAdapter(VendorAdapter):

    def handle(self):
        from ..controllers.webhooks import WebhookError
        if self.httprequest.method != "POST":
            raise WebhookError(405, "Telegram posts its updates")
        secret = self.integration.sudo().api_secret or ""
        given = self.httprequest.headers.get("X-Telegram-Bot-Api-Secret-Token") or ""
        if not secret or not hmac.compare_digest(given.encode("utf-8"), secret.encode("utf-8")):
            raise WebhookError(403, "wrong X-Telegram-Bot-Api-Secret-Token")
        update = self.json_body()
        if not isinstance(update, dict) or not isinstance(update.get("update_id"), int):
            raise WebhookError(400, "not a Telegram Update")
        self._event = "update %s" % update["update_id"]
        message = update.get("message")
        if not isinstance(message, dict):
            kinds = sorted(key for key in update if key != "update_id")
            self.ignore("update of kind %s" % ", ".join(kinds), str(update["update_id"]))
            return self.text_response(200, "ok")
        self._message(message)
        return self.text_response(200, "ok")

    def _message(self, message):
        from ..controllers.webhooks import WebhookError
        chat_data = message.get("chat")
        sender = message.get("from") if message.get("from") is not None else {}
        if not isinstance(chat_data, dict) or not isinstance(chat_data.get("id"), int) \
                or not isinstance(message.get("message_id"), int) or not isinstance(message.get("date"), int):
            raise WebhookError(400, "message without chat.id, message_id or date")
        if not isinstance(sender, dict):
            raise WebhookError(400, "field 'from' of the message must be an object")
        ref = "tg:%s:%s" % (chat_data["id"], message["message_id"])
        if sender.get("is_bot") is True:
            self.ignore("message of a bot", ref)
            return
        try:
            date = self.unix_iso(message["date"])
        except (ValueError, OverflowError, OSError):
            raise WebhookError(400, "field 'date' of the message is out of range: %r" % message["date"])
        self.check_age(date)
        name = " ".join(filter(None, [_str(sender.get("first_name")), _str(sender.get("last_name"))])) \
            or _str(sender.get("username")) or _str(chat_data.get("title"))
        Chat = self.env["sales.messenger.chat"]
        chat = Chat._touch_chat(self.integration, chat_data["id"],
                                {"name": name, "chat_type": _str(chat_data.get("type"))})
        contact = message.get("contact") if isinstance(message.get("contact"), dict) else None
        own_contact = contact and isinstance(contact.get("user_id"), int) \
            and contact.get("user_id") == sender.get("id")
        if own_contact and normalize_phone(_str(contact.get("phone_number"))):
            phone = "+" + normalize_phone(contact["phone_number"])
            if phone != chat.phone:
                chat._learn_phone(phone)
        text = message.get("text") or message.get("caption") or ""
        if contact and not text:
            text = "%s %s" % (" ".join(filter(None, [_str(contact.get("first_name")),
                                                     _str(contact.get("last_name"))])),
                              _str(contact.get("phone_number")))
        if not text:
            kind = next((key for key in MEDIA if key in message), "message")
            text = "[%s]" % kind
        touch = record(self, {"message_id": ref, "channel": "Telegram", "direction": "in",
                              "phone": chat.phone or "", "date": date, "text": text}, ref)
        chat._attach(touch)
        if not chat.phone and not chat.contact_requested and chat_data.get("type") == "private":
            self._ask_contact(chat)

    def _ask_contact(self, chat):
        """Once per chat: a reply keyboard with the share-contact button."""
        try:
            _api(self.integration, "sendMessage", {
                "chat_id": int(chat.chat_id),
                "text": _("Please share your phone number so that your salesperson can find your request."),
                "reply_markup": {"keyboard": [[{"text": _("Share my phone number"), "request_contact": True}]],
                                 "resize_keyboard": True, "one_time_keyboard": True},
            })
        except Exception as error:  # pylint: disable=broad-except
            # The message is recorded all the same; the next one asks again.
            self.log("error", "asking for the contact failed: %s" % error, chat.chat_id)
            return
        chat.sudo().contact_requested = True

    # -- the manager's reply (wizard/messenger_reply.py) ------------------------
    @classmethod
    def send_text(cls, integration, chat, text):
        """Sends ``text`` to the chat; returns (our message id, ISO date)."""
        result = _api(integration, "sendMessage", {"chat_id": int(chat.chat_id), "text": text})
        date = cls.unix_iso(result["date"]) if isinstance(result.get("date"), int) \
            else fields.Datetime.now().replace(" ", "T") + "+00:00"
        return "tg:%s:%s" % (chat.chat_id, result["message_id"]), date

    @classmethod
    def set_webhook(cls, integration):
        """Tells Telegram where to post (the integration's address) and the
        secret it must send."""
        integration = integration.sudo()
        return _api(integration, "setWebhook", {
            "url": integration.hook_path, "secret_token": integration.api_secret,
            "allowed_updates": ["message"],
        })
