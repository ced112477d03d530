# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re

from odoo import api, fields, models


def normalize_phone(number):
    """Digits of a Russian phone number in the form 7XXXXXXXXXX.

    '+7 (495) 120-45-00', '8 495 1204500' and '4951204500' give the same key;
    other numbers keep their digits. Returns False for no digits."""
    digits = re.sub(r"\D", "", number or "")
    if len(digits) == 11 and digits[0] == "8":
        digits = "7" + digits[1:]
    elif len(digits) == 10:
        digits = "7" + digits
    return digits or False


class ResPartner(models.Model):
    _inherit = "res.partner"

    kpp = fields.Char(string="KPP", size=9, help="Russian tax registration reason code (КПП).")
    sales_phone_norm = fields.Char(
        compute="_compute_sales_phone_norm", store=True, index=True,
        string="Normalised Phone")
    sales_mobile_norm = fields.Char(
        compute="_compute_sales_phone_norm", store=True, index=True,
        string="Normalised Mobile")

    @api.depends("phone", "mobile")
    def _compute_sales_phone_norm(self):
        for partner in self:
            partner.sales_phone_norm = normalize_phone(partner.phone)
            partner.sales_mobile_norm = normalize_phone(partner.mobile)

    @api.model
    def _sales_find_by_phone(self, number):
        """Partners whose phone or mobile is this number."""
        key = normalize_phone(number)
        if not key:
            return self.browse()
        return self.search(["|", ("sales_phone_norm", "=", key), ("sales_mobile_norm", "=", key)])
