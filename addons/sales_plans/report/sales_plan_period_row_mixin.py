# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class SalesPlanPeriodRowMixin(models.AbstractModel):
    """A row of a plan report over a whole period: its dates, whether it
    runs now, and the company's currency (the report, its chart, and the
    funnel to cash of the receivables bridge)."""

    _name = "sales.plan.period.row.mixin"
    _inherit = "sales.plan.row.mixin"
    _description = "Sales Plan Period Row"

    date_start = fields.Date(string="Start", readonly=True)
    date_end = fields.Date(string="End", readonly=True)
    is_current = fields.Boolean(string="Current period", readonly=True)
    currency_id = fields.Many2one("res.currency", string="Currency", readonly=True)
