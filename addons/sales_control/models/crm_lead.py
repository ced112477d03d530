# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import UserError

from .common import ContextMark, phone_region
from .res_partner import normalize_phone

# Set by the proposal composer (mail.compose.message) around its send; no
# RPC context can carry it, so nobody turns a message into a КП.
PROPOSAL_SENT = ContextMark("sales_touch_proposal")

TIMELINE_ICONS = {"call": "fa-phone", "email": "fa-envelope", "meeting": "fa-users",
                  "proposal": "fa-file-text-o", "messenger": "fa-comments"}


class CrmLead(models.Model):
    _inherit = "crm.lead"

    touch_ids = fields.One2many("sales.touch", "lead_id", string="Touches")
    touch_count = fields.Integer(compute="_compute_touch_counts", string="Touches")
    touch_call_count = fields.Integer(compute="_compute_touch_counts", string="Calls")
    touch_email_count = fields.Integer(compute="_compute_touch_counts", string="Emails")
    touch_proposal_count = fields.Integer(compute="_compute_touch_counts", string="Proposals")
    # Stored so that a call from a lead's number (a lead without a client
    # yet) is found by an indexed lookup.
    sales_phone_norm = fields.Char(compute="_compute_sales_phone_norm", store=True, index=True,
                                   string="Normalised Phone")
    sales_mobile_norm = fields.Char(compute="_compute_sales_phone_norm", store=True, index=True,
                                    string="Normalised Mobile")
    communication_timeline = fields.Html(compute="_compute_communication_timeline", sanitize=False,
                                         string="Communications")

    @api.depends("phone", "mobile", "company_id.country_id")
    def _compute_sales_phone_norm(self):
        for lead in self:
            region = phone_region(lead)
            lead.sales_phone_norm = normalize_phone(lead.phone, region)
            lead.sales_mobile_norm = normalize_phone(lead.mobile, region)

    @api.depends("touch_ids")
    def _compute_touch_counts(self):
        """All touches of the deal and those of the kinds its card shows."""
        counts, totals = {}, {}
        if self.ids:
            groups = self.env["sales.touch"].read_group(
                [("lead_id", "in", self.ids)], ["lead_id", "touch_type"], ["lead_id", "touch_type"], lazy=False)
            for group in groups:
                lead_id = group["lead_id"][0]
                counts[lead_id, group["touch_type"]] = group["__count"]
                totals[lead_id] = totals.get(lead_id, 0) + group["__count"]
        for lead in self:
            lead.touch_count = totals.get(lead.id, 0)
            for kind in ("call", "email", "proposal"):
                lead["touch_%s_count" % kind] = counts.get((lead.id, kind), 0)

    @api.depends("touch_ids")
    def _compute_communication_timeline(self):
        qweb = self.env["ir.qweb"]
        Touch = self.env["sales.touch"]
        values = {
            "icons": TIMELINE_ICONS,
            "types": dict(Touch._fields["touch_type"]._description_selection(self.env)),
            "format_dt": lambda value: fields.Datetime.context_timestamp(
                self, fields.Datetime.from_string(value)).strftime("%d.%m.%Y %H:%M"),
            "safe_url": lambda url: url if url and url.lower().startswith(("http://", "https://")) else False,
        }
        for lead in self:
            touches = Touch.search([("lead_id", "=", lead.id)], limit=200) if lead.id else []
            lead.communication_timeline = qweb.render(
                "sales_control.lead_communication_timeline", dict(values, touches=touches),
            ).decode() if touches else False

    @api.multi
    def action_view_touches(self):
        self.ensure_one()
        self.check_access_rule("read")
        action = self.env.ref("sales_control.sales_touch_action").read()[0]
        action["domain"] = [("lead_id", "=", self.id)]
        action["context"] = {"search_default_lead_id": self.id}
        action["view_mode"] = "tree,form,graph,pivot"
        action["views"] = [(False, mode) for mode in ("tree", "form", "graph", "pivot")]
        return action

    @api.multi
    def action_send_proposal(self):
        """Open the mail composer with the proposal template (which attaches
        the proposal PDF); sending it records a КП touch
        (see ``mail.compose.message.send_mail``)."""
        self.ensure_one()
        self.check_access_rule("write")
        template = self.env.ref("sales_control.mail_template_commercial_proposal")
        return {
            "type": "ir.actions.act_window",
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_model": "crm.lead",
                "default_res_id": self.id,
                "default_use_template": True,
                "default_template_id": template.id,
                "default_composition_mode": "comment",
            },
        }

    def _message_post_after_hook(self, message):
        res = super(CrmLead, self)._message_post_after_hook(message)
        self._sales_record_email_touch(message, proposal=PROPOSAL_SENT.is_on(self))
        return res

    def _sales_record_email_touch(self, message, proposal=False):
        """An email that came in through the mail gateway, or a message sent
        from the chatter to the client (not an internal note, not a message
        to colleagues only), is an email touch; a message sent from the
        proposal composer is a КП touch (``mail.compose.message``)."""
        if len(self) != 1:
            return
        message = message.sudo()
        subtype = message.subtype_id
        if message.message_type == "email":
            # Only the gateway (fetchmail, the mailgate script) runs as
            # superuser: a user posting an "email" would invent a reply.
            if self.env.uid != SUPERUSER_ID:
                return
            direction = "in"
        elif message.message_type == "comment" and subtype and not subtype.internal \
                and subtype == self.env.ref("mail.mt_comment") and self._sales_client_recipients(message):
            direction = "out"
        else:
            return
        if direction == "in":
            user = self.user_id
        elif self.env.uid != SUPERUSER_ID:
            # The one who sends it, not the author he names (message_post
            # and the composer take author_id from their caller).
            user = self.env.user
        else:
            user = message.author_id.user_ids[:1] or self.user_id
        touch = self.env["sales.touch"]._record({
            "touch_type": "proposal" if proposal else "email",
            "direction": direction,
            "source": "proposal" if proposal else "email",
            # An outgoing message is dated now: message_post takes any date
            # from its caller.
            "date": message.date if direction == "in" and message.date else fields.Datetime.now(),
            "lead_id": self.id,
            "user_id": user.id,
            "captured_user_id": self.env.uid if self.env.uid != SUPERUSER_ID else False,
            "message_id": message.id,
            "summary": message.subject or (_("Commercial proposal") if proposal else _("Email")),
        })
        # The files as they were sent, owned by the touch: the deal's own
        # attachments may be rewritten or deleted by its salesman later.
        if message.attachment_ids:
            copies = [attachment.copy({"res_model": "sales.touch", "res_id": touch.id}).id
                      for attachment in message.attachment_ids]
            touch.sudo()._captured().write({"attachment_ids": [(6, 0, copies)]})

    def _sales_client_recipients(self, message):
        """The client's people whom the message reached: the deal's client
        and its contacts or, for a lead without a client yet, whoever has its
        e-mail address (not any partner a salesman makes up)."""
        recipients = message.partner_ids | message.notification_ids.mapped("res_partner_id")
        # Outside the company, and with an address the message can reach.
        recipients = recipients.filtered(lambda partner: partner.email and not partner.user_ids.filtered(
            lambda user: not user.share))
        client = self.partner_id.commercial_partner_id
        if client:
            return recipients.filtered(lambda partner: partner.commercial_partner_id == client)
        email = (self.email_from or "").strip().lower()
        return recipients.filtered(lambda partner: email and (partner.email or "").strip().lower() == email)

    @api.multi
    def merge_dependences(self, opportunities):
        """Merging deals moves their touches to the deal that remains."""
        if not isinstance(opportunities, models.BaseModel) or opportunities._name != self._name:
            raise UserError(_("Only deals can be merged into a deal."))
        # Managers cannot write touches, hence sudo below: the caller must be
        # allowed to change every deal whose touches move.
        (self | opportunities).check_access_rights("write")
        (self | opportunities).check_access_rule("write")
        res = super(CrmLead, self).merge_dependences(opportunities)
        touches = self.env["sales.touch"].sudo().search([("lead_id", "in", opportunities.ids)])
        touches.write({"lead_id": self.id, "lead_name": self.name})
        return res

    @api.multi
    def unlink(self):
        # The head relies on the touch history: a manager may not erase it by
        # deleting the deal; when the head deletes one, touches keep its name.
        # Access first: a deal that is not his is refused as such.
        self.check_access_rights("unlink")
        self.check_access_rule("unlink")
        if self.env.uid != SUPERUSER_ID and not self.env.user.has_group("sales_team.group_sale_manager"):
            with_touches = self.env["sales.touch"].sudo().search_count([("lead_id", "in", self.ids)])
            if with_touches:
                raise UserError(_("These leads have recorded client touches; archive them instead "
                                  "or ask the head of sales to delete them."))
        return super(CrmLead, self).unlink()
