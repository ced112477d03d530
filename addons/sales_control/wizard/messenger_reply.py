# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError


class SalesMessengerReply(models.TransientModel):
    """The manager's reply from the deal card: goes out through the chat's
    messenger (Telegram sendMessage, Wazzup POST /v3/message) and is recorded
    as an outgoing messenger touch of the deal."""
    _name = "sales.messenger.reply"
    _description = "Reply in a Messenger"

    lead_id = fields.Many2one("crm.lead", string="Deal", required=True, ondelete="cascade",
                              default=lambda self: self._default_lead())
    chat_id = fields.Many2one("sales.messenger.chat", string="Chat", required=True, ondelete="cascade",
                              default=lambda self: self._chats_of(self._default_lead())[:1],
                              domain="[('id', 'in', allowed_chat_ids)]")
    allowed_chat_ids = fields.Many2many("sales.messenger.chat", compute="_compute_allowed_chat_ids")
    text = fields.Text(required=True)

    @api.model
    def _default_lead(self):
        context = self.env.context
        lead_id = context.get("default_lead_id") or (
            context.get("active_model") == "crm.lead" and context.get("active_id"))
        return self.env["crm.lead"].browse(lead_id if isinstance(lead_id, int) else [])

    @api.model
    def _chats_of(self, lead):
        """The chats of a deal (filed on it or on its client) that the user
        may read; none for a deal he may not read. A chat the head filed on
        a colleague's deal of the same client stays the colleague's."""
        Chat = self.env["sales.messenger.chat"]
        if not lead or not lead.exists():
            return Chat
        try:
            lead.check_access_rights("read")
            lead.check_access_rule("read")
        except AccessError:
            return Chat
        chats = Chat._chats_of_lead(lead)
        # The user's own record rules decide which of them he may read.
        return Chat.sudo().browse(Chat.search([("id", "in", chats.ids)]).ids)

    @api.depends("lead_id")
    def _compute_allowed_chat_ids(self):
        for wizard in self:
            wizard.allowed_chat_ids = self._chats_of(wizard.lead_id)

    @api.multi
    def action_send(self):
        """Sends the text; only for a deal the user may change, and only to a
        chat of that deal or its client."""
        from ..controllers.webhooks import MAX_TEXT, record_message
        from ..telephony import ADAPTERS
        self.ensure_one()
        lead = self.lead_id
        lead.check_access_rights("write")
        lead.check_access_rule("write")
        chat = self.chat_id.sudo()
        if chat not in self._chats_of(lead):
            raise UserError(_("This chat is not one of the deal's client."))
        text = (self.text or "").strip()
        if not text:
            raise UserError(_("Write the message first."))
        # What cannot be recorded on the deal is not sent: the client would
        # get a message the deal never shows (and a second click resends it).
        if len(text) > MAX_TEXT:
            raise UserError(_("The message is longer than %d characters: shorten it.") % MAX_TEXT)
        integration = chat.integration_id
        adapter = ADAPTERS.get(integration.vendor)
        if not integration.active or not hasattr(adapter, "send_text"):
            raise UserError(_("The integration %s cannot send messages.") % integration.name)
        ref, date = adapter.send_text(integration, chat, text)
        env = self.env(user=1, context={"tz": "UTC"})
        answer = record_message(env, integration.with_env(env), {
            "message_id": ref, "channel": "Telegram" if integration.vendor == "telegram" else _channel(chat),
            "direction": "out", "phone": chat.phone or "", "date": date, "text": text,
            "manager_login": self.env.user.login,
        }, phone_required=False)
        touch = env["sales.touch"].browse(answer["touch_id"])
        if touch.lead_id != lead:
            touch._captured().write({"lead_id": lead.id, "user_id": self.env.uid})
        chat.write({"touch_ids": [(4, touch.id)], "last_message_date": touch.date})
        env["sales.telephony.event"]._log(integration, "%s reply" % integration.vendor, "recorded", "",
                                          ref, touch)
        return {"type": "ir.actions.act_window_close"}


def _channel(chat):
    from ..telephony.wazzup import CHANNELS
    return CHANNELS.get(chat.chat_type or "", chat.chat_type or "Wazzup")
