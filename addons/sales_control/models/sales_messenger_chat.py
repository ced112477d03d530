# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import psycopg2
import psycopg2.errorcodes

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from .common import phone_region


class SalesMessengerChat(models.Model):
    """One chat of a messenger integration (a Telegram chat, a WhatsApp
    number at Wazzup): the client's phone once known, the client and deal it
    belongs to, and the touches recorded from it. A chat whose client is not
    known waits in the unmatched list until the head files it."""
    _name = "sales.messenger.chat"
    _description = "Messenger Chat"
    _order = "last_message_date desc, id desc"

    name = fields.Char(help="The name the client gives himself in the messenger.")
    integration_id = fields.Many2one("sales.telephony.integration", required=True, ondelete="cascade",
                                     index=True, readonly=True)
    vendor = fields.Selection(related="integration_id.vendor", readonly=True)
    chat_id = fields.Char(string="Chat", required=True, readonly=True,
                          help="Telegram: the chat id; Wazzup: the chatId (the phone digits for WhatsApp).")
    chat_type = fields.Char(readonly=True, help="Wazzup: whatsapp, viber, telegram...; Telegram: private, group...")
    channel_ref = fields.Char(string="Vendor channel", readonly=True,
                              help="Wazzup: the channelId (the company's number) that replies go through.")
    phone = fields.Char(readonly=True, help="The client's phone: shared by himself in Telegram, the WhatsApp "
                                            "number at Wazzup.")
    partner_id = fields.Many2one("res.partner", string="Client", index=True, ondelete="set null")
    client_id = fields.Many2one("res.partner", compute="_compute_client_id", store=True, index=True,
                                string="Company of the Client")
    lead_id = fields.Many2one("crm.lead", string="Deal", index=True, ondelete="set null")
    unmatched = fields.Boolean(compute="_compute_client_id", store=True, index=True)
    contact_requested = fields.Boolean(readonly=True, help="The bot asked the client to share his phone.")
    last_message_date = fields.Datetime(readonly=True)
    touch_ids = fields.Many2many("sales.touch", "sales_messenger_chat_touch_rel", "messenger_chat_id", "touch_id",
                                 string="Messages", readonly=True)
    company_id = fields.Many2one("res.company", related="integration_id.company_id", store=True, readonly=True)

    _sql_constraints = [
        ("chat_unique", "unique(integration_id, chat_id)", "A chat is recorded once per integration."),
    ]

    @api.depends("partner_id", "lead_id.partner_id")
    def _compute_client_id(self):
        for chat in self:
            partner = chat.partner_id or chat.lead_id.partner_id
            chat.client_id = partner.commercial_partner_id
            chat.unmatched = not chat.partner_id and not chat.lead_id

    # -- the head files a chat ------------------------------------------------
    @api.multi
    def action_file(self):
        """Files the chats on the client and deal set on them (by the head):
        their past touches move to that deal. Only the head may."""
        self._check_head()
        for chat in self:
            if not chat.partner_id and not chat.lead_id:
                raise UserError(_("Choose the client or the deal of the chat %s first.") % chat.display_name)
            lead = chat.lead_id
            partner = chat.partner_id or lead.partner_id
            if lead and partner and lead.partner_id \
                    and lead.partner_id.commercial_partner_id != partner.commercial_partner_id:
                raise UserError(_("The deal %s is not a deal of the client %s.") % (lead.name, partner.name))
            chat.sudo()._move_touches()
        return True

    def _check_head(self):
        if not self.env.user.has_group("sales_team.group_sale_manager"):
            raise AccessError(_("Only the head of sales files messenger chats."))
        self.check_access_rights("write")
        self.check_access_rule("write")

    def _move_touches(self):
        """The chat's touches follow its deal (or client)."""
        for chat in self:
            vals = {"lead_id": chat.lead_id.id} if chat.lead_id else {
                "partner_id": (chat.partner_id.commercial_partner_id or chat.partner_id).id}
            if chat.lead_id:
                touches = chat.touch_ids.filtered(lambda touch: touch.lead_id != chat.lead_id)
            else:
                touches = chat.touch_ids.filtered(lambda touch: not touch.lead_id)
            touches._captured().write(vals)

    # -- what the adapters use --------------------------------------------------
    @api.model
    def _touch_chat(self, integration, chat_id, values=None):
        """The chat of ``chat_id`` (created when new), as superuser."""
        Chat = self.sudo()
        chat = Chat.search([("integration_id", "=", integration.id), ("chat_id", "=", str(chat_id))], limit=1)
        values = {key: value for key, value in (values or {}).items() if value}
        if chat:
            values.pop("name", None)  # the name the chat was first seen with stays
            if any(chat[key] != value for key, value in values.items()):
                chat.write(values)
            return chat
        try:
            with self.env.cr.savepoint():
                return Chat.create(dict({"name": str(chat_id)}, **dict(values, integration_id=integration.id,
                                                                       chat_id=str(chat_id))))
        except psycopg2.IntegrityError as error:
            if error.pgcode != psycopg2.errorcodes.UNIQUE_VIOLATION:
                raise
            # Another delivery of the same new chat at this very moment: its
            # row is not visible to this transaction; the vendor retries.
            from ..controllers.webhooks import WebhookError
            raise WebhookError(503, "busy, retry the delivery")

    def _attach(self, touch):
        """Links the touch to the chat; a chat the head filed (or whose
        client is known) puts its deal on the touch that found none."""
        self.ensure_one()
        chat = self.sudo()
        if not touch:
            return
        chat.write({"touch_ids": [(4, touch.id)],
                    "last_message_date": max(filter(None, [chat.last_message_date, touch.date]))})
        if chat.lead_id and not touch.lead_id:
            touch.sudo()._captured().write({"lead_id": chat.lead_id.id})
        elif chat.partner_id and not touch.partner_id:
            touch.sudo()._captured().write({"partner_id": chat.client_id.id or chat.partner_id.id})
        elif not chat.partner_id and not chat.lead_id and (touch.partner_id or touch.lead_id):
            chat.write({"partner_id": touch.partner_id.id, "lead_id": touch.lead_id.id})

    def _learn_phone(self, phone):
        """The client's phone became known: the chat and its unmatched
        touches go to the client's deal (a chat the head filed stays)."""
        from ..controllers.webhooks import _match_client
        self.ensure_one()
        chat = self.sudo()
        chat.phone = phone
        if chat.partner_id or chat.lead_id:
            return
        partner, lead = _match_client(chat.env, phone, region=phone_region(chat.integration_id))
        if partner or lead:
            chat.write({"partner_id": (partner or lead.partner_id).id, "lead_id": lead.id})
            chat.touch_ids.filtered("unmatched")._captured().write(
                {"lead_id": lead.id} if lead else {"partner_id": partner.commercial_partner_id.id})

    @api.model
    def _chats_of_lead(self, lead):
        """The chats linked to the deal or to its client (as superuser)."""
        client = lead.sudo().partner_id.commercial_partner_id
        domain = [("lead_id", "=", lead.id)]
        if client:
            domain = ["|", ("lead_id", "=", lead.id), ("client_id", "=", client.id)]
        return self.sudo().search(domain)
