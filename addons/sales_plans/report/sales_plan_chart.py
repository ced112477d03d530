# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

FIGURES = [("1_plan", "Plan"), ("2_won", "Won"), ("9_forecast", "Forecast")]


class SalesPlanChart(models.Model):
    """The plan report turned on its side for the graph view, which shows
    one measure at a time in Odoo 11: one row per figure (plan, won,
    forecast; a bridge adds invoiced and received), so that a bar chart
    grouped by salesperson and figure puts them side by side."""

    _name = "sales.plan.chart"
    _inherit = "sales.plan.period.row.mixin"
    _description = "Sales Plan Chart"
    _auto = False
    _rec_name = "figure"
    _order = "date_start desc, user_id, figure"

    figure = fields.Selection(FIGURES, readonly=True)
    amount = fields.Float(string="Revenue", readonly=True)
    count = fields.Integer(string="Deals", readonly=True)

    @api.model
    def _figures(self):
        """(figure, amount column, count column) of the report, one row of
        the chart each; a bridge adds its own (and to ``figure``)."""
        return [("1_plan", "plan_amount", "plan_count"), ("2_won", "won_amount", "won_count"),
                ("9_forecast", "forecast_amount", "NULL::integer")]

    @api.model
    def _figures_sql(self):
        """The VALUES rows of ``_figures()``: the code's own columns, never
        a user's input."""
        return ", ".join("('%s', r.%s, %s)" % (figure, amount, count if count.startswith("NULL") else "r." + count)
                         for figure, amount, count in self._figures())

    @api.model_cr
    def init(self):
        self._sideways_view("figure", self._figures_sql(), "amount, count", "f.amount, f.count")
