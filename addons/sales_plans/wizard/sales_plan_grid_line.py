# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class SalesPlanGridLine(models.TransientModel):
    _name = "sales.plan.grid.line"
    _description = "Sales Plan Entry Grid Cell"
    _order = "id"

    grid_id = fields.Many2one("sales.plan.grid", required=True, ondelete="cascade")
    user_id = fields.Many2one("res.users", string="Salesperson", required=True)
    date_range_id = fields.Many2one("date.range", string="Period", required=True)
    value = fields.Float()
    # The grid's headers, stored with the cell: the web client then reads
    # plain columns instead of a name_get per salesperson and period.
    user_label = fields.Char(string="Salesperson name")
    period_label = fields.Char(string="Period name")
