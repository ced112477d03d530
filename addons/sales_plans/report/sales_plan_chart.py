# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models, tools

FIGURES = [("1_plan", "Plan"), ("2_actual", "Actual"), ("3_forecast", "Forecast")]


class SalesPlanChart(models.Model):
    """The plan report turned on its side for the graph view, which shows
    one measure at a time in Odoo 11: one row per figure (plan, actual,
    forecast), so that a bar chart grouped by salesperson and figure puts
    plan and actual side by side."""

    _name = "sales.plan.chart"
    _inherit = "sales.plan.row.mixin"
    _description = "Sales Plan Chart"
    _auto = False
    _rec_name = "figure"
    _order = "date_start desc, user_id, figure"

    figure = fields.Selection(FIGURES, readonly=True)
    date_start = fields.Date(string="Start", readonly=True)
    date_end = fields.Date(string="End", readonly=True)
    is_current = fields.Boolean(string="Current period", readonly=True)
    amount = fields.Float(string="Revenue", readonly=True)
    count = fields.Integer(string="Deals", readonly=True)

    @api.model_cr
    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute("""
            CREATE OR REPLACE VIEW %s AS (
                SELECT row_number() OVER (ORDER BY r.id, f.k) AS id, f.figure, r.subject, r.user_id, r.team_id,
                       r.date_range_id, r.period_kind, r.date_start, r.date_end, r.is_current,
                       r.company_id,
                       CASE f.k WHEN 0 THEN r.plan_amount WHEN 1 THEN r.actual_amount
                                ELSE r.forecast_amount END AS amount,
                       CASE f.k WHEN 0 THEN r.plan_count ELSE r.actual_count END AS count
                  FROM sales_plan_report r
                 CROSS JOIN (VALUES (0, '1_plan'), (1, '2_actual'), (2, '3_forecast')) AS f (k, figure)
            )""" % self._table)
