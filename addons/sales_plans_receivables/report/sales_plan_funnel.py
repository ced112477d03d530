# Copyright 2026 Sales Head Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

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
        # Each step, and the next one's amount: what did not get there is stuck.
        self._sideways_view(
            "step", "('1_won', r.won_amount, r.invoiced_amount), "
                    "('2_invoiced', r.invoiced_amount, r.received_amount), "
                    "('3_received', r.received_amount, NULL)",
            "amount, next", "f.amount, GREATEST(f.amount - COALESCE(f.next, f.amount), 0) AS stuck_amount")
