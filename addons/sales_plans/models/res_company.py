# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    # Extension point: a bridge addon (receivables) adds its basis with
    # selection_add and its rows in sales.plan.report._actual_sources().
    sales_plan_actual_basis = fields.Selection(
        [("won", "Won deals")], string="Plan actuals basis",
        default="won", required=True,
        help="What counts as the actual against sales plans.")
