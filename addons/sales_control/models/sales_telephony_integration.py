# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import secrets

from odoo import api, fields, models


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
