# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import secrets

import pytz

from odoo import api, fields, models

# The vendors an integration can be; each has its adapter in telephony/.
VENDORS = [
    ("generic", "Our JSON webhooks (bridge, Asterisk CURL)"),
    ("mango", "Mango Office"),
    ("zadarma", "Zadarma / Novofon"),
    ("megafon", "MegaFon Virtual PBX"),
    ("asterisk", "Asterisk (AMI bridge)"),
    ("telegram", "Telegram bot"),
    ("wazzup", "WhatsApp via Wazzup24"),
]
MESSENGERS = ("telegram", "wazzup")


class SalesTelephonyIntegration(models.Model):
    """A PBX or messenger gateway allowed to post to the webhooks."""
    _name = "sales.telephony.integration"
    _description = "Telephony / Messenger Integration"

    name = fields.Char(required=True)
    kind = fields.Selection([("pbx", "PBX (calls)"), ("messenger", "Messenger")],
                            required=True, default="pbx")
    token = fields.Char(required=True, copy=False, default=lambda self: self._new_token(),
                        groups="sales_team.group_sale_manager,base.group_system")
    active = fields.Boolean(default=True)
    user_id = fields.Many2one(
        "res.users", string="Default Manager",
        help="Receives the touches (and call-back activities) that match no client.")
    company_id = fields.Many2one("res.company", default=lambda self: self.env.user.company_id)
    vendor = fields.Selection(VENDORS, required=True, default="generic",
                              help="Who posts to this integration: our own JSON format, or a vendor's "
                                   "events as the vendor sends them (no bridge needed).")
    api_key = fields.Char(string="Vendor API key", groups="sales_team.group_sale_manager,base.group_system",
                          help="Mango: vpbx_api_key; Zadarma: the API key; MegaFon: the API key of the PBX; "
                               "Telegram: the bot token; Wazzup: the API key.")
    api_secret = fields.Char(string="Vendor secret", groups="sales_team.group_sale_manager,base.group_system",
                             help="Mango: vpbx_api_salt; Zadarma: the API secret (signatures); MegaFon: the "
                                  "CRM token; Telegram: the webhook secret token; Wazzup: the crmKey.")
    api_url = fields.Char(string="Vendor API address",
                          help="Where the vendor's API answers (recordings, click-to-call); the default is "
                               "the vendor's public address.")
    vendor_tz = fields.Selection("_tz_selection", string="Vendor's time zone", default="Europe/Moscow",
                                 help="For the vendor's times that carry no zone.")
    extension_ids = fields.One2many("sales.telephony.extension", "integration_id", string="Extensions")
    event_ids = fields.One2many("sales.telephony.event", "integration_id", string="Events received")
    last_event_date = fields.Datetime(compute="_compute_last_event")
    last_error = fields.Text(compute="_compute_last_event")
    hook_path = fields.Char(string="Address to give the vendor", compute="_compute_hook_path",
                            groups="sales_team.group_sale_manager,base.group_system")

    @api.model
    def _tz_selection(self):
        return [(tz, tz) for tz in pytz.common_timezones]

    @api.depends("event_ids")
    def _compute_last_event(self):
        Event = self.env["sales.telephony.event"]
        for integration in self:
            last = Event.search([("integration_id", "=", integration.id)], order="id desc", limit=1)
            error = Event.search([("integration_id", "=", integration.id), ("state", "in", ("refused", "error"))],
                                 order="id desc", limit=1)
            integration.last_event_date = last.date
            integration.last_error = error and "%s: %s" % (error.date, error.message)

    @api.depends("vendor", "token")
    def _compute_hook_path(self):
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url") or ""
        for integration in self:
            if integration.vendor == "generic":
                integration.hook_path = "%s/sales_control/webhook/%s" % (
                    base, "message" if integration.kind == "messenger" else "call")
            else:
                integration.hook_path = "%s/sales_control/hook/%s/%s" % (base, integration.vendor, integration.token)

    @api.onchange("vendor")
    def _onchange_vendor(self):
        if self.vendor and self.vendor != "generic":
            self.kind = "messenger" if self.vendor in MESSENGERS else "pbx"

    def _user_of(self, code):
        """The user a vendor's extension, login or operator id stands for."""
        self.ensure_one()
        code = (code or "").strip()
        if not code:
            return self.env["res.users"]
        line = self.extension_ids.filtered(lambda ext: ext.code == code)[:1]
        return line.user_id

    _sql_constraints = [
        ("token_unique", "unique(token)", "Each integration needs its own token."),
    ]

    @api.model
    def _new_token(self):
        return secrets.token_urlsafe(32)

    @api.multi
    def action_regenerate_token(self):
        for integration in self:
            integration.token = self._new_token()
        return True
