# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
import secrets

import psycopg2
import pytz

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .common import phone_region
from .res_partner import normalize_phone

_logger = logging.getLogger(__name__)

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
        "res.users", string="Default Salesperson",
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
    recording_ids = fields.One2many("sales.telephony.recording", "integration_id", string="Recordings",
                                    domain=[("state", "!=", "done")])
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
            integration.last_error = "%s: %s" % (error.date, error.message) if error else False

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

    # -- click-to-call -----------------------------------------------------------
    @api.model
    def click_to_call(self, res_model, res_id, number):
        """Calls ``number`` of the deal or client ``res_id`` through the
        calling user's PBX: the PBX rings his extension, then the client. Only
        a phone of a record the user may read is dialled (checked as him); the
        call that results comes back as the PBX's event and is recorded as a
        touch of the client's deal by record_call."""
        if res_model not in ("crm.lead", "res.partner"):
            raise UserError(_("Calls are made from a deal, a contact or a client only."))
        try:
            res_id = int(res_id)
        except (TypeError, ValueError):
            raise UserError(_("No such record to call."))
        record = self.env[res_model].browse(res_id)
        # As the calling user, never as the superuser: a phone he may not see
        # is never dialled for him.
        record.check_access_rights("read")
        if not record.exists():
            raise UserError(_("No such record to call."))
        record.check_access_rule("read")
        region = phone_region(record)
        key = normalize_phone(number if isinstance(number, str) else "", region)
        if not key or key not in self._record_phones(record, region):
            raise UserError(_("The number %s is not a phone of %s.") % (number, record.display_name))
        integration, extension = self._pbx_of(self.env.user)
        from ..telephony import ADAPTERS
        adapter = ADAPTERS[integration.vendor]
        try:
            adapter.originate(integration, extension.code, key)
        except UserError as error:
            self._log_failed_call(integration, key, error.name)
            raise
        except Exception as error:  # pylint: disable=broad-except
            _logger.exception("Click-to-call through %s failed", integration.vendor)
            self._log_failed_call(integration, key, str(error))
            raise UserError(_("The PBX did not place the call: %s") % error)
        return True

    @api.model
    def _record_phones(self, record, region=None):
        """The normalised phones of a deal (its own and its contact's) or of
        a contact or client, read once the user's access is checked."""
        record = record.sudo()
        partners = record if record._name == "res.partner" else record.partner_id
        numbers = [record.phone, record.mobile] + partners.mapped("phone") + partners.mapped("mobile")
        return {normalize_phone(number, region) for number in numbers if normalize_phone(number, region)}

    @api.model
    def _pbx_of(self, user):
        """(integration, extension) of the active PBX of the user's company
        on which he has an extension and whose adapter places calls."""
        from ..telephony import ADAPTERS
        extensions = self.env["sales.telephony.extension"].sudo().search(
            [("user_id", "=", user.id), ("integration_id.active", "=", True),
             ("integration_id.kind", "=", "pbx"),
             ("integration_id.company_id", "in", [user.company_id.id, False])], order="integration_id, id")
        for extension in extensions:
            adapter = ADAPTERS.get(extension.integration_id.vendor)
            if adapter is not None and hasattr(adapter, "originate"):
                return extension.integration_id, extension
        raise UserError(_("You have no extension on a PBX that places calls: ask your head to map your "
                          "extension in the PBX integration."))

    def _log_failed_call(self, integration, number, message):
        """The failure goes to the integration's log ("Check connection"),
        which the UserError's rollback would otherwise take with it."""
        _logger.warning("Click-to-call to %s through %s failed: %s", number, integration.name, message)
        try:
            with self.env.registry.cursor() as cr:
                self.env(cr=cr)["sales.telephony.event"]._log(
                    integration.with_env(integration.env(cr=cr)), "%s click-to-call" % integration.vendor,
                    "error", "%s: %s" % (number, message), number)
        except psycopg2.Error:
            # An integration not committed yet (a test's transaction) has no log to write to.
            _logger.info("Click-to-call failure not logged", exc_info=True)

    @api.model
    def _new_token(self):
        return secrets.token_urlsafe(32)

    @api.multi
    def action_regenerate_token(self):
        for integration in self:
            integration.token = self._new_token()
        return True
