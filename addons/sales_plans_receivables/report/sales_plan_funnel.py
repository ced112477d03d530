# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models, tools

STEPS = [("1_won", "Won"), ("2_invoiced", "Invoiced"), ("3_received", "Received")]


class SalesPlanFunnel(models.Model):
    """From the deal to the cash, per salesperson (or team) and period: won,
    then invoiced, then received, each step with what is stuck there (what
    did not reach the next step, never below zero)."""

    _name = "sales.plan.funnel"
    _inherit = "sales.plan.period.row.mixin"
    _description = "Funnel to Cash"
    _auto = False
    _rec_name = "step"
    _order = "date_start desc, user_id, step"

    step = fields.Selection(STEPS, readonly=True)
    amount = fields.Monetary(string="Amount", readonly=True)
    stuck_amount = fields.Monetary(
        string="Stuck here", readonly=True,
        help="Won but not invoiced, or invoiced but not received, in the period.")

    @api.model_cr
    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute("""
            CREATE OR REPLACE VIEW %s AS (
                SELECT row_number() OVER (ORDER BY r.id, f.step) AS id, f.step::varchar AS step,
                       r.subject, r.user_id, r.team_id, r.date_range_id, r.period_kind,
                       r.date_start, r.date_end, r.is_current, r.company_id, r.currency_id,
                       f.amount, GREATEST(f.amount - COALESCE(f.next, f.amount), 0) AS stuck_amount
                  FROM sales_plan_report r
                 CROSS JOIN LATERAL (VALUES ('1_won', r.won_amount, r.invoiced_amount),
                                            ('2_invoiced', r.invoiced_amount, r.received_amount),
                                            ('3_received', r.received_amount, NULL))
                       AS f (step, amount, next)
            )""" % self._table)
