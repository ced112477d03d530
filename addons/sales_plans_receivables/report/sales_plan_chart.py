# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class SalesPlanChart(models.Model):
    _inherit = "sales.plan.chart"

    figure = fields.Selection(selection_add=[("3_invoiced", "Invoiced"), ("4_received", "Received")])

    @api.model
    def _figures(self):
        figures = super(SalesPlanChart, self)._figures()
        return figures[:2] + [("3_invoiced", "invoiced_amount", "invoiced_count"),
                              ("4_received", "received_amount", "received_count")] + figures[2:]
