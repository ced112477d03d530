# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class SalesTelephonyExtension(models.Model):
    """Which user a vendor's extension (or login, or operator id) stands for."""
    _name = "sales.telephony.extension"
    _description = "Extension of a PBX or messenger"
    _order = "integration_id, code"

    integration_id = fields.Many2one("sales.telephony.integration", required=True, ondelete="cascade", index=True)
    code = fields.Char(string="Extension or login", required=True,
                       help="Mango and Zadarma: the internal number (101); MegaFon: the user's login; "
                            "Asterisk: the extension of the channel; Wazzup: the operator's authorId.")
    user_id = fields.Many2one("res.users", string="Salesperson", required=True, ondelete="cascade")
    vendor_name = fields.Char(string="Name at the vendor", help="As the vendor lists the employee: used to "
                                                                "suggest the user.")

    _sql_constraints = [
        ("code_unique", "unique(integration_id, code)", "An extension stands for one user per integration."),
    ]

    @api.onchange("vendor_name")
    def _onchange_vendor_name(self):
        """Suggests the user whose e-mail or name the vendor's entry carries."""
        if self.user_id or not self.vendor_name:
            return
        text = self.vendor_name.strip()
        Users = self.env["res.users"]
        found = Users.search([("email", "=ilike", text)], limit=2) if "@" in text else Users
        if len(found) != 1:
            found = Users.search([("name", "ilike", text)], limit=2)
        if len(found) == 1:
            self.user_id = found
