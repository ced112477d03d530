# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    sales_control_show_unassigned = fields.Boolean(
        string="Salesmen See Unassigned Leads",
        help="If set, every salesman sees the leads that have no salesperson.")
    sales_control_flag_ratio = fields.Float(
        string="Efficiency Flag Threshold", default=1.5,
        help="A manager is flagged when his touches per won deal exceed the "
             "team's median by this factor (or he has touches and no win).")

    @api.multi
    def write(self, vals):
        res = super(ResCompany, self).write(vals)
        if "sales_control_show_unassigned" in vals:
            # Record rules read this setting; their domains are cached per user.
            self.env["ir.rule"].clear_caches()
        return res
