# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

# The telephony adapters, the webhooks and the deals import it from here.
from .common import normalize_phone, phone_region  # noqa: F401 pylint: disable=unused-import


class ResPartner(models.Model):
    _inherit = "res.partner"

    kpp = fields.Char(string="KPP", size=9, help="Russian tax registration reason code (КПП).")
    # E.164 digits (see normalize_phone), stored and indexed: a call is
    # matched to its client by one indexed comparison.
    sales_phone_norm = fields.Char(
        compute="_compute_sales_phone_norm", store=True, index=True,
        string="Normalised Phone")
    sales_mobile_norm = fields.Char(
        compute="_compute_sales_phone_norm", store=True, index=True,
        string="Normalised Mobile")

    @api.depends("phone", "mobile", "company_id.country_id")
    def _compute_sales_phone_norm(self):
        for partner in self:
            region = phone_region(partner)
            partner.sales_phone_norm = normalize_phone(partner.phone, region)
            partner.sales_mobile_norm = normalize_phone(partner.mobile, region)

    @api.model
    def _sales_find_by_phone(self, number, region=None):
        """Partners whose phone or mobile is this number as written (a
        national notation read for ``region``, by default the user's
        company's country). Give the number, not its key: a key read again
        is not always the same key (an impossible number keeps its digits,
        which a second reading takes for a national number)."""
        key = normalize_phone(number, region or phone_region(self))
        if not key:
            return self.browse()
        return self.search(["|", ("sales_phone_norm", "=", key), ("sales_mobile_norm", "=", key)])
