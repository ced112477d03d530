# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from ..models.date_range_type import PLAN_KINDS


class SalesPlanRowMixin(models.AbstractModel):
    """Whose plan and which period a row of the plan reports is about: the
    columns that the record rules and the filters of all three read."""

    _name = "sales.plan.row.mixin"
    _inherit = "sales.report.labels.mixin"
    _description = "Sales Plan Report Row"

    subject = fields.Selection(
        [("user", "Salesperson"), ("team", "Team")], string="Plan of", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    date_range_id = fields.Many2one("date.range", string="Period", readonly=True)
    period_kind = fields.Selection(PLAN_KINDS, string="Period type", readonly=True)
    company_id = fields.Many2one("res.company", string="Company", readonly=True)
